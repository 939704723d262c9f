// telegram-json reader on the hand-written exports in fixtures/telegram/ (see its README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { telegramJsonReader } from '../src/readers/telegram/telegram-json.js';
import type { AddressBookEntry, Chat, ExportInfo, ParsedMessage, ReaderEvent } from '../src/model.js';
import { fixturePath, messagesOf, readAll, warningsOf } from './helpers.js';

const PERSONAL = fixturePath('telegram', 'chat-personal', 'result.json');
const OLD = fixturePath('telegram', 'chat-old-2020', 'result.json');
const ACCOUNT = fixturePath('telegram', 'account', 'result.json');

const VIKTOR = 'telegram:user6012345678';
const OLGA = 'telegram:user5098765432';
const JPEG_PERSONAL = fixturePath('telegram', 'chat-personal', 'photos', 'photo_1@14-03-2024_21-07-30.jpg');

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** For every message: the bytes at offset..offset+length of the file parse to an object with the same id. */
function assertProvenance(file: string, messages: ParsedMessage[]): void {
  const bytes = readFileSync(file);
  const fileSha = sha256(file);
  assert.ok(messages.length > 0);
  for (const m of messages) {
    const { offset, length } = m.source;
    assert.ok(offset !== undefined && length !== undefined, 'offset and length are set');
    const raw = JSON.parse(bytes.subarray(offset, offset + length).toString('utf8')) as { id: number };
    assert.equal(String(raw.id), m.source.messageId, `message at byte ${offset}`);
    assert.equal(m.source.sha256, fileSha);
    assert.equal(m.source.file, file.split('\\').join('/'));
  }
}

function byId(messages: ParsedMessage[], id: string): ParsedMessage {
  const m = messages.find((x) => x.source.messageId === id);
  assert.ok(m, `message ${id} exists`);
  return m;
}

const exportOf = (events: ReaderEvent[]): ExportInfo => {
  const first = events[0];
  assert.equal(first?.type, 'export', 'export comes first');
  return (first as { type: 'export'; info: ExportInfo }).info;
};
const chatsOf = (events: ReaderEvent[]): Chat[] => events.flatMap((e) => (e.type === 'chat' ? [e.chat] : []));
const contactsOf = (events: ReaderEvent[]): AddressBookEntry[] => events.flatMap((e) => (e.type === 'contact' ? [e.contact] : []));

// ------------------------------------------------------------------------------------------------
// Single personal chat, tdesktop 4.x/5.x shape

test('personal chat: export, chat, then 20 messages in order', async () => {
  const events = await readAll(telegramJsonReader, PERSONAL);
  const info = exportOf(events);
  assert.deepEqual(info, {
    platform: 'telegram',
    reader: 'telegram-json',
    ownerKey: null,
    ownerName: null,
    ownerPhoneRaw: null,
    facts: { form: 'chat', timeBasis: 'instant', offsetSource: 'date_unixtime', exporterOffset: '+03:00' },
  });
  assert.deepEqual(chatsOf(events), [{ id: 'telegram:6012345678', name: 'Виктор', platform: 'telegram', type: 'personal_chat' }]);
  assert.equal(events[1]!.type, 'chat', 'the chat comes before its messages');
  const messages = messagesOf(events);
  assert.equal(messages.length, 20);
  assert.deepEqual(
    messages.map((m) => m.source.messageId),
    Array.from({ length: 20 }, (_, i) => String(2101 + i)),
  );
  assert.ok(messages.every((m) => m.platform === 'telegram' && m.chat.id === 'telegram:6012345678' && m.chat.name === 'Виктор'));
  assertProvenance(PERSONAL, messages);
});

