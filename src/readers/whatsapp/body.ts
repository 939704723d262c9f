// Classifies the text after `Author: ` (or a line no participant wrote): plain text, media
// attachment or placeholder, deleted, view-once, location, poll, call, or a system line that newer
// iOS exports write under the group's or contact's name. Such a notice starts with U+200E, but so
// do ordinary messages (Android puts the mark in edited and pasted text, and a sender can type it):
// the whole text must be a known notice phrase (locale.ts) for the line to lose its author.
import type { Location, MediaKind, MessageKind } from '../../model.js';
import { describeAttachment, isGeneratedMediaName } from './attachments.js';
import type { MediaMention } from '../kit/media.js';
import {
  ANDROID_ATTACHED_WORDS,
  CALL_PREFIXES,
  DELETED_BY_OTHER,
  DELETED_BY_OWNER,
  EDITED,
  IOS_ATTACHED_WORDS,
  IOS_OMITTED,
  LIVE_LOCATION,
  MEDIA_OMITTED,
  ENCRYPTION_NOTICE_OPENINGS,
  SYSTEM_ACTIONS,
  SYSTEM_NOTICES,
  SYSTEM_TEMPLATES,
  VIEW_ONCE_BODY,
} from './locale.js';

export type { MediaMention };

export interface Body {
  kind: MessageKind;
  text: string;
  edited: boolean;
  media: MediaMention | null;
  location: Location | null;
  /** System-line class for `service` messages. */
  action: string | null;
  /** The owner's own "You deleted this message". */
  ownDeletion: boolean;
  /** A `service` line whose author did what it says (`Boris: ‎Boris created group “X”`): the sender is kept. */
  byActor: boolean;
  /**
   * Why the reader kept an author it might have dropped (a marked text that reads like a group
   * notice under a participant's name, or an unknown marked text under the chat's own name), for
   * a warning; null otherwise.
   */
  doubt: string | null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const EDITED_TAIL = new RegExp(`^<[\\u200E\\u200F]?(?:${EDITED.map(escape).join('|')})\\.?>[\\s\\u200E\\u200F]*$`, 'i');
const TRAILING_SPACE = /[\s\u200E\u200F]+$/;
/**
 * Invisible format characters: LRM, RLM, ALM, zero-width space, the bidi embeddings, overrides and
 * isolates, and the BOM (zero-width no-break space).
 */
const FORMAT_MARKS = '\\u200B\\u200E\\u200F\\u061C\\u202A-\\u202E\\u2066-\\u2069\\uFEFF';
const LEADING_MARKS = new RegExp(`^[${FORMAT_MARKS}]+`);
const ALL_FORMAT_MARKS = new RegExp(`[${FORMAT_MARKS}]`, 'g');
const ALL_BIDI = /[\u200E\u200F]/g;
const IOS_ATTACHED = /^<\s*([^<>:]{1,30}?)\s*:\s*([^<>]+?)\s*>\s*(.*)$/;
const LEGACY_ATTACHED = /^(\S.*?)\s*<[\u200E\u200F]?([^<>\s:]{1,20})>$/;
const ANDROID_ATTACHED = /^(.+?) \(([^()]{3,40})\)$/;
const LOCATION = /^[^:]{1,40}: *(https?:\/\/\S+)$/;
const COORDS = /[?&](?:q|query|ll)=(-?\d{1,3}(?:\.\d+)?)(?:,|%2C)\s*(-?\d{1,3}(?:\.\d+)?)/i;
const MAPS_HOST = /maps\.google\.|google\.[a-z.]+\/maps|goo\.gl\/maps|maps\.app\.goo\.gl|maps\.apple\.com/i;

const DELETED_OTHER = new Set(DELETED_BY_OTHER);
const DELETED_OWNER = new Set(DELETED_BY_OWNER);
/** `<Media omitted>` as compared: lower case, one space inside, none next to the brackets. */
const omittedForm = (s: string): string =>
  s.toLowerCase().replace(/\s+/g, ' ').replace(/^<\s*/, '<').replace(/\s*>$/, '>');
/** omittedForm of the `<…>` placeholders seen, as the same few recur throughout a chat. */
const omittedForms = new Map<string, string>();
function omittedFormOf(s: string): string {
  let form = omittedForms.get(s);
  if (form === undefined) {
    form = omittedForm(s);
    if (omittedForms.size >= 1024) omittedForms.clear();
    omittedForms.set(s, form);
  }
  return form;
}
const OMITTED_ANDROID = new Set(MEDIA_OMITTED.map(omittedForm));
const OMITTED_IOS = new Map<string, MediaKind>(IOS_OMITTED.flatMap(([kind, list]) => list.map((s) => [s, kind] as const)));
const IOS_WORDS = new Set(IOS_ATTACHED_WORDS);
const ANDROID_WORDS = new Set(ANDROID_ATTACHED_WORDS);
const LIVE = new Set(LIVE_LOCATION);

/** First characters (both cases) of every placeholder looked up by text: a cheap prefilter. */
const PLACEHOLDER_FIRST = new Uint8Array(0x10000);
for (const list of [DELETED_BY_OTHER, DELETED_BY_OWNER, MEDIA_OMITTED, LIVE_LOCATION, [VIEW_ONCE_BODY], ...IOS_OMITTED.map(([, l]) => l)]) {
  for (const entry of list) {
    const c = entry[0]!;
    PLACEHOLDER_FIRST[c.toLowerCase().charCodeAt(0)] = 1;
    PLACEHOLDER_FIRST[c.toUpperCase().charCodeAt(0)] = 1;
  }
}

/** True for the invisible format characters of FORMAT_MARKS. */
export function isFormatMark(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x061c ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069) ||
    c === 0xfeff
  );
}

