// The command line as investigators and scripts use it: exit codes, stdout/stderr discipline,
// formats, determinism, the case store and the sample case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const SAMPLE = fixturePath('sample-case');
/** Records in a CSV text (line breaks inside quoted cells do not count). */
function csvRecords(csv: string): number {
  let quoted = false;
  let records = 0;
  for (const ch of csv) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) records++;
  }
  return records;
}

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-test-'));

test('--version, --help with examples, and usage errors exit 2', async () => {
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  for (const command of ['ingest', 'messages', 'senders', 'phones', 'media', 'cluster', 'explain', 'analyze']) {
    const help = await runCli([command, '--help']);
    assert.equal(help.code, 0, command);
    assert.match(help.stdout, /Examples:\n\s+\$ threatlens /, `${command} --help shows examples`);
  }
  const unknown = await runCli(['messages', '--no-such-option']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option/);
  const missing = await runCli(['analyze']);
  assert.equal(missing.code, 2);
  const badZone = await runCli(['analyze', SAMPLE, '--tz', 'Mars/Olympus']);
  assert.equal(badZone.code, 2);
  assert.match(badZone.stderr, /unknown time zone "Mars\/Olympus"/);
  const badFormat = await runCli(['senders', SAMPLE, '--format', 'xml']);
  assert.equal(badFormat.code, 2);
});