test('personal chat: senders, owner and times', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, PERSONAL));
  const threat = byId(messages, '2103');
  assert.deepEqual(threat.sender, { key: VIKTOR, name: 'Виктор', raw: 'Виктор', phone: null });
  assert.equal(threat.text, 'Мы знаем, где живёт твоя мать. Ты нигде не в безопасности.');
  assert.equal(threat.kind, 'text');
  assert.equal(threat.replyTo, '2102');
  assert.deepEqual(threat.time, { utc: '2024-03-14T18:05:40Z', local: '2024-03-14T21:05:40', basis: 'instant', zone: '+03:00' });
  // Past midnight local time, still the previous day in UTC.
  assert.deepEqual(byId(messages, '2120').time, {
    utc: '2024-03-14T21:02:19Z',
    local: '2024-03-15T00:02:19',
    basis: 'instant',
    zone: '+03:00',
  });
  assert.equal(byId(messages, '2120').text, 'You are not safe anywhere. We are watching you.');

  // The chat id is the peer's user id: everyone else is the owner.
  const own = byId(messages, '2102');
  assert.deepEqual(own.sender, { key: OLGA, name: 'Ольга Смирнова', raw: 'Ольга Смирнова', phone: null });
  assert.equal(own.outgoing, true);
  assert.equal(threat.outgoing, false);
  for (const m of messages) {
    if (m.sender?.key === VIKTOR) assert.equal(m.outgoing, false, m.source.messageId);
    else if (m.sender?.key === OLGA) assert.equal(m.outgoing, true, m.source.messageId);
    else assert.equal(m.outgoing, null, m.source.messageId);
  }
});

test('personal chat: text entities, marked phones, edits, forwards', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, PERSONAL));
  const phone = byId(messages, '2104');
  assert.equal(phone.text, 'Позвони на +7 928 123 45 67 до вечера, иначе пожалеешь.');
  assert.deepEqual(phone.markedPhones, ['+7 928 123 45 67']);
  assert.deepEqual(byId(messages, '2103').markedPhones, []);

  const edited = byId(messages, '2106');
  assert.equal(edited.edited, true);
  assert.equal(edited.editedAt, '2024-03-14T18:12:40Z');
  assert.equal(byId(messages, '2105').edited, false);
  assert.equal(byId(messages, '2105').editedAt, null);

  const fwd = byId(messages, '2107');
  assert.equal(fwd.forwarded, true);
  assert.equal(fwd.forwardedFrom, 'Новости Ростова');
  assert.equal(fwd.text, 'Полиция ищет свидетелей поджога на Пушкинской. Подробнее: https://example.org/rostov/news/4481');
  assert.equal(byId(messages, '2106').forwarded, false);
  assert.equal(byId(messages, '2106').forwardedFrom, null);
});

test('personal chat: media present, missing, placeholders', async () => {
  const events = await readAll(telegramJsonReader, PERSONAL);
  const messages = messagesOf(events);
  const dir = dirname(PERSONAL);

  const photo = byId(messages, '2105');
  assert.equal(photo.kind, 'media');
  assert.equal(photo.text, 'Узнаёшь подъезд?');
  assert.deepEqual(photo.media, [
    {
      kind: 'photo',
      name: 'photo_1@14-03-2024_21-07-30.jpg',
      path: `${dir}/photos/photo_1@14-03-2024_21-07-30.jpg`,
      sha256: sha256(JPEG_PERSONAL),
      size: readFileSync(JPEG_PERSONAL).length,
      missing: null,
      mime: null,
    },
  ]);

  const sticker = byId(messages, '2108');
  assert.equal(sticker.kind, 'sticker');
  assert.equal(sticker.media[0]!.kind, 'sticker');
  assert.equal(sticker.media[0]!.sha256, sha256(`${dir}/stickers/sticker.webp`));

  const voice = byId(messages, '2109');
  assert.equal(voice.kind, 'media');
  assert.deepEqual(voice.media[0], {
    kind: 'voice',
    name: 'audio_1@14-03-2024_21-15-40.ogg',
    path: `${dir}/voice_messages/audio_1@14-03-2024_21-15-40.ogg`,
    sha256: null,
    size: 23552,
    missing: 'not-found',
    mime: 'audio/ogg',
  });
  const notFound = warningsOf(events).filter((w) => w.code === 'media-not-found');
  assert.equal(notFound.length, 1);
  assert.equal(notFound[0]!.offset, voice.source.offset);
  assert.match(notFound[0]!.message, /voice_messages\/audio_1@14-03-2024_21-15-40\.ogg/);

  const video = byId(messages, '2110');
  assert.equal(video.text, 'Это твой дом?');
  assert.deepEqual(
    { kind: video.media[0]!.kind, missing: video.media[0]!.missing, path: video.media[0]!.path, name: video.media[0]!.name },
    { kind: 'video', missing: 'not-included', path: null, name: 'IMG_4471.MOV' },
  );
  assert.equal(video.media.length, 1, 'the thumbnail is not a second attachment');
  assert.deepEqual([byId(messages, '2117').media[0]!.missing, byId(messages, '2117').media[0]!.kind], ['too-large', 'video']);
  assert.deepEqual([byId(messages, '2118').media[0]!.missing, byId(messages, '2118').media[0]!.kind], ['not-included', 'video-note']);
  assert.ok(byId(messages, '2103').media.length === 0);
});

