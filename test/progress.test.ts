// Progress on a terminal: every long phase of ingest (reading, phone numbers, saving, images) and of
// cluster says where it is, how fast it goes and how long is left, and a last line says what was
// done in how long. Nothing of it reaches a pipe or a log file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { Writable, Readable } from 'node:stream';
import { duration, phaseReporter, phaseStatus, progressReporter } from '../src/cli/progress.js';
import type { Io } from '../src/cli/io.js';
import { ingest, type ProgressEvent } from '../src/ingest/pipeline.js';
import { openCase } from '../src/store/case.js';
import { CLUSTER_CASE_PHASES, clusterCase } from '../src/app/cluster.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';
import { fixturePath, scratchDir } from './helpers.js';

function terminal(isTTY: boolean): { io: Io; text: () => string } {
  let written = '';
  const stderr = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += chunk.toString();
        done();
      },
    }),
    { isTTY },
  );
  const io: Io = { stdin: Readable.from([]), stdout: new Writable({ write: (_c, _e, d) => d() }), stderr, env: {} };
  return { io, text: () => written };
}

test('durations and phase lines: share, rate and time left once a second has passed', () => {
  assert.equal(duration(400), '0 s');
  assert.equal(duration(59_400), '59 s');
  assert.equal(duration(185_000), '3 min 05 s');
  assert.equal(duration(3_725_000), '1 h 02 min');
  const reading = { label: 'reading', unit: 'bytes' as const, done: 0, total: 100e6, since: 0, from: 0 };
  assert.equal(phaseStatus({ ...reading, done: 5e6 }, 500), 'reading 5 %', 'no rate in the first second');
  assert.equal(phaseStatus({ ...reading, done: 25e6 }, 2000), 'reading 25 % · 12.5 MB/s · 6 s left');
  const phones = { label: 'phone numbers', unit: 'messages' as const, done: 40_000, total: 100_000, since: 0, from: 0 };
  assert.equal(phaseStatus(phones, 4000), 'phone numbers 40,000/100,000 · 10,000 msg/s · 6 s left');
  assert.equal(phaseStatus({ ...phones, done: 100_000 }, 10_000), 'phone numbers 100,000/100,000 · 10,000 msg/s', 'nothing left at the end');
});

test('ingest on a terminal: file, reading, phone numbers, saving, then one line with what was read and how long it took', async () => {
  let now = 0;
  const { io, text } = terminal(true);
  const report = progressReporter(io, () => now)!;
  const events: ProgressEvent[] = [
    { type: 'start', files: 1 },
    { type: 'file', path: 'anna/WhatsApp Chat with Борис.txt', index: 0 },
    { type: 'bytes', done: 0, total: 20e6 },
  ];
  for (const e of events) report(e);
  now = 2000;
  report({ type: 'bytes', done: 10e6, total: 20e6 });
  now = 4000;
  report({ type: 'bytes', done: 20e6, total: 20e6 });
  report({ type: 'phones', done: 2000, total: 100_000 });
  now = 6000;
  report({ type: 'phones', done: 50_000, total: 100_000 });
  report({ type: 'saving' });
  now = 65_000;
  report({ type: 'end', summary: { exports: 1, messages: 100_000, images: 0 } });
  const lines = text().split('\r\u001b[2K').filter((l) => l !== '');
  assert.deepEqual(lines, [
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · reading 0 %',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · reading 50 % · 5.0 MB/s · 2 s left',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · reading 100 % · 5.0 MB/s',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · phone numbers 2,000/100,000',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · phone numbers 50,000/100,000 · 24,000 msg/s · 2 s left',
    'ingesting [1/1] anna/WhatsApp Chat with Борис.txt · saving to the case',
    'ingest: 1 export, 100,000 messages, 0 images read in 1 min 05 s\n',
  ]);
});

