// The phone stage of ingest: after an export's messages are written (inside the same
// transaction), every phone number in them is normalized and linked to its message and sender:
// numbers in the text, Telegram phone entities, shared contacts (contact_information and the TELs
// of attached vCards), senders that are numbers, and display names holding one.
// The default country for numbers written without + is --region, else inferred from the export's
// own +-prefixed numbers, and recorded on the export either way.
import type { CaseHandle } from '../store/case.js';
import { addPhoneSightings, dropUnsightedFacts, type PhoneSighting } from '../store/phones.js';
import { readContactCards, type ContactCardFile } from './contact-cards.js';
import { countUnreadNational, extractPhones, extractPhonesCapped, normalizePhone, RegionTally, type PhoneFact } from '../phone/index.js';
import type { ParsedMessage, Warning } from '../model.js';
import type { PhonePrefetch } from './phone-prefetch.js';
import type { RowRange } from '../store/overlap.js';

interface Row {
  rowid: number;
  text: string;
  sender_raw: string | null;
  sender_name: string | null;
  sender_phone: string | null;
  extra: string | null;
}

/** Numbers the platform itself gives beside the text: Telegram phone entities and a shared contact's number. */
function numbersBesideText(row: Row): [string, 'entity' | 'contact'][] {
  if (row.extra === null) return [];
  const extra = JSON.parse(row.extra) as { markedPhones?: string[]; contact?: { phoneRaw: string | null } };
  return [
    ...(extra.markedPhones ?? []).map((raw): [string, 'entity'] => [raw, 'entity']),
    ...(extra.contact?.phoneRaw ? [[extra.contact.phoneRaw, 'contact'] as [string, 'contact']] : []),
  ];
}

/**
 * Most numbers recorded from one message text. Real messages hold a few (a Telegram message is at
 * most 4,096 characters, a WhatsApp one 65,536); a text holding more is a list or a dump, and a 50 MB
 * one of phone-like digits held ingest 600 s at 3 GB when every match became a sighting. The rest
 * are counted and warned about, not recorded.
 */
export const PHONE_SIGHTINGS_PER_MESSAGE = 1000;

/** Messages over the cap warned about one by one; the others in one summary. */
const CAPPED_WARNINGS = 5;

export interface PhoneStageResult {
  /** The default country numbers written without + were read with, or null. */
  region: string | null;
  /**
   * Where it came from, as recorded in exports.region_source: '--region', 'threatlens.json',
   * 'inferred: RU: 7 of 9 distinct numbers written with +', or 'none: …'.
   */
  regionSource: string;
}

/** The default region the investigator gave for an export, and where ('--region' or 'threatlens.json'). */
export interface GivenRegion {
  region: string;
  from: string;
}

/**
 * Feeds what a message says about its export's country to `tally`: a sender shown as a number, the
 * numbers a text writes internationally, Telegram phone entities and a shared contact's number.
 * The pipeline calls it for every message as it is written, so inferring the region costs no
 * second pass over the export.
 */
export function tallyForRegion(tally: RegionTally, message: ParsedMessage): void {
  if (message.sender !== null && message.sender.phone !== null && message.sender.raw !== null) tally.addNumber(message.sender.raw);
  tally.addText(message.text);
  for (const raw of message.markedPhones) tally.addNumber(raw);
  if (message.contact?.phoneRaw) tally.addNumber(message.contact.phoneRaw);
}

/** The default country for an export's numbers written without +, and where it came from. */
export interface StageRegion {
  region: string | null;
  /** As recorded in exports.region_source (see PhoneStageResult). */
  source: string;
}

/**
 * Runs the phone stage over one export at once. `given` is the region from --region or
 * threatlens.json; without it the region is inferred from `tally` (fed by tallyForRegion with every
 * message of the export) plus the export's address book and contact cards.
 */
export async function runPhoneStage(
  handle: CaseHandle,
  exportId: number,
  rows: RowRange | null,
  file: string,
  given: GivenRegion | null,
  tally: RegionTally,
  warnings: Warning[],
  options: PhoneStageOptions = {},
): Promise<PhoneStageResult> {
  if (given !== null) return startPhoneStage(handle, exportId, () => rows, file, { region: given.region, source: given.from }, warnings, options).finish(false);
  // The cards read to infer the region are the stage's: it does not read them again.
  const cards = await exportCards(handle, exportId, rows);
  const region = inferRegion(handle, exportId, cards.cards, tally);
  return startPhoneStage(handle, exportId, () => rows, file, region, warnings, { ...options, cards }).finish(false);
}

