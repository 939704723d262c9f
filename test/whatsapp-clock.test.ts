// The WhatsApp reader converts wall clocks with a per-day cache of the zone's offset. Whatever the
// zone does (DST both ways, half-hour DST, Samoa skipping 30 December 2011, Morocco pausing DST
// for Ramadan, Moscow's 2011 and 2014 changes), each message gets the instant and the gap/overlap
// warning that ZoneConverter gives for its clock on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { whatsappTxtReader } from '../src/readers/whatsapp/whatsapp-txt.js';
import { isoUtc, ZoneConverter, type WallClock } from '../src/util/time.js';
import { messagesOf, readAll, warningsOf } from './helpers.js';

const pad = (n: number): string => String(n).padStart(2, '0');

function wallOf(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: 0,
  };
}

/**
 * Wall clocks (read as UTC ms) from `from` to `to`: every 97 minutes, and every 10 minutes on the
 * days around each change of the zone's offset.
 */
function clocks(zone: ZoneConverter, from: number, to: number): number[] {
  const day = 86_400_000;
  const dense = new Set<number>();
  let last = zone.offsetAt(from);
  for (let t = from; t < to; t += 3_600_000) {
    const o = zone.offsetAt(t);
    if (o !== last) {
      const d = Math.floor((t + o * 60_000) / day) * day;
      for (let k = -1; k <= 1; k++) dense.add(d + k * day);
      last = o;
    }
  }
  const out = new Set<number>();
  for (let t = from; t < to; t += 97 * 60_000) out.add(t);
  for (const d of dense) for (let t = d; t < d + day; t += 10 * 60_000) out.add(t);
  return [...out].filter((t) => t >= from && t < to).sort((a, b) => a - b);
}

const CASES: [string, string, string][] = [
  ['Europe/Berlin', '2011-01-01', '2013-01-01'],
  ['Pacific/Apia', '2011-06-01', '2012-06-01'],
  ['Australia/Lord_Howe', '2011-01-01', '2012-07-01'],
  ['Africa/Casablanca', '2012-01-01', '2013-01-01'],
  ['Europe/Moscow', '2010-09-01', '2011-06-01'],
  ['Europe/Moscow', '2014-09-01', '2014-12-01'],
  ['America/Santiago', '2011-01-01', '2012-07-01'],
  ['+05:30', '2011-01-01', '2011-04-01'],
];

for (const [tz, fromDate, toDate] of CASES) {
  test(`day-cached zone offsets give ZoneConverter's instants and warnings: ${tz} ${fromDate}..${toDate}`, async () => {
    const zone = new ZoneConverter(tz);
    const wall = clocks(zone, Date.parse(`${fromDate}T00:00:00Z`), Date.parse(`${toDate}T00:00:00Z`));
    const lines = wall.map((ms) => {
      const w = wallOf(ms);
      return `${pad(w.day)}/${pad(w.month)}/${w.year}, ${pad(w.hour)}:${pad(w.minute)} - Анна: сообщение в ${pad(w.hour)}:${pad(w.minute)}`;
    });
    const dir = mkdtempSync(join(tmpdir(), 'threatlens-wa-clock-'));
    try {
      const file = join(dir, 'chat.txt');
      writeFileSync(file, `${lines.join('\n')}\n`);
      const events = await readAll(whatsappTxtReader, file, { tz });
      const msgs = messagesOf(events);
      assert.equal(msgs.length, wall.length);
      const warned = new Map(warningsOf(events).flatMap((w) => (w.line !== undefined ? [[w.line, w.code] as const] : [])));
      let gaps = 0;
      let overlaps = 0;
      msgs.forEach((m, i) => {
        const w = wallOf(wall[i]!);
        const want = zone.toUtc(w);
        const local = `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:00`;
        assert.equal(m.time.local, local);
        assert.equal(m.time.utc, isoUtc(want.ms), `${tz} ${local}`);
        const code = want.gap ? 'dst-gap' : want.ambiguous ? 'dst-ambiguous' : undefined;
        assert.equal(warned.get(m.source.line!), code, `${tz} ${local}`);
        if (want.gap) gaps++;
        if (want.ambiguous) overlaps++;
      });
      if (tz !== '+05:30') assert.ok(gaps + overlaps > 0, `${tz}: the sample crosses a change of offset`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