test('personal chat: service lines, calls, contact, location, poll, unsupported', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, PERSONAL));
  const pin = byId(messages, '2111');
  assert.equal(pin.kind, 'service');
  assert.equal(pin.action, 'pin_message');
  assert.equal(pin.sender?.key, VIKTOR);

  for (const id of ['2112', '2113']) {
    const call = byId(messages, id);
    assert.equal(call.kind, 'call');
    assert.equal(call.action, 'phone_call');
    assert.equal(call.sender?.key, VIKTOR);
    assert.equal(call.outgoing, false);
  }
  assert.equal(byId(messages, '2103').action, null);

  const contact = byId(messages, '2114');
  assert.equal(contact.kind, 'contact');
  assert.deepEqual(contact.contact, { name: 'Ирина Волкова', phoneRaw: '+7 988 555 12 34' });
  assert.deepEqual(contact.markedPhones, [], 'a shared contact is not a phone entity');
  assert.equal(contact.media[0]!.kind, 'contact-card');
  assert.equal(contact.media[0]!.sha256, sha256(`${dirname(PERSONAL)}/contacts/contact_1.vcf`));

  const place = byId(messages, '2115');
  assert.equal(place.kind, 'location');
  assert.deepEqual(place.location, { lat: 47.222078, lon: 39.720349, name: 'Школа № 5' });

  const poll = byId(messages, '2116');
  assert.equal(poll.kind, 'poll');
  assert.equal(poll.text, 'Что выберешь?\n- Заплатить\n- Уехать из города');

  const unsupported = byId(messages, '2119');
  assert.equal(unsupported.kind, 'unsupported');
  assert.equal(unsupported.sender, null);
  assert.equal(unsupported.outgoing, null);
  assert.equal(unsupported.time.utc, null);
});

test('personal chat: the only warning is the missing voice message', async () => {
  const warnings = warningsOf(await readAll(telegramJsonReader, PERSONAL));
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['media-not-found'],
  );
});

// ------------------------------------------------------------------------------------------------
// Old export (2020): integer from_id, no date_unixtime, text arrays, 1970 "edited" placeholder

test('old export: offset inferred from the 1970 placeholder, flagged', async () => {
  const events = await readAll(telegramJsonReader, OLD);
  assert.deepEqual(exportOf(events).facts, {
    form: 'chat',
    timeBasis: 'inferred-offset',
    exporterOffset: '+05:00',
    offsetSource: '1970-edited-placeholder',
  });
  const warnings = warningsOf(events);
  assert.deepEqual(
    warnings.map((w) => w.code),
    ['inferred-offset'],
  );
  assert.match(warnings[0]!.message, /\+05:00/);
  assert.match(warnings[0]!.message, /--tz/);

  const messages = messagesOf(events);
  assert.equal(messages.length, 11);
  assertProvenance(OLD, messages);
  const threat = byId(messages, '6');
  assert.deepEqual(threat.time, {
    utc: '2020-11-03T14:22:41Z',
    local: '2020-11-03T19:22:41',
    basis: 'inferred-offset',
    zone: '+05:00',
  });
  // The placeholder is not an edit; a real old-style edit is read with the same offset.
  assert.equal(threat.edited, false);
  assert.equal(threat.editedAt, null);
  const edited = byId(messages, '8');
  assert.equal(edited.edited, true);
  assert.equal(edited.editedAt, '2020-11-03T14:40:12Z');
});