/** The contact cards of an export's rows, read once, with what could not be read. */
async function exportCards(handle: CaseHandle, exportId: number, rows: RowRange | null): Promise<ReadCards> {
  const warnings: Warning[] = [];
  const cards = rows === null ? [] : await readContactCards(handle, exportId, cardWarningsInto(warnings), { after: rows.first - 1, through: rows.last });
  return { cards, warnings };
}

/** What readContactCards says of a card it could not read, as a warning of the export. */
function cardWarningsInto(warnings: Warning[]): (file: string, message: string) => void {
  return (file, message) => void warnings.push({ file, code: 'contact-card-unreadable', message });
}

/** The region an export's own numbers point to: the tally of its messages, its address book and its contact cards. */
function inferRegion(handle: CaseHandle, exportId: number, cards: readonly ContactCardFile[], tally: RegionTally): StageRegion {
  const contacts = handle.db.prepare('SELECT phone_raw FROM contacts WHERE export_id = ?').pluck().all(exportId) as string[];
  for (const raw of contacts) tally.addNumber(raw);
  for (const card of cards) for (const tel of card.tels) tally.addNumber(tel);
  const inferred = tally.result();
  return { region: inferred.region, source: `${inferred.region !== null ? 'inferred' : 'none'}: ${inferred.evidence}` };
}

/** Contact cards of an export read before its stage ran, and the warnings for those that could not be. */
interface ReadCards {
  cards: ContactCardFile[];
  warnings: Warning[];
}

export interface PhoneStageOptions {
  /** The texts' numbers read on another thread while the export was read (with a given region), if they were. */
  prefetched?: PhonePrefetch | null;
  /** Messages looked at so far, every 2,000. */
  onProgress?: (done: number) => void;
  /** The export's contact cards, read already (runPhoneStage, for the region): not read again. */
  cards?: ReadCards;
}

/** The phone stage of one export, run a stretch of rows at a time. */
export interface PhoneStage {
  /**
   * Records the numbers of the export's rows up to `rowid` that are not recorded yet. Ingest calls
   * it while the export is still read (with a given region, as the phone thread answers), so the
   * main thread writes them while it would otherwise wait.
   */
  through(rowid: number): Promise<void>;
  /**
   * Records the numbers of the rest of the rows and of the address book, and gives the warnings.
   * `mergedAway`: copies were dropped from the export after some of its numbers were recorded
   * (their sightings went with them): the facts of numbers only they held go too.
   */
  finish(mergedAway: boolean): Promise<PhoneStageResult>;
}

/**
 * Starts the phone stage of an export whose default region is known. `rows`: the export's rows as
 * written so far (its writer's; the stage reads only those, never the rest of the case).
 */
