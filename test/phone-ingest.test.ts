// Phone numbers through ingest: the same number written many ways across victims, the default
// region inferred per export, vCards and contact cards, and where every sighting came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fixturePath, runCli } from './helpers.js';

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'threatlens-phones-'));

interface Phone {
  e164: string;
  seen: number;
  victims: string[];
  rawForms: string[];
  sources: { role: string; raw: string; victim: string; regionUsed: string | null; file: string; card?: { path: string; sha256: string } }[];
}

async function phonesOf(caseDir: string): Promise<Phone[]> {
  const r = await runCli(['phones', '--case', caseDir, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout).items as Phone[];
}

/** The six ways fixtures/cases/same-number writes +7 928 123-45-67, in three victims' exports. */
const SIX_WAYS = [
  '+7(928)1234567',
  '0079281234567',
  '8 (928) 123-45-67',
  '8-928-123-45-67',
  '89281234567',
  '＋７ ９２８ １２３ ４５ ６７',
];

test('the same number written 6 ways in 3 victims\' exports is one E.164, seen 6 times, in 3 victims', async () => {
  const caseDir = join(tempDir(), 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, fixturePath('cases', 'same-number')]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const phones = await phonesOf(caseDir);
  assert.deepEqual(phones.map((p) => p.e164), ['+79281234567'], 'no other number comes out of these chats');
  const [number] = phones;
  assert.equal(number!.seen, SIX_WAYS.length);
  assert.equal(number!.sources.length, SIX_WAYS.length);
  assert.deepEqual(number!.victims, ['anna', 'boris', 'dmitri']);
  assert.deepEqual(number!.rawForms, [...SIX_WAYS].sort());
});

test('without --region or threatlens.json, each export infers its region from its own international numbers (full-width plus too)', async () => {
  const dir = tempDir();
  const evidence = join(dir, 'same-number');
  // The same chats, without the investigator's notes (threatlens.json sets region RU).
  cpSync(fixturePath('cases', 'same-number'), evidence, { recursive: true, filter: (src) => basename(src) !== 'threatlens.json' });
  const caseDir = join(dir, 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, evidence, '--tz', 'Europe/Vilnius']);
  assert.equal(ingest.code, 0, ingest.stderr);
  // The inferred region is stated per export: in the table's detail column...
  assert.equal(ingest.stdout.match(/phone region RU \(inferred: RU: 1 of 1 distinct number written with \+\)/g)?.length, 3, ingest.stdout);
  // ...and in the JSON.
  const files = JSON.parse((await runCli(['ingest', '--case', join(dir, 'case2'), evidence, '--tz', 'Europe/Vilnius', '--format', 'json'])).stdout).items;
  assert.deepEqual(
    files.map((f: { victim: string; region: string; regionSource: string }) => [f.victim, f.region, f.regionSource]),
    ['anna', 'boris', 'dmitri'].map((v) => [v, 'RU', 'inferred: RU: 1 of 1 distinct number written with +']),
  );
  const phones = await phonesOf(caseDir);
  assert.deepEqual(phones.map((p) => p.e164), ['+79281234567']);
  assert.equal(phones[0]!.seen, SIX_WAYS.length);
  assert.deepEqual(phones[0]!.victims, ['anna', 'boris', 'dmitri']);
  // dmitri's export has only '＋７ ９２８ …' as an international number: it must still give RU, so
  // that '8-928-123-45-67' in the same export is read.
  const dmitri = phones[0]!.sources.filter((s) => s.victim === 'dmitri').map((s) => [s.raw, s.regionUsed]);
  assert.deepEqual(dmitri, [
    ['＋７ ９２８ １２３ ４５ ６７', null],
    ['8-928-123-45-67', 'RU'],
  ]);
});