test('no terminal, no progress: a pipe or a log file gets nothing', () => {
  const { io } = terminal(false);
  assert.equal(progressReporter(io), undefined);
  assert.equal(phaseReporter(io, 'clustering', 8), undefined);
});

test('a long export reports its phone numbers as they are read, saving, and ends with what was read', async () => {
  const dir = scratchDir('progress');
  const lines = Array.from({ length: 4500 }, (_, i) => `01/03/2024, ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} - Борис: Звони 8 (928) ${100 + (i % 800)}-45-67`);
  const file = join(dir, 'WhatsApp Chat with Борис.txt');
  writeFileSync(file, lines.join('\n') + '\n');
  const handle = openCase(null, { create: true });
  const events: ProgressEvent[] = [];
  try {
    await ingest(handle, [file], { victim: 'anna', tz: 'Europe/Moscow', dateOrder: null, region: null, progress: (e) => events.push(e) });
  } finally {
    handle.close();
  }
  const kinds = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
  assert.deepEqual(kinds, ['start', 'file', 'bytes', 'phones', 'saving', 'end']);
  assert.deepEqual(events.filter((e) => e.type === 'phones'), [
    { type: 'phones', done: 2000, total: 4500 },
    { type: 'phones', done: 4000, total: 4500 },
  ]);
  assert.deepEqual(events.at(-1), { type: 'end', summary: { exports: 1, messages: 4500, images: 0 } });
});

test('cluster announces each of its phases and how far its long steps are, then says what it found', async () => {
  const handle = openCase(null, { create: true });
  try {
    await ingest(handle, [fixturePath('sample-case')], { victim: null, tz: null, dateOrder: null, region: null, imageFacts: false });
    const phases: string[] = [];
    const steps: { step: string; done: number; total: number; phase: string }[] = [];
    clusterCase(handle, DEFAULT_PARAMS, { record: true, onPhase: (p) => phases.push(p), onProgress: (step, done, total) => steps.push({ step, done, total, phase: phases.at(-1)! }) });
    // The long steps inside the text phase say how far they are.
    const templates = steps.find((s) => s.step === 'text templates')!;
    assert.equal(templates.phase, 'text evidence');
    assert.ok(templates.done === 0 && templates.total > 20, JSON.stringify(templates));
    assert.equal(phases.length, CLUSTER_CASE_PHASES);
    assert.deepEqual([phases[0], ...phases.slice(-3)], ['loading the case', 'scoring pairs', 'clusters', 'recording the run']);
    assert.ok(phases.includes('text evidence') && phases.includes('timing evidence'), phases.join(', '));
    let now = 0;
    const { io, text } = terminal(true);
    const progress = phaseReporter(io, 'clustering', CLUSTER_CASE_PHASES, () => now)!;
    progress.phase('loading the case');
    now = 61_000;
    progress.phase('text evidence');
    progress.progress('text templates', 0, 800_000);
    now = 65_000;
    progress.progress('text templates', 200_000, 800_000);
    progress.done('clustering: 58 messages of 12 identities: 1 cluster, 0 candidate links');
    assert.equal(
      text(),
      `\r\u001b[2Kclustering: loading the case (step 1 of ${CLUSTER_CASE_PHASES}, 0 s so far)` +
        `\r\u001b[2Kclustering: text evidence (step 2 of ${CLUSTER_CASE_PHASES}, 1 min 01 s so far)` +
        `\r\u001b[2Kclustering: text evidence · text templates 0/800,000 (step 2 of ${CLUSTER_CASE_PHASES}, 1 min 01 s so far)` +
        `\r\u001b[2Kclustering: text evidence · text templates 200,000/800,000 · 50,000 msg/s · 12 s left (step 2 of ${CLUSTER_CASE_PHASES}, 1 min 05 s so far)` +
        '\r\u001b[2Kclustering: 58 messages of 12 identities: 1 cluster, 0 candidate links in 1 min 05 s\n',
    );
  } finally {
    handle.close();
  }
});