export function startPhoneStage(
  handle: CaseHandle,
  exportId: number,
  rows: () => RowRange | null,
  file: string,
  { region, source: regionSource }: StageRegion,
  warnings: Warning[],
  options: PhoneStageOptions = {},
): PhoneStage {
  const prefetched = options.prefetched ?? null;
  const db = handle.db;
  // Pages by rowid (no open iterator while the stage writes), so memory stays flat. Rows come as
  // arrays: better-sqlite3 reads them about a quarter faster so than as objects.
  const page = db
    .prepare(
      'SELECT rowid, text, sender_raw, sender_name, sender_phone, extra FROM messages WHERE export_id = ? AND rowid > ? AND rowid <= ? ORDER BY rowid LIMIT 2000',
    )
    .raw(true);
  function* rowsBetween(after: number, through: number): Generator<Row> {
    for (;;) {
      const batch = page.all(exportId, after, through) as [number, string, string | null, string | null, string | null, string | null][];
      if (batch.length === 0) return;
      for (const [rowid, text, sender_raw, sender_name, sender_phone, extra] of batch) yield { rowid, text, sender_raw, sender_name, sender_phone, extra };
      after = batch[batch.length - 1]![0];
    }
  }

  // Without a region, numbers written without + cannot be read. They are counted, so that the
  // region-unknown warning is given for exports that hold some (not for those with no number at
  // all) and says how many.
  let unread = 0;
  const countUnread = (text: string, found: readonly { start: number; end: number }[]): void => {
    if (region === null) unread += countUnreadNational(text, found);
  };

  /** Numbers whose facts this stage wrote (or found written). */
  const numbers = new Set<string>();
  const capped: { rowid: number; skipped: number }[] = [];
  // A chat repeats the same few sender numbers and contact numbers: each is read once.
  const facts = new Map<string, PhoneFact | null>();
  const namesCounted = new Set<string>();
  const read = (raw: string): PhoneFact | null => {
    let fact = facts.get(raw);
    if (fact === undefined) {
      // The region was checked where it was given (--region, threatlens.json): no try here, so a
      // bad one could not silently drop these numbers while the text's numbers were read.
      fact = normalizePhone(raw, { region });
      facts.set(raw, fact);
      if (fact === null) countUnread(raw, []);
    }
    return fact;
  };
  /** The rows up to this one are recorded (null: none yet). */
  let done: number | null = null;
  let looked = 0;

  async function through(rowid: number): Promise<void> {
    const range = rows();
    if (range === null) return;
    const after = Math.max(done ?? 0, range.first - 1);
    const last = Math.min(rowid, range.last);
    if (last <= after) return;
    const given = options.cards;
    if (given !== undefined && done === null) warnings.push(...given.warnings);
    const cards =
      given !== undefined
        ? given.cards.filter((card) => card.messageRowid > after && card.messageRowid <= last)
        : await readContactCards(handle, exportId, cardWarningsInto(warnings), { after, through: last });
    const cardsByMessage = new Map<number, ContactCardFile[]>();
    for (const card of cards) cardsByMessage.set(card.messageRowid, [...(cardsByMessage.get(card.messageRowid) ?? []), card]);
    const sightings: PhoneSighting[] = [];
    for (const row of rowsBetween(after, last)) {
      if (++looked % 2000 === 0) options.onProgress?.(looked);
      // Every occurrence in the text is a sighting (with its offsets); a number given beside the text
      // (entity, contact, vCard) is one only when the text does not already hold it.
      const mentioned = new Map<string, PhoneSighting>();
      const mention = (sighting: PhoneSighting): void => {
        if (!mentioned.has(sighting.fact.e164)) mentioned.set(sighting.fact.e164, sighting);
        sightings.push(sighting);
      };
      const { matches: inText, skipped } =
        (prefetched === null ? null : await prefetched.take(row.rowid, row.text)) ??
        extractPhonesCapped(row.text, { region, limit: PHONE_SIGHTINGS_PER_MESSAGE });
      if (skipped > 0) capped.push({ rowid: row.rowid, skipped });
      // Past the cap the text's national numbers would all count as unread: a region would not read them either.
      if (skipped === 0) countUnread(row.text, inText);
      for (const match of inText) {
        mention({ messageRowid: row.rowid, fact: match, role: 'text', start: match.start, end: match.end, ext: match.ext, card: null });
      }
      for (const [raw, role] of numbersBesideText(row)) {
        const fact = read(raw);
        if (fact === null || mentioned.has(fact.e164)) continue;
        mention({ messageRowid: row.rowid, fact, role, start: null, end: null, ext: null, card: null });
      }
      for (const card of cardsByMessage.get(row.rowid) ?? []) {
        const ref = { path: card.path, sha256: card.sha256 };
        for (const tel of card.tels) {
          const fact = read(tel);
          if (fact === null) continue;
          const seen = mentioned.get(fact.e164);
          // The number the platform already gave (Telegram contact_information) is the same sighting:
          // the card is recorded as where else it is written.
          if (seen !== undefined) {
            if (seen.role === 'contact' && seen.card === null) seen.card = ref;
            continue;
          }
          mention({ messageRowid: row.rowid, fact, role: 'contact', start: null, end: null, ext: null, card: ref });
        }
      }
      if (row.sender_phone !== null && row.sender_raw !== null) {
        const fact = read(row.sender_raw);
        if (fact !== null) sightings.push({ messageRowid: row.rowid, fact, role: 'sender', start: null, end: null, ext: null, card: null });
      } else if (row.sender_name !== null && /\d{3}/.test(row.sender_name)) {
        const inName = extractPhones(row.sender_name, { region });
        // Once per sender name, not per message (as read() counts each distinct number once).
        if (!namesCounted.has(row.sender_name)) {
          namesCounted.add(row.sender_name);
          countUnread(row.sender_name, inName);
        }
        for (const match of inName) {
          sightings.push({ messageRowid: row.rowid, fact: match, role: 'sender-name', start: null, end: null, ext: match.ext, card: null });
        }
      }
      if (sightings.length >= 2000) {
        addPhoneSightings(handle, sightings.splice(0), numbers);
      }
    }
    addPhoneSightings(handle, sightings, numbers);
    done = last;
  }

  async function finish(mergedAway: boolean): Promise<PhoneStageResult> {
    const recordedBefore = done !== null;
    await through(Number.MAX_SAFE_INTEGER);
    const contacts = db.prepare('SELECT rowid, phone_raw FROM contacts WHERE export_id = ?').all(exportId) as { rowid: number; phone_raw: string }[];
    const updateContact = db.prepare('UPDATE contacts SET e164 = ? WHERE rowid = ?');
    for (const c of contacts) {
      const fact = read(c.phone_raw);
      if (fact !== null) updateContact.run(fact.e164, c.rowid);
    }
    if (mergedAway && recordedBefore) dropUnsightedFacts(handle, numbers);
    // A copy merged away after its numbers were recorded is not warned about: the message kept was.
    const present = db.prepare('SELECT 1 FROM messages WHERE rowid = ?').pluck();
    const stillCapped = capped.filter((c) => present.get(c.rowid) !== undefined);
    if (stillCapped.length > 0) warnings.push(...cappedWarnings(handle, file, stillCapped));
    if (unread > 0) {
      const n = unread;
      warnings.push({
        file,
        code: 'region-unknown',
        message:
          `${n} ${n === 1 ? 'number' : 'numbers'} written without + ${n === 1 ? 'was' : 'were'} not read: no default country for them ` +
          '(the export has no valid number written with + to infer it from); pass --region CC (for example --region RU) to read them',
      });
    }
    db.prepare('UPDATE exports SET region = ?, region_source = ? WHERE id = ?').run(region, regionSource, exportId);
    return { region, regionSource };
  }

  return { through, finish };
}