function startsWithMark(s: string): boolean {
  return isFormatMark(s.charCodeAt(0));
}

/** A name in a notice: a contact, push name or number (no line break, at most 80 characters). */
const NAME_SLOT = '[^\\n]{1,80}?';
/** A quoted group subject, in the quotes each UI language uses. */
const QUOTED_SLOT = '(?:“[^\\n]{0,100}?”|"[^\\n]{0,100}?"|«\\s?[^\\n]{0,100}?\\s?»|„[^\\n]{0,100}?“)';

/**
 * One anchored pattern matching any of the phrases (N and Q expanded, see locale.ts), each with
 * or without a final full stop (German iOS writes one, English does not).
 */
function phrasePattern(phrases: readonly string[]): RegExp {
  const alternatives = phrases.map((p) =>
    escape(p.replace(/’/g, "'").replace(/\.$/, ''))
      .replace(/\bN\b/g, NAME_SLOT)
      .replace(/\bQ\b/g, QUOTED_SLOT),
  );
  return new RegExp(`^(?:${alternatives.join('|')})\\.?$`);
}
const NOTICE = phrasePattern(SYSTEM_NOTICES);
const TEMPLATE = phrasePattern(SYSTEM_TEMPLATES);
/** The encryption notice: its opening sentence, then at most 250 characters of explanation. */
const ENCRYPTION = new RegExp(`^(?:${ENCRYPTION_NOTICE_OPENINGS.map(escape).join('|')})(?: [^\\n]{0,250})?$`);
/** Longer than any notice with its names and subject. */
const MAX_NOTICE = 400;

/**
 * What kind of notice WhatsApp writes under a name a text is, as a whole (leading marks removed):
 * - `constant`: no free text at all, or only the contact's name (a security code change);
 * - `encryption`: the end-to-end encryption notice, known by its opening sentence (the
 *   explanation after it varies between versions): certain on the export's first line;
 * - `template`: a group notice naming who did what (`Boris added you`);
 * - null: not a notice.
 */
export type NoticeKind = 'constant' | 'encryption' | 'template';