test('old export: integer from_id gives the same key as a modern "user…" from_id', async () => {
  const old = messagesOf(await readAll(telegramJsonReader, OLD));
  const modern = messagesOf(await readAll(telegramJsonReader, PERSONAL));
  const oldThreat = byId(old, '6');
  const modernThreat = byId(modern, '2103');
  assert.equal(oldThreat.sender?.key, VIKTOR);
  assert.equal(oldThreat.sender?.key, modernThreat.sender?.key);
  assert.equal(oldThreat.text, modernThreat.text);
  assert.equal(byId(old, '4').sender?.key, OLGA);
});

test('old export: text arrays, deleted account, service actors, group outgoing unknown', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, OLD));
  const phone = byId(messages, '4');
  assert.equal(phone.text, 'Мама, мой новый номер +7 918 234 56 78, запиши.');
  assert.deepEqual(phone.markedPhones, ['+7 918 234 56 78']);
  assert.equal(byId(messages, '8').text, '@olga_sm думала, сменишь номер и всё?');

  const deleted = byId(messages, '7');
  // `from: null`: a deleted account. The export wrote no name, and raw says so.
  assert.deepEqual(deleted.sender, { key: 'telegram:user6077777777', name: '', raw: null, phone: null });
  assert.equal(deleted.text, 'Удалите этого человека из группы!');

  const join = byId(messages, '5');
  assert.equal(join.kind, 'service');
  assert.equal(join.action, 'join_group_by_link');
  assert.equal(join.sender?.key, VIKTOR);
  assert.deepEqual(
    messages.filter((m) => m.kind === 'service').map((m) => [m.source.messageId, m.action]),
    [
      ['1', 'create_group'],
      ['5', 'join_group_by_link'],
      ['11', 'remove_members'],
    ],
  );
  assert.equal(byId(messages, '9').replyTo, '8');
  assert.deepEqual(byId(messages, '10').media.map((x) => [x.kind, x.missing]), [['photo', 'not-included']]);
  // A single-chat export of a group does not say who the owner is.
  assert.ok(messages.every((m) => m.outgoing === null));
});

test('old export: --tz overrides the leaked offset; a disagreeing zone is flagged', async () => {
  const same = await readAll(telegramJsonReader, OLD, { tz: 'Asia/Yekaterinburg' });
  assert.equal(exportOf(same).facts.timeBasis, 'zone');
  assert.deepEqual(warningsOf(same), []);
  assert.deepEqual(byId(messagesOf(same), '6').time, {
    utc: '2020-11-03T14:22:41Z',
    local: '2020-11-03T19:22:41',
    basis: 'zone',
    zone: 'Asia/Yekaterinburg',
  });

  const other = await readAll(telegramJsonReader, OLD, { tz: 'Europe/Moscow' });
  assert.deepEqual(warningsOf(other).map((w) => w.code), ['tz-mismatch']);
  assert.equal(byId(messagesOf(other), '6').time.utc, '2020-11-03T16:22:41Z');
});

test('--tz does not touch messages that carry date_unixtime', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, PERSONAL, { tz: 'America/New_York' }));
  assert.deepEqual(byId(messages, '2103').time, {
    utc: '2024-03-14T18:05:40Z',
    local: '2024-03-14T21:05:40',
    basis: 'instant',
    zone: '+03:00',
  });
});

// ------------------------------------------------------------------------------------------------
// Whole-account export