test('analyze on the sample case: overview, senders, and the planted actor as one cluster', async () => {
  const r = await runCli(['analyze', SAMPLE, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.schema, 'threatlens/v1');
  assert.equal(doc.kind, 'analysis');
  assert.deepEqual(doc.overview.victims, ['anna', 'boris', 'dmitri', 'elena']);
  assert.equal(doc.overview.exports, 6);
  assert.equal(doc.overview.messages, 58);
  assert.deepEqual(doc.overview.messagesByPlatform, { telegram: 24, whatsapp: 34 });
  // WhatsApp wall clocks were converted with each victim's zone from threatlens.json.
  assert.deepEqual(Object.keys(doc.overview.timeBases).sort(), ['instant', 'zone']);
  const keys = doc.senders.map((s: { key: string }) => s.key);
  assert.ok(keys.includes('phone:+79281234567'));
  assert.ok(keys.includes('telegram:user5012345678'));
  const self = doc.senders.filter((s: { selfOf: string[] }) => s.selfOf.length > 0).map((s: { key: string }) => s.key).sort();
  // Anna's own WhatsApp name in her two exports is one identity (her address book), so five.
  assert.deepEqual(self.length, 5, `victims' own identities: ${self}`);
  assert.equal(doc.clusters.length, 1);
  assert.deepEqual(
    doc.clusters[0].members.map((m: { key: string }) => m.key),
    ['phone:+79281234567', 'telegram:user5012345678', 'telegram:user5098765432'],
  );
  assert.deepEqual(doc.clusters[0].victims, ['anna', 'boris', 'dmitri']);
});

test('the same input twice gives byte-identical JSON, and CSV/JSONL agree with it', async () => {
  for (const command of [['messages'], ['senders'], ['cluster'], ['media'], ['analyze']]) {
    const a = await runCli([...command, SAMPLE, '--format', 'json']);
    const b = await runCli([...command, SAMPLE, '--format', 'json']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout, `${command[0]} is deterministic`);
  }
  const json = JSON.parse((await runCli(['messages', SAMPLE, '--format', 'json'])).stdout);
  const jsonl = (await runCli(['messages', SAMPLE, '--format', 'jsonl'])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(jsonl, json.items);
  const csv = (await runCli(['messages', SAMPLE, '--format', 'csv'])).stdout;
  assert.equal(csvRecords(csv), json.items.length + 1);
});

test('messages carry the contract fields and trace to their source', async () => {
  const r = await runCli(['messages', SAMPLE, '--format', 'json', '--search', 'безопасности']);
  assert.equal(r.code, 0);
  const items = JSON.parse(r.stdout).items;
  // Three template threats: Anna's, Dmitri's and Boris's, whose copy hides its words with homoglyphs
  // (found since search folds them as attribution does).
  assert.deepEqual(items.map((m: { victim: string }) => m.victim), ['anna', 'dmitri', 'boris']);
  const m = items[0];
  for (const field of ['id', 'platform', 'kind', 'chat', 'victim', 'sender', 'sentAt', 'text', 'phones', 'media', 'forwarded', 'source']) {
    assert.ok(field in m, field);
  }
  assert.equal(m.sentAt, '2022-01-20T18:14:05Z');
  assert.equal(m.sender.key, 'telegram:user5012345678');
  assert.equal(m.source.file.endsWith('anna/ChatExport_2022-01-25/result.json'), true);
  assert.equal(m.source.messageId, '1');
  const bytes = readFileSync(join(SAMPLE, 'anna/ChatExport_2022-01-25/result.json'));
  const cut = JSON.parse(bytes.subarray(m.source.offset, m.source.offset + m.source.length).toString('utf8'));
  assert.equal(cut.id, 1);
  assert.match(m.source.sha256, /^[0-9a-f]{64}$/);
});

test('messages filters: sender, victim, time range, regex, limit, phone in any format', async () => {
  const run = async (...args: string[]) => JSON.parse((await runCli(['messages', SAMPLE, '--format', 'json', ...args])).stdout).items;
  assert.equal((await run('--sender', 'phone:+79281234567')).length, 7);
  assert.ok((await run('--sender', 'мама')).every((m: { sender: { name: string } }) => m.sender.name === 'Мама'));
  assert.ok((await run('--victim', 'elena')).every((m: { victim: string }) => m.victim === 'elena'));
  const day = await run('--since', '2022-01-24', '--until', '2022-01-24');
  assert.ok(day.length > 0 && day.every((m: { sentAt: string }) => m.sentAt.startsWith('2022-01-24')));
  const grep = await run('--grep', 'Удали (свой )?канал');
  assert.equal(grep.length, 5);
  assert.equal((await run('--limit', '3')).length, 3);
  const phone = await run('--phone', '8 928 123 45 67', '--region', 'RU');
  assert.deepEqual(phone.map((m: { victim: string }) => m.victim), ['anna', 'dmitri']);
  const bad = await runCli(['messages', SAMPLE, '--since', 'yesterday']);
  assert.equal(bad.code, 2);
  const badRe = await runCli(['messages', SAMPLE, '--grep', '(']);
  assert.equal(badRe.code, 2);
});

test('a case on disk: re-ingesting adds nothing; a bad file is rejected, the rest kept, exit 1', async () => {
  const dir = tempDir();
  const caseDir = join(dir, 'case');
  const first = await runCli(['ingest', '--case', caseDir, SAMPLE, '--format', 'json']);
  assert.equal(first.code, 0, first.stderr);
  const files = JSON.parse(first.stdout).items;
  assert.equal(files.filter((f: { status: string }) => f.status === 'ingested').length, 6);
  assert.ok(existsSync(join(caseDir, 'case.sqlite')));
  const manifest = JSON.parse(readFileSync(join(caseDir, 'evidence-manifest.json'), 'utf8'));
  assert.equal(manifest.files.length, 9);
  for (const f of manifest.files) assert.match(f.sha256, /^[0-9a-f]{64}$/);

  const again = await runCli(['ingest', '--case', caseDir, SAMPLE, '--format', 'json']);
  assert.equal(again.code, 0);
  assert.ok(JSON.parse(again.stdout).items.every((f: { status: string }) => f.status === 'duplicate'));
  const count = async () => JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json'])).stdout).items.length;
  assert.equal(await count(), 58);

  // A truncated Telegram export next to a good WhatsApp export: one rejected, one kept.
  const bad = join(dir, 'bad');
  mkdirSync(join(bad, 'zoe'), { recursive: true });
  writeFileSync(join(bad, 'zoe', 'result.json'), readFileSync(join(SAMPLE, 'anna/ChatExport_2022-01-25/result.json')).subarray(0, 1500));
  copyFileSync(fixturePath('whatsapp', 'android-en-gb-24h.txt'), join(bad, 'zoe', 'chat.txt'));
  const mixed = await runCli(['ingest', '--case', caseDir, bad, '--tz', 'Europe/Berlin']);
  assert.equal(mixed.code, 1);
  assert.match(mixed.stderr, /rejected .*zoe\/result\.json@byte \d+: .*truncated|unexpected end/i);
  assert.equal(await count(), 58 + 11);
  // Nothing of the rejected file stayed.
  const all = JSON.parse((await runCli(['messages', '--case', caseDir, '--format', 'json', '--victim', 'zoe'])).stdout).items;
  assert.ok(all.every((m: { source: { file: string } }) => m.source.file.endsWith('chat.txt')));
});

test('unknown files are rejected by name with exit 1; a missing case is a usage error', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'notes.pdf'), '%PDF-1.4 not evidence');
  const r = await runCli(['analyze', dir]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /rejected .*notes\.pdf: unrecognised format/);
  const none = await runCli(['senders', '--case', join(dir, 'nowhere')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no case at/);
});