export function noticeKind(text: string): NoticeKind | null {
  if (text.length > MAX_NOTICE || text.length < 4 || text.charCodeAt(0) === 0x3c /* < */ || text.indexOf('\n') >= 0) return null;
  const form = text.replace(ALL_FORMAT_MARKS, '').replace(/[\u00A0\u202F]/g, ' ').replace(/’/g, "'").trimEnd();
  if (NOTICE.test(form)) return 'constant';
  if (ENCRYPTION.test(form)) return 'encryption';
  if (TEMPLATE.test(form)) return 'template';
  return null;
}

/** Longer than any placeholder WhatsApp writes: such a first line is never looked up. */
const MAX_PLACEHOLDER = 64;

function hasBidi(s: string): boolean {
  return s.indexOf('\u200e') >= 0 || s.indexOf('\u200f') >= 0;
}

/** `s` without LRM/RLM (the same string when it has none). */
function withoutBidi(s: string): string {
  return hasBidi(s) ? s.replace(ALL_BIDI, '') : s;
}

/** Characters String.prototype.trim removes (white space and line terminators), as `\s` in a RegExp. */
function isTrimmed(c: number): boolean {
  if (c < 0xa0) return c === 0x20 || (c >= 9 && c <= 13);
  if (c < 0x1680) return c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * A cheap, exact pre-test for "lookupForm(text) is one of these keys": the key's first and last
 * characters are the text's first and last characters that lookupForm keeps, lower-cased, so when
 * no key starts and ends with that pair, the lookup cannot succeed and is skipped. Works on text,
 * or on UTF-8 bytes. True means "maybe": do the lookup.
 */
export class KeyGate {
  /** First and last character of each key, as first * 0x10000 + last. */
  private readonly pairs = new Set<number>();
  /** Per UTF-16 code unit, 1 + the first (last) unit of its lower case; 0 not computed yet. */
  private readonly lowerFirst = new Uint32Array(0x10000);
  private readonly lowerLast = new Uint32Array(0x10000);
  /** Per code unit: 1 when some key starts with its lower case, 2 when none does, 0 not computed. */
  private readonly firstOk = new Uint8Array(0x10000);
  private readonly firsts = new Set<number>();

  constructor(keys: Iterable<string>) {
    for (const k of keys) {
      if (k.length === 0) continue;
      this.pairs.add(k.charCodeAt(0) * 0x10000 + k.charCodeAt(k.length - 1));
      this.firsts.add(k.charCodeAt(0));
    }
  }

  private first(c: number): boolean {
    let v = this.firstOk[c]!;
    if (v === 0) {
      v = this.firsts.has(this.lowerFirstOf(c)) ? 1 : 2;
      this.firstOk[c] = v;
    }
    return v === 1;
  }

  private lowerFirstOf(c: number): number {
    let v = this.lowerFirst[c]!;
    if (v === 0) {
      v = String.fromCharCode(c).toLowerCase().charCodeAt(0) + 1;
      this.lowerFirst[c] = v;
    }
    return v - 1;
  }

  /** Whether a key starts with the lower case of `first` and ends with that of `last`. */
  private pair(first: number, last: number): boolean {
    let v = this.lowerLast[last]!;
    if (v === 0) {
      const l = String.fromCharCode(last).toLowerCase();
      v = l.charCodeAt(l.length - 1) + 1;
      this.lowerLast[last] = v;
    }
    return this.pairs.has(this.lowerFirstOf(first) * 0x10000 + v - 1);
  }

  /** True when the text `s[a, b)` may have a lookup form among the keys. */
  maybe(s: string, a: number, b: number): boolean {
    if (b - a > MAX_PLACEHOLDER) return false;
    // First character kept: skip white space and LRM/RLM from the start.
    let i = a;
    for (;;) {
      if (i >= b) return false;
      const c = s.charCodeAt(i);
      if (isTrimmed(c) || c === 0x200e || c === 0x200f) {
        i++;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) return true;
      if (!this.first(c)) return false;
      break;
    }
    const first = s.charCodeAt(i);
    // Last character kept: skip white space and LRM/RLM from the end, then one final dot (and
    // the LRM/RLM before it, which lookupForm removes before trimming).
    let j = b;
    let dot = false;
    for (;;) {
      if (j <= i) return false;
      const c = s.charCodeAt(j - 1);
      if (c === 0x200e || c === 0x200f || (!dot && isTrimmed(c))) {
        j--;
        continue;
      }
      if (!dot && c === 0x2e) {
        dot = true;
        j--;
        continue;
      }
      if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3a3) return true;
      return this.pair(first, c);
    }
  }

  /** As maybe(), for the UTF-8 bytes `s[a, b)` of valid text. */
  maybeBytes(s: Uint8Array, a: number, b: number): boolean {
    if (b - a > MAX_PLACEHOLDER * 3) return false;
    let i = a;
    let first = 0;
    for (;;) {
      if (i >= b) return false;
      const c = s[i]!;
      let cp = c;
      let n = 1;
      if (c >= 0x80) {
        if (c >= 0xc0 && c < 0xe0) {
          cp = ((c & 0x1f) << 6) | (s[i + 1]! & 0x3f);
          n = 2;
        } else if (c >= 0xe0 && c < 0xf0) {
          cp = ((c & 0x0f) << 12) | ((s[i + 1]! & 0x3f) << 6) | (s[i + 2]! & 0x3f);
          n = 3;
        } else {
          return true;
        }
      }
      if (isTrimmed(cp) || cp === 0x200e || cp === 0x200f) {
        i += n;
        continue;
      }
      if (cp >= 0xd800 && cp <= 0xdfff) return true;
      if (!this.first(cp)) return false;
      first = cp;
      break;
    }
    let j = b;
    let dot = false;
    for (;;) {
      if (j <= i) return false;
      const c = s[j - 1]!;
      let cp = c;
      let n = 1;
      if (c >= 0x80) {
        if (c >= 0xc0) return true; // a lead byte at the end: not whole characters
        let k = j - 1;
        while (k > i && k > j - 4 && (s[k]! & 0xc0) === 0x80) k--;
        const lead = s[k]!;
        if (lead >= 0xc0 && lead < 0xe0 && j - k === 2) cp = ((lead & 0x1f) << 6) | (c & 0x3f);
        else if (lead >= 0xe0 && lead < 0xf0 && j - k === 3) cp = ((lead & 0x0f) << 12) | ((s[k + 1]! & 0x3f) << 6) | (c & 0x3f);
        else return true;
        n = j - k;
      }
      if (cp === 0x200e || cp === 0x200f || (!dot && isTrimmed(cp))) {
        j -= n;
        continue;
      }
      if (!dot && cp === 0x2e) {
        dot = true;
        j -= n;
        continue;
      }
      if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0x3a3) return true;
      return this.pair(first, cp);
    }
  }
}