test('account: owner first, then contacts, then chats with their messages', async () => {
  const events = await readAll(telegramJsonReader, ACCOUNT);
  assert.deepEqual(exportOf(events), {
    platform: 'telegram',
    reader: 'telegram-json',
    ownerKey: OLGA,
    ownerName: 'Ольга Смирнова',
    ownerPhoneRaw: '+7 918 234 56 78',
    facts: { form: 'account', timeBasis: 'instant', offsetSource: 'date_unixtime', exporterOffset: '+03:00' },
  });
  const order = events.map((e) => (e.type === 'chat' ? `chat ${e.chat.id}` : e.type));
  assert.deepEqual(order.slice(0, 4), ['export', 'contact', 'contact', 'contact']);
  const chatAt = (id: string): number => order.indexOf(`chat ${id}`);
  const messages = messagesOf(events);
  // Each chat event comes right before its own messages.
  for (const m of messages) {
    const idx = events.findIndex((e) => e.type === 'message' && e.message === m);
    const lastChat = events.slice(0, idx).filter((e) => e.type === 'chat').pop() as { chat: Chat };
    assert.equal(lastChat.chat.id, m.chat.id);
  }
  assert.ok(chatAt('telegram:6012345678') < chatAt('telegram:1655555555'), 'left chats come after chats');

  const contacts = contactsOf(events);
  assert.deepEqual(
    contacts.map((c) => [c.name, c.phoneRaw, c.platformId]),
    [
      ['Мама', '+7 863 222 33 44', 'user5011111111'],
      ['Дмитрий Смирнов', '+7 918 765 43 21', 'user5022222222'],
      ['Ирина Волкова', '+7 988 555 12 34', null],
    ],
  );
  const bytes = readFileSync(ACCOUNT);
  for (const c of contacts) {
    const raw = JSON.parse(bytes.subarray(c.source.offset!, c.source.offset! + c.source.length!).toString()) as { phone_number: string };
    assert.equal(raw.phone_number, c.phoneRaw);
  }
});

test('account: chats, counts per chat, types and names', async () => {
  const events = await readAll(telegramJsonReader, ACCOUNT);
  assert.deepEqual(chatsOf(events), [
    { id: 'telegram:6012345678', name: 'Виктор', platform: 'telegram', type: 'personal_chat' },
    { id: 'telegram:1712345678', name: 'Родительский чат 5Б', platform: 'telegram', type: 'private_supergroup' },
    { id: 'telegram:1598765432', name: 'Новости Ростова', platform: 'telegram', type: 'public_channel' },
    { id: 'telegram:5098765432', name: 'Saved Messages', platform: 'telegram', type: 'saved_messages' },
    { id: 'telegram:1655555555', name: 'Барахолка Ростов', platform: 'telegram', type: 'public_supergroup' },
  ]);
  const messages = messagesOf(events);
  const count = (id: string): number => messages.filter((m) => m.chat.id === id).length;
  assert.deepEqual(
    ['telegram:6012345678', 'telegram:1712345678', 'telegram:1598765432', 'telegram:5098765432', 'telegram:1655555555'].map(count),
    [3, 6, 1, 1, 1],
  );
  assertProvenance(ACCOUNT, messages);
});