test('phones as a pipeline filter and over a case', async () => {
  const r = await runCli(['phones', '--region', 'RU', '--format', 'jsonl'], { stdin: 'звони 8 (928) 123-45-67\nили +49 1512 3456789, заказ №12345678901234\n' });
  assert.equal(r.code, 0, r.stderr);
  const found = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(found.map((p: { e164: string }) => p.e164), ['+79281234567', '+4915123456789']);
  assert.deepEqual(found[1].sources, [{ line: 2, column: 5 }]);
  const args = await runCli(['phones', '+7 (999) 000-00-00', '--format', 'json']);
  assert.equal(JSON.parse(args.stdout).items[0].validity, 'valid pattern');

  const dir = tempDir();
  await runCli(['ingest', '--case', join(dir, 'c'), fixturePath('cases', 'same-number')]);
  const phones = JSON.parse((await runCli(['phones', '--case', join(dir, 'c'), '--format', 'json'])).stdout).items;
  const number = phones.find((p: { e164: string }) => p.e164 === '+79281234567');
  assert.deepEqual(number.victims, ['anna', 'boris', 'dmitri']);
  assert.ok(number.rawForms.length >= 5, number.rawForms.join(' | '));
  const crossing = JSON.parse((await runCli(['phones', '--case', join(dir, 'c'), '--format', 'json', '--min-victims', '3'])).stdout).items;
  assert.deepEqual(crossing.map((p: { e164: string }) => p.e164), ['+79281234567']);
});

test('hostile text cannot drive the terminal or a spreadsheet', async () => {
  const dir = tempDir();
  const victim = join(dir, 'v');
  mkdirSync(victim);
  writeFileSync(
    join(victim, 'chat.txt'),
    '01/02/2022, 10:00 - Evil\u001b]0;pwned\u0007: \u001b[2J\u001b[31mcleared\u001b[0m =HYPERLINK("http://x","y")\n01/02/2022, 10:01 - Evil: @SUM(1+1)\n',
  );
  const table = await runCli(['messages', victim, '--tz', 'UTC']);
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, /\u001b|\u0007/);
  assert.match(table.stdout, /cleared =HYPERLINK/);
  const csv = await runCli(['messages', victim, '--tz', 'UTC', '--format', 'csv']);
  assert.doesNotMatch(csv.stdout, /(^|,)[=@+-]/m);
  assert.match(csv.stdout, /,'@SUM\(1\+1\),/);
  const json = await runCli(['messages', victim, '--tz', 'UTC', '--format', 'json']);
  // JSON keeps the evidence exactly (escaped), so nothing is lost.
  assert.equal(JSON.parse(json.stdout).items[0].text, '\u001b[2J\u001b[31mcleared\u001b[0m =HYPERLINK("http://x","y")');
});