/** Every key classifyBody looks up by lookupForm (other than the `<…>` and call-prefix checks). */
const BODY_KEYS = new KeyGate([
  ...DELETED_BY_OTHER,
  ...DELETED_BY_OWNER,
  VIEW_ONCE_BODY,
  ...LIVE_LOCATION,
  ...IOS_OMITTED.flatMap(([, l]) => l),
]);
/** The owner's "You deleted this message", for the first pass. */
const OWN_DELETION_KEYS = new KeyGate(DELETED_BY_OWNER);

/** Lower case, without a final dot, the marks and spaces at either end: for table lookups. */
function lookupForm(s: string): string {
  if (s.length > MAX_PLACEHOLDER) return '';
  let t = withoutBidi(s).trim().toLowerCase();
  if (t.endsWith('.')) t = t.slice(0, -1);
  return t;
}

/** The class of a system line (`encryption-notice`, `member-added`, …), else `system`. */
export function systemAction(text: string): string {
  for (const [action, pattern] of SYSTEM_ACTIONS) if (pattern.test(text)) return action;
  return 'system';
}

/** A file the text says is attached: its kind and MIME type come from its name. */
function attachment(name: string): MediaMention {
  const described = describeAttachment(name);
  return { name, kind: described.kind, mime: described.mime, omitted: false };
}