test('account: outgoing is the owner key; migrated ids stay negative strings', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, ACCOUNT));
  for (const m of messages) {
    assert.equal(m.outgoing, m.sender === null ? null : m.sender.key === OLGA, m.source.messageId);
  }
  assert.deepEqual(
    messages.filter((m) => m.outgoing).map((m) => m.source.messageId),
    ['3002', '4', '77'],
  );
  const migrated = messages.filter((m) => m.chat.id === 'telegram:1712345678').map((m) => m.source.messageId);
  assert.deepEqual(migrated, ['-999999998', '-999999997', '1', '2', '3', '4']);
  assert.equal(byId(messages, '-999999997').text, 'Уважаемые родители, собрание в пятницу в 18:00.');
  assert.equal(byId(messages, '1').action, 'migrate_from_group');
  assert.equal(byId(messages, '4').replyTo, '2');

  const anonymous = byId(messages, '2');
  assert.deepEqual(anonymous.sender, { key: 'telegram:user6088888888', name: '', raw: null, phone: null });

  const channelPost = byId(messages, '15872');
  assert.equal(channelPost.sender?.key, 'telegram:channel1598765432');
  assert.equal(channelPost.sender?.name, 'Новости Ростова');

  const saved = byId(messages, '77');
  assert.equal(saved.forwarded, true);
  assert.equal(saved.forwardedFrom, 'Новости Ростова');

  const leftChat = byId(messages, '901');
  assert.equal(leftChat.sender?.key, VIKTOR);
  assert.deepEqual(leftChat.markedPhones, ['+7 928 123 45 67']);
  assert.deepEqual(leftChat.time, { utc: '2023-12-02T11:10:00Z', local: '2023-12-02T14:10:00', basis: 'instant', zone: '+03:00' });
});

test('account: media under chats/chat_NN/, hashed; unavailable placeholder', async () => {
  const messages = messagesOf(await readAll(telegramJsonReader, ACCOUNT));
  const dir = dirname(ACCOUNT);
  const photo = byId(messages, '3001');
  const file = `${dir}/chats/chat_01/photos/photo_1@10-05-2024_22-14-03.jpg`;
  assert.equal(photo.kind, 'media');
  assert.deepEqual(photo.media, [
    { kind: 'photo', name: 'photo_1@10-05-2024_22-14-03.jpg', path: file, sha256: sha256(file), size: 186, missing: null, mime: null },
  ]);
  // The same picture posted in the channel: same hash, other path.
  const post = byId(messages, '15872').media[0]!;
  assert.equal(post.path, `${dir}/chats/chat_03/photos/photo_5@09-05-2024_18-00-00.jpg`);
  assert.equal(post.sha256, sha256(JPEG_PERSONAL));
  assert.deepEqual(
    byId(messages, '3003').media.map((m) => [m.kind, m.missing, m.path]),
    [['voice', 'unavailable', null]],
  );
});

test('account: skipped sections (profile pictures, sessions, other data) produce nothing', async () => {
  const events = await readAll(telegramJsonReader, ACCOUNT);
  assert.deepEqual(warningsOf(events), []);
  const text = JSON.stringify(events);
  assert.ok(!text.includes('185.12.34.56'), 'session IPs are not read');
  assert.ok(!text.includes('profile_pictures'), 'profile pictures are not read');
  assert.equal(events.length, 1 + 3 + 5 + 12);
});

// ------------------------------------------------------------------------------------------------
// Deleted accounts: tdesktop writes their names as null and keeps their ids

test('deleted accounts: from and actor null keep raw null, the id key and an empty name', async () => {
  const file = fixturePath('telegram', 'deleted-accounts', 'result.json');
  const events = await readAll(telegramJsonReader, file);
  assert.deepEqual(warningsOf(events), []);
  const messages = messagesOf(events);
  assert.equal(messages.length, 8);
  assertProvenance(file, messages);
  const gone = { key: 'telegram:user6999000111', name: '', raw: null, phone: null };
  assert.deepEqual(byId(messages, '5403').sender, gone);
  assert.equal(byId(messages, '5403').text, 'Моя. А ты, Гусев, лучше следи за своей машиной. В 417 КС 161, да? Колёса нынче дорогие.');
  // A service line by a deleted account: the actor is the same identity.
  assert.equal(byId(messages, '5404').kind, 'service');
  assert.equal(byId(messages, '5404').action, 'invite_members');
  assert.deepEqual(byId(messages, '5404').sender, gone);
  // Another deleted account is another identity.
  assert.deepEqual(byId(messages, '5406').sender, { key: 'telegram:user6999000222', name: '', raw: null, phone: null });
  // Named senders keep their raw name; a forward from a deleted account is still a forward.
  assert.deepEqual(byId(messages, '5402').sender, { key: 'telegram:user6123456789', name: 'Артём Гусев', raw: 'Артём Гусев', phone: null });
  assert.equal(byId(messages, '5407').forwarded, true);
  assert.equal(byId(messages, '5407').forwardedFrom, null);
  assert.equal(byId(messages, '5401').sender?.raw, 'Артём Гусев');
});

