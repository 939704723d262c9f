// Exports that keep provenance (issue 16): the CSV of messages and of media carry full SHA-256s,
// message ids, chats, sender keys, time bases, source files and positions; --bom for spreadsheets;
// Timesketch's JSON Lines; KML and GeoJSON with images and the places chats share; the full graph
// with victims, numbers and images for Gephi and Maltego.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { parseDocument } from 'htmlparser2';
import { fixturePath, runCli } from './helpers.js';

const SAMPLE = fixturePath('sample-case');
const HEX64 = /^[0-9a-f]{64}$/;

async function out(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('messages CSV: one row per message, every provenance column, full hashes; it parses back to what JSON says', async () => {
  const rows = parse(await out(['messages', SAMPLE, '--format', 'csv']), { columns: true }) as Record<string, string>[];
  const json = (JSON.parse(await out(['messages', SAMPLE, '--format', 'json'])) as { items: { id: string; text: string; source: { sha256: string; offset?: number; line?: number } }[] }).items;
  assert.equal(rows.length, json.length);
  for (const column of ['id', 'sent_at', 'time_basis', 'victim', 'chat_id', 'sender_key', 'text', 'media_sha256', 'source_file', 'source_sha256', 'source_line', 'source_offset', 'source_message_id']) {
    assert.ok(column in rows[0]!, column);
  }
  rows.forEach((row, i) => {
    assert.equal(row.id, json[i]!.id);
    assert.match(row.source_sha256!, HEX64);
    assert.equal(row.source_offset, json[i]!.source.offset !== undefined ? String(json[i]!.source.offset) : '');
    assert.equal(row.source_line, json[i]!.source.line !== undefined ? String(json[i]!.source.line) : '');
  });
  const threat = rows.find((r) => (r.text ?? '').startsWith('Борис, мы зн'))!;
  assert.equal(threat.text, json.find((m) => m.id === threat.id)!.text, 'the text as written (zero-width space and Latin letters kept), not as the table shows it');
  const photo = rows.find((r) => r.media_sha256 !== '')!;
  assert.match(photo.media_sha256!, HEX64);

  const bom = await out(['messages', SAMPLE, '--format', 'csv', '--bom']);
  assert.ok(bom.startsWith('\ufeffid,sent_at,'), '--bom: a byte-order mark before the header');
  assert.ok(!(await out(['messages', SAMPLE, '--format', 'csv'])).startsWith('\ufeff'));
});

test('media CSV: the full SHA-256, bytes, width and height apart, every file, the messages; GeoJSON and KML carry images and shared places', async () => {
  const rows = parse(await out(['media', SAMPLE, '--format', 'csv']), { columns: true }) as Record<string, string>[];
  assert.ok(rows.length >= 3);
  for (const row of rows) {
    assert.match(row.sha256!, HEX64);
    assert.match(row.bytes!, /^\d+$/);
    assert.match(row.width!, /^\d+$/);
    assert.match(row.messages!, /^(tg|wa):/);
  }
  assert.ok(!('size' in rows[0]!), 'no column named size holding dimensions');

  const places = [SAMPLE, fixturePath('telegram', 'chat-personal')];
  const geo = JSON.parse(await out(['media', ...places, '--format', 'geojson'])) as { features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] };
  const kinds = geo.features.map((f) => f.properties.kind);
  assert.ok(kinds.includes('image') && kinds.includes('shared-location'));
  const shared = geo.features.find((f) => f.properties.kind === 'shared-location')!;
  assert.deepEqual(shared.geometry.coordinates, [39.720349, 47.222078], 'RFC 7946: longitude first');
  assert.match(String(shared.properties.sourceSha256), HEX64);

  const kml = await out(['media', ...places, '--format', 'kml']);
  const doc = parseDocument(kml, { xmlMode: true });
  const marks = doc.children.flatMap(function all(n): { name: string }[] {
    const el = n as unknown as { name?: string; children?: unknown[] };
    return [...(el.name !== undefined ? [{ name: el.name }] : []), ...((el.children ?? []) as never[]).flatMap(all)];
  });
  assert.equal(marks.filter((m) => m.name === 'Placemark').length, geo.features.length, 'one Placemark per GeoJSON feature');
  assert.match(kml, /<coordinates>39\.720349,47\.222078<\/coordinates>/);
  assert.match(kml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<kml xmlns="http:\/\/www\.opengis\.net\/kml\/2\.2">/);
});

test('messages --format timesketch: JSON Lines with message, datetime, timestamp_desc and the provenance fields', async () => {
  const lines = (await out(['messages', SAMPLE, '--format', 'timesketch'])).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const json = (JSON.parse(await out(['messages', SAMPLE, '--format', 'json'])) as { items: { sentAt: string | null }[] }).items;
  assert.equal(lines.length, json.filter((m) => m.sentAt !== null).length, 'every message with a known instant');
  for (const e of lines) {
    assert.equal(typeof e.message, 'string');
    assert.match(String(e.datetime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(e.timestamp, Date.parse(String(e.datetime)) * 1000);
    assert.equal(e.timestamp_desc, 'Message Sent');
    assert.match(String(e.source_sha256), HEX64);
    assert.match(String(e.message_id), /^(tg|wa):/);
  }
  assert.ok(lines.some((e) => String(e.message).startsWith('[boris] +7 928 123‑45‑67: Борис, мы зн')));
});

test('cluster --graph full: victims, phone numbers and images around the identities, as nodes of their kind', async () => {
  const graphml = await out(['cluster', SAMPLE, '--format', 'graphml', '--graph', 'full']);
  for (const node of ['victim:anna', 'number:+79281234567', 'image:bdf84e4ee5fb406047ec2adeda636a7aae79be0cc768469921cbaa1361c4a55e']) {
    assert.ok(graphml.includes(`<node id="${node}">`), node);
  }
  assert.match(graphml, /<edge id="e\d+" source="telegram:user5012345678" target="victim:anna">.*<data key="status">wrote to<\/data>/);
  const links = await out(['cluster', SAMPLE, '--format', 'graphml']);
  assert.ok(!links.includes('victim:anna'), 'the default graph holds the identities alone');
  const gexf = await out(['cluster', SAMPLE, '--format', 'gexf', '--graph', 'full']);
  assert.match(gexf, /<node id="number:\+79281234567" label="\+79281234567"><attvalues>.*<attvalue for="4" value="number"\/>/);
});