/** A placeholder for media the export left out (`<Media omitted>`, `image omitted`). */
function placeholderMedia(text: string, kind: MediaKind): MediaMention {
  return { name: text, kind, mime: null, omitted: true };
}

function make(
  kind: MessageKind,
  text: string,
  edited: boolean,
  media: MediaMention | null = null,
  location: Location | null = null,
  action: string | null = null,
  ownDeletion = false,
  doubt: string | null = null,
  byActor = false,
): Body {
  return { kind, text, edited, media, location, action, ownDeletion, doubt, byActor };
}

/** `s.trimStart().charCodeAt(0)`, without the copy: NaN when `s` is all white space. */
function firstUntrimmed(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isTrimmed(c)) return c;
  }
  return NaN;
}

/** True when the last run of non-white-space characters contains `://` (as LOCATION requires). */
function endsWithUrl(s: string): boolean {
  for (let i = s.length - 1; i >= 2; i--) {
    const c = s.charCodeAt(i);
    if (isTrimmed(c)) return false;
    if (c === 0x2f && s.charCodeAt(i - 1) === 0x2f && s.charCodeAt(i - 2) === 0x3a) return true;
  }
  return false;
}

/**
 * How `s` ends, white space and LRM/RLM aside (what EDITED_TAIL allows after the mark): 1 with
 * `>`, -1 with another character, 0 when it is all white space and marks.
 */
function editMarkEnd(s: string): -1 | 0 | 1 {
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c === 0x3e) return 1;
    if (!isTrimmed(c) && c !== 0x200e && c !== 0x200f) return -1;
  }
  return 0;
}

/**
 * True when the text of `firstLine` and the lines in `more`, joined with line breaks (which count
 * as white space), ends with `>` followed only by white space and LRM/RLM. Looks at the lines
 * from the last one, without joining them.
 */
function endsWithEditMark(firstLine: string, more: readonly string[] | null): boolean {
  if (more !== null) {
    for (let i = more.length - 1; i >= 0; i--) {
      const end = editMarkEnd(more[i]!);
      if (end !== 0) return end === 1;
    }
  }
  return editMarkEnd(firstLine) === 1;
}

/** Who a body is written under, for telling notices from messages (see classifyBody). */
export interface BodyContext {
  /** The author as written (cleaned of marks and `~`), or null when unknown. */
  author: string | null;
  /** The author is the chat's own name (the group's, which heads only notices). */
  underChatName: boolean;
  /** The message is the export's first, where iOS writes the encryption notice. */
  opensExport: boolean;
}

const NO_CONTEXT: BodyContext = { author: null, underChatName: false, opensExport: false };

/**
 * Classifies a message body written by `Author: `: `firstLine` is the text on the header line (one
 * line, no line break), `more` the message's lines after it (null when there are none). A known
 * notice is a system line under the chat's own name; under the name of the one who did what it
 * says (`Boris: ‎Boris created group “X”`) it is a system line with that actor as sender; under
 * anyone else it stays that person's message, with a warning.
 */