// ------------------------------------------------------------------------------------------------
// Hidden link targets: what the text hides behind what it shows

const LINKS = fixturePath('telegram', 'chat-links', 'result.json');

test('links: text_link hrefs, mention_name ids, custom emoji and bot buttons, once each, in order', async () => {
  const events = await readAll(telegramJsonReader, LINKS);
  assert.deepEqual(warningsOf(events), []);
  const messages = messagesOf(events);
  assert.equal(messages.length, 7);
  assertProvenance(LINKS, messages);

  // A harmless word hiding an IP logger; the visible text stays as it was.
  const photo = byId(messages, '6201');
  assert.equal(photo.text, 'Посмотри это фото, узнаешь кое-кого.');
  assert.deepEqual(photo.links, [{ text: 'фото', href: 'https://grabify.link/Q7ZK2M', kind: 'text-link' }]);
  // A zero-width space carrying a link (the "hidden preview" trick): kept exactly as written.
  const hidden = byId(messages, '6203');
  assert.equal(hidden.text, '\u200bТы здесь живёшь. Третий этаж, окна во двор.');
  assert.deepEqual(hidden.links, [{ text: '\u200b', href: 'https://i.imgur.com/8Jf3kQp.jpg', kind: 'text-link' }]);
  // tdesktop writes a mentioned user's id as a bare number.
  assert.deepEqual(byId(messages, '6204').links, [{ text: 'Дмитрию', href: '5022222222', kind: 'mention-name' }]);
  assert.equal(byId(messages, '6204').text, 'Передай привет Дмитрию, он знает, что будет.');
  assert.deepEqual(byId(messages, '6205').links, [{ text: '😈', href: '5368324170671202286', kind: 'custom-emoji' }]);
  // Text entities first, then the buttons row by row; a callback's data as tdesktop wrote it (base64url).
  const bot = byId(messages, '6206');
  assert.equal(bot.text, 'Все подробности — в инструкции. Подтверди, что прочитала.');
  assert.deepEqual(bot.links, [
    { text: 'инструкции', href: 'https://telegra.ph/Instrukciya-04-12', kind: 'text-link' },
    { text: 'Открыть', href: 'https://t.me/+Xk3LmZp9QwYzMjYy', kind: 'button-url' },
    { text: 'Подтвердить получение', href: 'Y29uZmlybTo3MDEyMzQ1Njc4', kind: 'button-callback' },
    { text: 'Карта', href: 'https://yandex.ru/maps/?pt=39.720349,47.222078&z=17', kind: 'button-url' },
  ]);
  // Visible links and mentions hide nothing.
  assert.deepEqual(byId(messages, '6207').links, []);
  assert.deepEqual(byId(messages, '6202').links, []);
  // Exports without link entities: nothing.
  assert.ok(messagesOf(await readAll(telegramJsonReader, PERSONAL)).every((m) => m.links.length === 0));
});

test('links: read from text arrays alone (before tdesktop 4.2) the same as from text_entities', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tl-telegram-'));
  try {
    const file = join(dir, 'result.json');
    const doc = JSON.parse(readFileSync(LINKS, 'utf8')) as { messages: Record<string, unknown>[] };
    for (const m of doc.messages) delete m.text_entities;
    writeFileSync(file, JSON.stringify(doc, null, 1));
    const old = messagesOf(await readAll(telegramJsonReader, file));
    const modern = messagesOf(await readAll(telegramJsonReader, LINKS));
    assert.deepEqual(
      old.map((m) => [m.text, m.links]),
      modern.map((m) => [m.text, m.links]),
    );
    assert.equal(byId(old, '6206').links.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