test('line separators and bidi marks: tables show none raw, JSON escapes them, CSV guards cells behind spaces or quotes', async () => {
  const dir = tempDir();
  const victim = join(dir, 'v');
  mkdirSync(victim);
  writeFileSync(
    join(victim, 'chat.txt'),
    '01/02/2022, 10:00 - Evil: first\u2028second\u2029third \u200eleft\u200fright\u061cmark \u202eesrever\u202c \u2066iso\u2069\n' +
      '01/02/2022, 10:01 - Evil:  =1+1\n01/02/2022, 10:02 - Evil: "=HYPERLINK(""http://x"")\n01/02/2022, 10:03 - Evil: \t @SUM(1)\n01/02/2022, 10:04 - Evil: -5\n',
  );
  const raw = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  const table = await runCli(['messages', victim, '--tz', 'UTC']);
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, raw);
  // The marks are shown as the obfuscation they may be; overrides and isolates are stripped.
  assert.match(table.stdout, /first ⏎ second ⏎ third ⟨U\+200E⟩left⟨U\+200F⟩right⟨U\+061C⟩mark esrever iso/);
  const json = await runCli(['messages', victim, '--tz', 'UTC', '--format', 'json']);
  const jsonl = await runCli(['messages', victim, '--tz', 'UTC', '--format', 'jsonl']);
  for (const out of [json.stdout, jsonl.stdout]) {
    assert.doesNotMatch(out, raw);
    for (const escape of ['\\u2028', '\\u2029', '\\u200e', '\\u200f', '\\u061c', '\\u202e', '\\u202c', '\\u2066', '\\u2069']) assert.ok(out.includes(escape), escape);
  }
  // The evidence itself is kept exactly.
  assert.equal(JSON.parse(json.stdout).items[0].text, 'first\u2028second\u2029third \u200eleft\u200fright\u061cmark \u202eesrever\u202c \u2066iso\u2069');
  const csv = (await runCli(['messages', victim, '--tz', 'UTC', '--format', 'csv'])).stdout;
  assert.match(csv, /,"' =1\+1",|,' =1\+1,/);
  assert.match(csv, /,"'""=HYPERLINK\(""""http:\/\/x""""\)",/);
  assert.match(csv, /,"'\t @SUM\(1\)",|,'\t @SUM\(1\),/);
  assert.match(csv, /,-5,/);

  // explain quotes messages in its ledger: the same rules.
  const sample = join(dir, 'sample');
  const { cpSync } = await import('node:fs');
  cpSync(SAMPLE, sample, { recursive: true });
  const export_ = join(sample, 'anna', 'ChatExport_2022-01-25', 'result.json');
  writeFileSync(export_, readFileSync(export_, 'utf8').replaceAll('Удали свой канал до пятницы.', 'Удали\\u2028свой\\u2029канал\\u202e до\\u200f пятницы.'));
  const caseDir = join(dir, 'c');
  assert.equal((await runCli(['ingest', '--case', caseDir, sample])).code, 0);
  const id = JSON.parse((await runCli(['cluster', '--case', caseDir, '--format', 'json'])).stdout).items[0].id;
  const ledger = await runCli(['explain', id, '--case', caseDir]);
  assert.equal(ledger.code, 0, ledger.stderr);
  assert.match(ledger.stdout, /Удали ⏎ свой ⏎ канал до/);
  assert.doesNotMatch(ledger.stdout, /[\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
});

test('cluster graphs open in Gephi: GraphML and GEXF are well-formed, with weights and types', async () => {
  const graphmlOut = (await runCli(['cluster', SAMPLE, '--format', 'graphml'])).stdout;
  assert.match(graphmlOut, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<graphml /);
  assert.equal((graphmlOut.match(/<node /g) ?? []).length, 3);
  assert.match(graphmlOut, /<data key="weight">\d+(\.\d+)?<\/data><data key="status">joined<\/data><data key="types">[a-z -]*own-identifier/);
  const gexfOut = (await runCli(['cluster', SAMPLE, '--format', 'gexf'])).stdout;
  assert.match(gexfOut, /<gexf xmlns="http:\/\/gexf.net\/1.3" version="1.3">/);
  assert.equal((gexfOut.match(/<edge /g) ?? []).length, 2);
  const dotOut = (await runCli(['cluster', SAMPLE, '--format', 'dot'])).stdout;
  assert.match(dotOut, /^graph threatlens \{/);
  const csv = (await runCli(['cluster', SAMPLE, '--format', 'csv'])).stdout.split('\n');
  assert.equal(csv[0], 'cluster,status,bridge,type,family,a,b,weight,commonness,df,shownBy,detail,refs');
});

test('explain shows the ledger of a cluster and of a pair, with messages and sources', async () => {
  const dir = tempDir();
  const caseDir = join(dir, 'c');
  await runCli(['ingest', '--case', caseDir, SAMPLE]);
  const clusters = JSON.parse((await runCli(['cluster', '--case', caseDir, '--format', 'json'])).stdout);
  const id = clusters.items[0].id;
  assert.equal(clusters.params.joinBits, 8);
  const ledger = await runCli(['explain', id, '--case', caseDir]);
  assert.equal(ledger.code, 0, ledger.stderr);
  assert.match(ledger.stdout, /own-identifier: \+79281234567/);
  assert.match(ledger.stdout, /dmitri\/DataExport_2022-02-01\/result\.json@\d+/);
  assert.match(ledger.stdout, /against: /);
  const pair = await runCli(['explain', 'telegram:user5098765432', 'phone:+79281234567', '--case', caseDir, '--format', 'json']);
  const link = JSON.parse(pair.stdout);
  assert.equal(link.joined, true);
  assert.ok(link.score >= link.needed.join);
  const trap = await runCli(['explain', 'name:ecbac761b03b:Мама', 'name:0e6dcb6f225b:Мама', '--case', caseDir, '--format', 'json']);
  assert.equal(JSON.parse(trap.stdout).joined, false);
  const unknown = await runCli(['explain', 'C-0000000000', '--case', caseDir]);
  assert.equal(unknown.code, 2);
});

test('media of the sample case: camera facts, anomalies, and the reused photo across victims', async () => {
  const r = await runCli(['media', SAMPLE, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const items = JSON.parse(r.stdout).items;
  assert.equal(items.length, 3);
  const original = items.find((m: { path: string }) => m.path.endsWith('IMG_20220119_153012.jpg'));
  assert.equal(original.exif.make, 'samsung');
  assert.equal(original.exif.model, 'SM-A515F');
  assert.equal(original.exif.takenAt, '2022-01-19T12:30:12Z');
  assert.deepEqual([original.exif.gps.lat, original.exif.gps.lon], [43.317812, 45.694923]);
  assert.ok(original.anomalies.includes('gps-in-messenger-image'));
  assert.deepEqual(original.messages.map((m: { victim: string }) => m.victim), ['anna']);
  // The copy WhatsApp delivered to Boris is another file (other SHA-256) showing the same picture.
  const copy = items.find((m: { path: string }) => m.path.includes('.zip!00000004-PHOTO'));
  assert.notEqual(copy.sha256, original.sha256);
  assert.ok(copy.exif.jfifOnly);
  assert.ok(copy.anomalies.includes('metadata-stripped'));
  assert.deepEqual(original.similar.map((s: { sha256: string }) => s.sha256), [copy.sha256]);
  assert.ok(original.similar[0].distance <= 10);
  const geo = JSON.parse((await runCli(['media', SAMPLE, '--format', 'geojson'])).stdout);
  assert.equal(geo.type, 'FeatureCollection');
  assert.deepEqual(geo.features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates), [[45.694923, 43.317812, 127]]);
  // Loose images work without any export; a file that is not an image is named and rejected.
  const loose = await runCli(['media', fixturePath('images', 'canon-80d.jpg'), fixturePath('images', 'not-an-image.jpg'), '--format', 'json']);
  assert.equal(loose.code, 1);
  assert.match(loose.stderr, /not-an-image\.jpg: unrecognised format/);
  assert.equal(JSON.parse(loose.stdout).items[0].exif.serial, '083021001234');
});

test('the HTML report is self-contained, escaped and deterministic', async () => {
  const a = await runCli(['analyze', SAMPLE, '--format', 'html']);
  const b = await runCli(['analyze', SAMPLE, '--format', 'html']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.match(a.stdout, /^<!doctype html>/);
  assert.match(a.stdout, /Content-Security-Policy" content="default-src 'none'/);
  // Nothing loaded, nothing to follow out of the file: links only to its own sections.
  assert.doesNotMatch(a.stdout, /<script|src="(?!data:image\/jpeg;base64,)|href="(?!#)|xlink:href|url\(/i);
  assert.match(a.stdout, /<img class="thumb" src="data:image\/jpeg;base64,/, "the image evidence embedded as thumbnails");
  assert.match(a.stdout, /id="C-[0-9a-f]{10}"/);
  for (const [, target] of a.stdout.matchAll(/href="#([^"]+)"/g)) assert.ok(a.stdout.includes(`id="${target}"`), `#${target} is in the page`);
  // Findings first, then data quality; a timeline and a graph drawn for the cluster.
  assert.ok(a.stdout.indexOf('id="findings"') < a.stdout.indexOf('id="quality"') && a.stdout.indexOf('id="quality"') < a.stdout.indexOf('id="clusters"'));
  assert.match(a.stdout, /<b>1 actor<\/b> \(clusters of sender accounts that evidence links\), reaching <b>3 of 4 victims<\/b>/);
  assert.match(a.stdout, /<svg class="timeline"[^>]*>(?:(?!<\/svg>).)*<circle/s);
  assert.match(a.stdout, /<svg class="graph"[^>]*>(?:(?!<\/svg>).)*<line/s);
  // The map: country outlines drawn from the package's data, the geotagged photo on it, named with its hash.
  assert.match(a.stdout, /<svg class="map"[^>]*><rect[^>]*\/><path d="M-?[\d.]+ -?[\d.]+L/);
  assert.match(a.stdout, /<td>image GPS<\/td><td class="mono">43\.31781, 45\.69492<\/td>.*sha256 bdf84e4ee5fb406047ec2adeda636a7aae79be0cc768469921cbaa1361c4a55e/);
  assert.match(a.stdout, /зн\[a\]ем/, 'homoglyphs made visible');
  // Paths from the evidence folder on; --absolute-paths shows them whole.
  assert.ok(!a.stdout.includes('fixtures/sample-case/'), 'no path names the folders above the evidence');
  assert.match(a.stdout, /paths relative to the evidence folder <span class="mono">sample-case\/<\/span>/);
  assert.match(a.stdout, /<span class="mono">anna\/ChatExport_2022-01-25\/result\.json<\/span>/);
  const whole = await runCli(['analyze', SAMPLE, '--format', 'html', '--absolute-paths']);
  assert.ok(whole.stdout.includes(`${SAMPLE}/anna/ChatExport_2022-01-25/result.json`));

  const dir = tempDir();
  mkdirSync(join(dir, 'v'));
  writeFileSync(join(dir, 'v', 'chat.txt'), '01/02/2022, 10:00 - <img src=x onerror=alert(1)>: <script>alert("x")</script>\n');
  const hostile = await runCli(['analyze', join(dir, 'v'), '--tz', 'UTC', '--format', 'html']);
  assert.equal(hostile.code, 0, hostile.stderr);
  assert.doesNotMatch(hostile.stdout, /<script>|<img /);
  assert.match(hostile.stdout, /&lt;img src=x onerror=alert\(1\)&gt;/);
});