export function classifyBody(firstLine: string, lines: readonly string[] | null, context: BodyContext = NO_CONTEXT): Body {
  const { author, underChatName, opensExport } = context;
  const more = withoutBlankTail(lines);
  const restRaw = more === null ? '' : more.join('\n');
  const raw = more === null ? firstLine : `${firstLine}\n${restRaw}`;
  let full = raw;
  let firstRaw = firstLine;
  let rest = restRaw;
  let edited = false;
  // `<This message was edited>` ends the text (but for white space and marks): look for its `<`
  // only then.
  const lt = endsWithEditMark(firstLine, more) ? raw.lastIndexOf('<') : -1;
  if (lt >= 0 && raw.length - lt <= 48 && EDITED_TAIL.test(raw.slice(lt))) {
    full = raw.slice(0, lt).replace(TRAILING_SPACE, '');
    edited = true;
    // When the lines after the first are blank, the cut reaches into the first line.
    const firstEnd = more === null ? -1 : full.indexOf('\n');
    firstRaw = firstEnd < 0 ? full : full.slice(0, firstEnd);
    rest = firstEnd < 0 ? '' : full.slice(firstEnd + 1);
  }
  const marked = startsWithMark(firstRaw);
  const first = marked ? firstRaw.replace(LEADING_MARKS, '') : firstRaw;
  // The lookup form is needed for `<…>` placeholders, call prefixes (marked notices) and keys
  // the gate cannot rule out; elsewhere it could not match any table.
  const c0 = firstUntrimmed(first);
  const key =
    PLACEHOLDER_FIRST[c0] === 1 && (c0 === 0x3c || marked || BODY_KEYS.maybe(first, 0, first.length)) ? lookupForm(first) : '';

  if (key !== '') {
    if (rest === '') {
      if (key === VIEW_ONCE_BODY && !marked) return make('view-once', '', edited);
      if (DELETED_OTHER.has(key)) return make('deleted', '', edited);
      if (DELETED_OWNER.has(key)) return make('deleted', '', edited, null, null, null, true);
    }
    const placeholder = withoutBidi(first).trim();
    if (placeholder.charCodeAt(0) === 0x3c /* < */ && OMITTED_ANDROID.has(omittedFormOf(placeholder))) {
      return make('media', rest, edited, placeholderMedia(placeholder, 'other'));
    }
    const iosOmitted = OMITTED_IOS.get(key);
    if (iosOmitted !== undefined) return make('media', rest, edited, placeholderMedia(placeholder, iosOmitted));
  }

  const attached = matchAttachment(first);
  if (attached !== null) {
    const caption = attached.caption === '' ? rest : rest === '' ? attached.caption : `${attached.caption}\n${rest}`;
    return make('media', caption, edited, attachment(attached.name));
  }

  const loc = endsWithUrl(first) && first.indexOf('://') > 0 ? LOCATION.exec(first) : null;
  if (loc !== null && MAPS_HOST.test(loc[1]!)) {
    const c = COORDS.exec(loc[1]!);
    const location = c ? { lat: Number(c[1]), lon: Number(c[2]), name: null } : null;
    if (location === null || (Math.abs(location.lat) <= 90 && Math.abs(location.lon) <= 180)) {
      return make('location', marked ? full.replace(LEADING_MARKS, '') : full, edited, null, location);
    }
  }
  if (key !== '' && LIVE.has(key)) return make('location', first, edited);

  if (first.charCodeAt(0) === 0x50 /* P */ && first.startsWith('POLL:')) return make('poll', full.replace(ALL_BIDI, ''), edited);

  if (marked) {
    // iOS marks notices with U+200E: a call by this author, or a system line written under the
    // group's or contact's name. The whole text must be a known notice; otherwise the line is
    // the author's message, mark and all.
    if (CALL_PREFIXES.some((p) => key.startsWith(p))) return make('call', full.replace(ALL_BIDI, ''), edited);
    const text = full.replace(LEADING_MARKS, '');
    const notice = rest === '' && !edited ? noticeKind(text) : null;
    if (notice === 'constant' || (notice === 'encryption' && opensExport) || (notice !== null && underChatName)) {
      return make('service', text, edited, null, null, systemAction(text));
    }
    if (notice !== null && author !== null && author !== '' && startsWithName(text, author)) {
      return make('service', text, edited, null, null, systemAction(text), false, null, true);
    }
    if (notice !== null) {
      return make('text', full, edited, null, null, null, false, `the text reads like a WhatsApp notice (${JSON.stringify(text.slice(0, 120))}) but is written under a participant's name, not the chat's; kept as that participant's message`);
    }
    if (underChatName) {
      return make('text', full, edited, null, null, null, false, `the text is written under the chat's own name but is no known notice (${JSON.stringify(text.slice(0, 80))}); kept as written by that name`);
    }
  }
  return make('text', full, edited);
}