test('analyze states each export\'s phone region and where it came from (threatlens.json, --region, inferred)', async () => {
  const overview = async (...args: string[]) => {
    const r = await runCli(['analyze', fixturePath('cases', 'same-number'), '--format', 'json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout).overview.phoneRegions as { file: string; victim: string; region: string; source: string }[];
  };
  const fromNotes = await overview();
  assert.deepEqual(fromNotes.map((e) => [e.victim, e.region, e.source]), [
    ['anna', 'RU', 'threatlens.json'],
    ['boris', 'RU', 'threatlens.json'],
    ['dmitri', 'RU', 'threatlens.json'],
  ]);
  const fromOption = await overview('--region', 'kz');
  assert.deepEqual(fromOption.map((e) => [e.region, e.source]), [['KZ', '--region'], ['KZ', '--region'], ['KZ', '--region']]);
  const table = await runCli(['analyze', fixturePath('cases', 'same-number')]);
  assert.match(table.stdout, /phone regions .*same-number\/anna\/WhatsApp Chat with Неизвестный\.txt: phone region RU \(threatlens\.json\)/);
});

// --- contact cards ------------------------------------------------------------------------

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

test('contact cards: Telegram contact_vcard, a WhatsApp .vcf beside the .txt and inside the .zip are read, with the card as provenance', async () => {
  const root = fixturePath('cases', 'contact-cards');
  const caseDir = join(tempDir(), 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, root]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const phones = await phonesOf(caseDir);
  const byNumber = new Map(phones.map((p) => [p.e164, p]));

  // Ирина's mobile, shared as a card with all three victims.
  const irina = byNumber.get('+79885551234')!;
  assert.deepEqual(irina.victims, ['anna', 'boris', 'dmitri']);
  assert.equal(irina.seen, 3, 'Telegram gives the number twice (contact_information and the card): one sighting');
  assert.deepEqual(irina.sources.map((s) => s.role), ['contact', 'contact', 'contact']);
  const cards = irina.sources.map((s) => s.card!);
  const telegramCard = join(root, 'anna', 'ChatExport_2024-03-15', 'contacts', 'contact_1.vcf');
  const besideTxt = join(root, 'boris', 'Ирина Волкова.vcf');
  assert.deepEqual(cards.slice(0, 2), [
    { path: telegramCard, sha256: sha256Of(telegramCard) },
    { path: besideTxt, sha256: sha256Of(besideTxt) },
  ]);
  assert.equal(cards[2]!.path, `${join(root, 'dmitri', 'WhatsApp Chat - Сергей.zip')}!00000003-Ирина Волкова.vcf`);
  // The card inside the zip is the attachment the message refers to (same SHA-256).
  const dmitri = JSON.parse((await runCli(['messages', '--case', caseDir, '--victim', 'dmitri', '--format', 'json'])).stdout).items;
  const attachment = dmitri.flatMap((m: { media: { path: string; sha256: string }[] }) => m.media).find((m: { path: string }) => m.path === cards[2]!.path);
  assert.equal(cards[2]!.sha256, attachment.sha256);

  // Numbers only the cards hold: a Rostov landline written nationally (read with the region the
  // export inferred), and a second mobile on the iPhone card.
  const landline = byNumber.get('+78632012345')!;
  assert.deepEqual(landline.victims, ['anna', 'boris']);
  assert.deepEqual(landline.sources.map((s) => [s.role, s.raw, s.regionUsed]), [
    ['contact', '8 (863) 201-23-45', 'RU'],
    ['contact', '8 (863) 201-23-45', 'RU'],
  ]);
  assert.deepEqual(byNumber.get('+79187654321')!.sources.map((s) => [s.role, s.victim, s.raw]), [['contact', 'dmitri', '+7 (918) 765-43-21']]);

  // The phone entity in the Telegram chat stays an entity-or-text sighting, not a contact.
  assert.deepEqual(byNumber.get('+79281234567')!.sources.map((s) => s.role), ['text']);

  // messages --phone finds the card messages by any way of writing the number.
  const mentioning = JSON.parse((await runCli(['messages', '--case', caseDir, '--phone', '8 (988) 555-12-34', '--region', 'RU', '--format', 'json'])).stdout).items;
  assert.deepEqual(mentioning.map((m: { victim: string; kind: string }) => [m.victim, m.kind]), [
    ['anna', 'contact'],
    ['boris', 'media'],
    ['dmitri', 'media'],
  ]);
});

test('a Telegram shared contact is role "contact", not a phone entity', async () => {
  const caseDir = join(tempDir(), 'case');
  const ingest = await runCli(['ingest', '--case', caseDir, fixturePath('telegram', 'chat-personal')]);
  assert.equal(ingest.code, 0, ingest.stderr);
  const irina = (await phonesOf(caseDir)).find((p) => p.e164 === '+79885551234')!;
  assert.deepEqual(irina.sources.map((s) => s.role), ['contact']);
  assert.match(irina.sources[0]!.card!.path, /chat-personal\/contacts\/contact_1\.vcf$/);
});

test('region-unknown is warned only for an export that has a number it could not read for want of a region', async () => {
  const dir = tempDir();
  const chat = (victim: string, lines: string[]): void => {
    mkdirSync(join(dir, 'evidence', victim), { recursive: true });
    writeFileSync(join(dir, 'evidence', victim, `WhatsApp Chat with ${victim}.txt`), lines.map((l) => `${l}\n`).join(''));
  };
  // No number at all (a date, a time, an amount, a Unix time): nothing was skipped, nothing to warn.
  chat('anna', [
    '14/02/2022, 10:00 - Незнакомец: Ты нигде не в безопасности. Встреча 12.03.2022 в 18:30',
    '14/02/2022, 10:01 - Незнакомец: Переведи 15 000 руб до завтра',
    '14/02/2022, 10:02 - Anna: message_id 4821 отправлено 1640170800',
  ]);
  // National numbers and nothing written with + to infer the country from: two skipped.
  chat('boris', [
    '14/02/2022, 11:00 - Незнакомец: Перезвони на 8 (928) 123-45-67',
    '14/02/2022, 11:01 - 8 916 765-43-21: Это мой новый номер',
  ]);
  const r = await runCli(['ingest', '--case', join(dir, 'case'), join(dir, 'evidence'), '--tz', 'Europe/Moscow', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const warned = r.stderr.split('\n').filter((l) => l.includes('[region-unknown]'));
  assert.equal(warned.length, 1, r.stderr);
  assert.match(warned[0]!, /boris\/WhatsApp Chat with boris\.txt: 2 numbers written without \+ were not read: .*--region CC/);
  // The region stays recorded as unknown for both, with why.
  const files = JSON.parse(r.stdout).items as { victim: string; region: string | null; regionSource: string }[];
  assert.deepEqual(files.map((f) => [f.victim, f.region, f.regionSource.split(':')[0]]), [['anna', null, 'none'], ['boris', null, 'none']]);
});
