// Progress for the investigator on stderr, redrawn in place, only when stderr is a terminal (a log
// file or a pipe gets none): which file and phase, how far, how fast and how long still, and a last
// line that says what was done and how long it took. The pipeline and the clustering only emit
// events; the drawing is here.
import type { ProgressEvent } from '../ingest/pipeline.js';
import { terminalSafe } from '../util/sanitize.js';
import type { Io } from './io.js';

/** Milliseconds now; tests pass a clock of their own. */
export type Clock = () => number;

/** '45 s', '3 min 05 s', '1 h 02 min'. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

const count = (n: number): string => Math.round(n).toLocaleString('en');

/** A phase measured: what it counts, how far, since when and from how far then. */
interface Phase {
  label: string;
  unit: 'bytes' | 'messages' | 'images' | 'pairs' | 'files';
  done: number;
  total: number;
  since: number;
  from: number;
}

/**
 * '45 % · 12.3 MB/s · 4 s left': the share done, the rate since the phase began and the time left
 * at that rate (the rate and time left only after a second, when they mean something).
 */
export function phaseStatus(phase: Phase, now: number): string {
  const share = phase.total > 0 ? Math.min(100, Math.floor((phase.done / phase.total) * 100)) : 0;
  const parts = [phase.unit === 'bytes' ? `${phase.label} ${share} %` : `${phase.label} ${count(phase.done)}/${count(phase.total)}`];
  const elapsed = now - phase.since;
  if (elapsed >= 1000 && phase.done > phase.from) {
    const perSecond = (phase.done - phase.from) / (elapsed / 1000);
    parts.push(phase.unit === 'bytes' ? `${(perSecond / 1e6).toFixed(1)} MB/s` : `${count(perSecond)} ${phase.unit === 'messages' ? 'msg' : phase.unit}/s`);
    if (phase.done < phase.total) parts.push(`${duration((phase.total - phase.done) / perSecond * 1000)} left`);
  }
  return parts.join(' · ');
}

/** Ingest progress on stderr, only when stderr is a terminal; redrawn at most ten times a second. */
export function progressReporter(io: Io, clock: Clock = Date.now): ((event: ProgressEvent) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  const started = clock();
  let files = 0;
  let index = 0;
  let current = '';
  let phase: Phase | null = null;
  let lastDraw = 0;
  const draw = (text: string): void => {
    io.stderr.write(`\r\u001b[2K${text}`);
    lastDraw = clock();
  };
  const where = (): string => `ingesting [${index}/${files}] ${current}`;
  const measure = (label: string, unit: Phase['unit'], done: number, total: number): void => {
    const now = clock();
    const begins = phase === null || phase.label !== label;
    if (begins) phase = { label, unit, done, total, since: now, from: done };
    phase!.done = done;
    phase!.total = total;
    if (!begins && now - lastDraw < 100 && done < total) return;
    draw(unit === 'images' ? phaseStatus(phase!, now) : `${where()} · ${phaseStatus(phase!, now)}`);
  };
  return (event) => {
    switch (event.type) {
      case 'start':
        files = event.files;
        break;
      case 'file':
        current = terminalSafe(event.path);
        index = event.index + 1;
        phase = null;
        draw(where());
        break;
      case 'bytes':
        measure('reading', 'bytes', event.done, event.total);
        break;
      case 'phones':
        measure('phone numbers', 'messages', event.done, event.total);
        break;
      case 'saving':
        phase = null;
        draw(`${where()} · saving to the case`);
        break;
      case 'images':
        measure('reading images', 'images', event.done, event.total);
        break;
      case 'end': {
        const what = event.summary
          ? `ingest: ${count(event.summary.exports)} ${event.summary.exports === 1 ? 'export' : 'exports'}, ${count(event.summary.messages)} messages, ${count(event.summary.images)} images read`
          : 'ingest: done';
        io.stderr.write(`\r\u001b[2K${what} in ${duration(clock() - started)}\n`);
        break;
      }
    }
  };
}

/**
 * Progress of a run of named phases (the clustering's): the phase under way, its number and the
 * time so far, redrawn in place, with how far a long step inside it is (messages or pairs, the rate
 * and the time left); `done` replaces it with what was done and how long it took.
 */
export function phaseReporter(
  io: Io,
  what: string,
  phases: number,
  clock: Clock = Date.now,
): { phase: (name: string) => void; progress: (step: string, done: number, total: number) => void; done: (summary: string) => void } | undefined {
  if (!io.stderr.isTTY) return undefined;
  const started = clock();
  let n = 0;
  let name = '';
  let step: Phase | null = null;
  let lastDraw = 0;
  const draw = (detail: string): void => {
    lastDraw = clock();
    io.stderr.write(`\r\u001b[2K${what}: ${name}${detail} (step ${Math.min(n, phases)} of ${phases}, ${duration(lastDraw - started)} so far)`);
  };
  return {
    phase: (next) => {
      n++;
      name = next;
      step = null;
      draw('');
    },
    progress: (label, done, total) => {
      const now = clock();
      const begins = step === null || step.label !== label;
      if (begins) step = { label, unit: label.includes('verification') ? 'pairs' : label === 'files' ? 'files' : 'messages', done, total, since: now, from: done };
      step!.done = done;
      step!.total = total;
      if (!begins && now - lastDraw < 100) return;
      draw(` · ${phaseStatus(step!, now)}`);
    },
    done: (summary) => io.stderr.write(`\r\u001b[2K${summary} in ${duration(clock() - started)}\n`),
  };
}