/** True when a notice's text begins with the name (`Boris created group …` under `Boris`). */
function startsWithName(text: string, name: string): boolean {
  const form = text.replace(ALL_FORMAT_MARKS, '');
  return form.startsWith(name) && (form.length === name.length || form.charCodeAt(name.length) === 0x20);
}

function matchAttachment(first: string): { name: string; caption: string } | null {
  if (first.charCodeAt(0) === 0x3c /* < */) {
    const m = IOS_ATTACHED.exec(first);
    if (m !== null) {
      const word = withoutBidi(m[1]!).toLowerCase();
      const name = withoutBidi(m[2]!);
      if (IOS_WORDS.has(word) || isGeneratedMediaName(name)) return { name, caption: m[3]! };
    }
    return null;
  }
  const last = first.charCodeAt(first.length - 1);
  if (last === 0x3e /* > */) {
    const m = LEGACY_ATTACHED.exec(first);
    if (m !== null && IOS_WORDS.has(m[2]!.toLowerCase())) return { name: withoutBidi(m[1]!), caption: '' };
  }
  if (last === 0x29 /* ) */) {
    const m = ANDROID_ATTACHED.exec(first);
    if (m !== null) {
      const name = withoutBidi(m[1]!);
      if (ANDROID_WORDS.has(m[2]!.toLowerCase()) || (isGeneratedMediaName(name) && /\.\w{2,5}$/.test(name))) {
        return { name, caption: '' };
      }
    }
  }
  return null;
}

/**
 * The message's lines after the first without the blank lines that end it (an export writes them
 * after some multi-line messages; the source offsets keep the raw bytes): null when none is left.
 */
function withoutBlankTail(more: readonly string[] | null): readonly string[] | null {
  if (more === null) return null;
  let n = more.length;
  while (n > 0 && BLANK.test(more[n - 1]!)) n--;
  return n === 0 ? null : n === more.length ? more : more.slice(0, n);
}
const BLANK = /^[\s\u200B\u200E\u200F\uFEFF]*$/;

/** Classifies a line no participant wrote (classic system line). */
export function classifySystemLine(firstLine: string, lines: readonly string[] | null): Body {
  const more = withoutBlankTail(lines);
  const text = (more === null ? firstLine : `${firstLine}\n${more.join('\n')}`).replace(LEADING_MARKS, '');
  return make('service', text, false, null, null, systemAction(text));
}

/** True for the owner's own "You deleted this message" (cheap length test first). */
export function isOwnDeletion(firstLine: string): boolean {
  return firstLine.length < 48 && OWN_DELETION_KEYS.maybe(firstLine, 0, firstLine.length) && DELETED_OWNER.has(lookupForm(firstLine));
}

/**
 * False when the text of the UTF-8 bytes `s[a, b)` certainly is not the owner's own "You deleted
 * this message": lets the first pass skip decoding it.
 */
export function mayBeOwnDeletion(s: Uint8Array, a: number, b: number): boolean {
  return b - a < 48 * 3 && OWN_DELETION_KEYS.maybeBytes(s, a, b);
}

/**
 * The notice kind of a body's first line when it starts with a format mark (see noticeKind), for
 * the first pass: null for a plain message.
 */
export function firstLineNotice(firstLine: string): NoticeKind | null {
  if (!startsWithMark(firstLine)) return null;
  const text = firstLine.replace(LEADING_MARKS, '');
  const key = lookupForm(text);
  if (CALL_PREFIXES.some((p) => key.startsWith(p))) return null;
  return noticeKind(text);
}