/** Warnings for messages holding more numbers than PHONE_SIGHTINGS_PER_MESSAGE, naming where each is. */
function cappedWarnings(handle: CaseHandle, file: string, capped: { rowid: number; skipped: number }[]): Warning[] {
  const where = handle.db.prepare(
    'SELECT src_line, src_offset, src_message_id FROM messages WHERE rowid = ?',
  );
  const hint =
    'the numbers past the limit are not in `phones` and not found by `messages --phone`; ' +
    'find them in the text with `messages --search` or `--grep`, or split the message out and read it on its own';
  const out: Warning[] = capped.slice(0, CAPPED_WARNINGS).map(({ rowid, skipped }) => {
    const src = where.get(rowid) as { src_line: number | null; src_offset: number | null; src_message_id: string | null } | undefined;
    const w: Warning = {
      file,
      code: 'phones-capped',
      message:
        `${src?.src_message_id != null ? `message ${src.src_message_id}` : 'a message'} holds more phone numbers than the limit of ` +
        `${PHONE_SIGHTINGS_PER_MESSAGE} per message: the first ${PHONE_SIGHTINGS_PER_MESSAGE} were recorded, ${skipped} more were skipped; ${hint}`,
    };
    if (src?.src_line != null) w.line = src.src_line;
    else if (src?.src_offset != null) w.offset = src.src_offset;
    return w;
  });
  if (capped.length > CAPPED_WARNINGS) {
    const rest = capped.slice(CAPPED_WARNINGS);
    const skipped = rest.reduce((n, c) => n + c.skipped, 0);
    out.push({
      file,
      code: 'phones-capped',
      message:
        `${rest.length} more messages hold more phone numbers than the limit of ${PHONE_SIGHTINGS_PER_MESSAGE} per message: ` +
        `${skipped} numbers in them were skipped; ${hint}`,
    });
  }
  return out;
}
