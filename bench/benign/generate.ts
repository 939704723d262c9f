// A second, independently written campaign generator for measuring attribution: planted actors
// inside *hard benign populations*, written as real-format exports (one folder per victim, each with
// a `threatlens.json` {"tz": "Europe/Moscow", "region": "RU"}) with the ground truth of who is who.
// Same seed and settings, same bytes (`generate(settings, seed, dir?)`; a campaign of 5–15k messages
// takes about half a second). Formats (formats.ts): Telegram Desktop single-chat JSON, WhatsApp
// Android `.txt` (Russian locale) and WhatsApp iOS `.zip` of `_chat.txt`, invisible characters as
// the apps write them. Not planted: images (no photos, postcards or reused pictures: only
// "File not included" / `<Без медиафайлов>` placeholders), group chats, Telegram account exports,
// other locales and time zones (every exporter is on Moscow time).
//
// What is planted, and why each population is hard for account linking:
// - Victims (exiles, 5–10), each with 2–6 relatives chatting for weeks on Telegram and WhatsApp
//   (Android or iOS per victim's phone), saved under labels that recur across phones ("Мама",
//   "Папа", "Брат", "Нана", "Mom", "Дядя Руслан"…): the same display name on unrelated people by
//   construction, and WhatsApp keys them per victim. A relative on both apps is one person with two
//   keys (one truth class). The victims' own accounts write replies (truth kind `self`).
// - A shared stock of everyday family sentences (text.ts: ~230 Russian and English sentences with
//   gender agreement; variants by greeting, endearment and name slots, punctuation, emoji, case,
//   ё/е). Each relative keeps a private list of favourites (Zipf-weighted: "Ты поела?" every day,
//   holiday wishes rarely) and `stockShare` of their messages come from it: unrelated relatives
//   share exact and near-exact sentences, many of them with only two or three people (full weight
//   under a commonness discount). The rest are per-person sentences: one to three clauses from ~40
//   Russian / ~17 English frames with several slots, each person keeping a private 30–50 % of every
//   word list, private people, pet and home town, a personal wording of each frame (`[a|b|c]`
//   alternatives chosen per person) and personal spellings ("щас", "тока", no commas, "..."): mostly
//   unique across people, with the occasional chance coincidence real chatter has.
// - Chatty relatives: a volume multiplier ×1–×`chattyMax` per relative (skewed low, so a few write
//   hundreds of messages), in sessions at each person's daily rhythm (Moscow evenings, mornings,
//   daytime, night owls): unrelated chatty people write to different victims within the same minute
//   again and again, so co-timing fires by chance. Long-chat brothers (`brothers`,
//   `brotherVolume`): two victims' brothers, each writing long evening chats.
// - Viral texts and links (chain letters, a meduza/bbc/youtube/ovd post) pasted by `viralShare` of
//   relatives within hours of each other: no mark on WhatsApp; on Telegram forwarded with
//   `forwarded_from` (70 %) or pasted (30 %). Plus a long tail of news links (`newsSharers`), most
//   shared by one to three unrelated relatives: a rare identifier written by strangers; YouTube
//   shares carry per-share `si=` ids or the plain watch link.
// - NGO contacts (`ngos`): a human-rights lawyer writing to several victims from one WhatsApp number
//   (unsaved, or saved under a label by some victims, which gives another key of the same person)
//   and one Telegram account, with the same professional templates, and broadcasts to all clients
//   within a minute or two: one legitimate person in many exports, linked like an actor (one truth
//   class, kind `ngo`). Relatives (`hotlineShare`) pass the NGO's number on, in their own words or by
//   pasting its public notice verbatim: a relative writing the NGO's own number and sharing its text.
// - Actors (2–5), each with 2–6 accounts (unsaved WhatsApp numbers and Telegram accounts), each
//   account threatening 1–3 of the actor's targets. An actor uses one or two threat templates (of
//   eight) with variants (`variantLevel`: paraphrased sentences, swapped order, optional sentences,
//   the victim's and a relative's name, the victim's city and street, Latin homoglyphs, zero-width
//   spaces, punctuation, a threat split over two messages, a generic threat appended), a callback
//   number (its first WhatsApp number) in nine formats, short follow-ups, and campaign waves in
//   which its accounts write to several victims within a minute. Every account is in at least two
//   waves beside another account of its actor writing to another victim (the planted timing
//   evidence) and shares the actor's templates (text); most also write the callback number or a
//   handle (templates 3 and part of 8 carry none). `changeNumbers`: an account goes silent mid-
//   campaign and a replacement (truth role `replacement`) appears days later with the same
//   templates; when the burned one was the callback number, the callback becomes the new number.
// - Lone harassers (`harassers`): one account each, 2–10 messages to one or two victims, of which
//   `harasserOverlap` are generic threats ("Ты пожалеешь", "Мы тебя найдём", "Подумай о семье")
//   from the same formulaic stock the actors append to their templates, half the time on the days of
//   an actor's wave (the same trigger); some use the same Telegram display names as actors.
//
// Identity keys are the CLI's: `telegram:user<id>`, `phone:+7…` for unsaved WhatsApp numbers, and
// `name:<sha12 of "whatsapp\n<victim>">:<label>` for saved WhatsApp names (src/util/hash.ts
// `senderScope`, recomputed here). Truth lists only keys that carry at least one message.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCAL_OFFSET,
  localDate,
  telegramJson,
  whatsappFileName,
  whatsappText,
  zip,
  type Msg,
  type TelegramChat,
  type WhatsAppChat,
} from './formats.js';
import * as T from './text.js';

// ———————————————————————————————————————————————————————————————— settings

export interface Settings {
  /** Victims per campaign [min, max]. */
  victims: [number, number];
  /** Relatives per victim [min, max]. */
  relatives: [number, number];
  /** Share of a relative's messages drawn from the shared stock of everyday sentences (0–0.6). */
  stockShare: number;
  /** Largest volume multiplier of a relative (1–10); each draws ×1…×chattyMax, skewed low. */
  chattyMax: number;
  /** Messages of a ×1 relative over the whole period. */
  baseMessages: number;
  /** Days the campaign covers. */
  days: number;
  /** Share of victims with a brother who writes long chats; his multiplier is at least brotherVolume. */
  brothers: number;
  brotherVolume: number;
  /** Share of relatives pasting or forwarding each viral item, and how many viral items circulate. */
  viralShare: number;
  virals: number;
  /** Share of relatives who share news links from a common pool (long tail). */
  newsSharers: number;
  /** NGO contacts (0–2), the share of victims each talks to, and the share of relatives passing on a hotline. */
  ngos: number;
  ngoVictimShare: number;
  hotlineShare: number;
  /** Actors [min, max], accounts per actor [min, max], victims per account [min, max]. */
  actors: [number, number];
  accounts: [number, number];
  victimsPerAccount: [number, number];
  /** 0: actors repeat their usual wording; 1: many variants and obfuscations. */
  variantLevel: number;
  /** Probability that an actor replaces an account mid-campaign with a new one. */
  changeNumbers: number;
  /** Lone harassers, and the share of their sentences taken from the formulaic threats actors use too. */
  harassers: number;
  harasserOverlap: number;
  /** Share of victims whose WhatsApp is an iPhone (zip of `_chat.txt`) rather than Android (`.txt`). */
  iosShare: number;
  /** Share of relatives on Telegram only, and on both apps (the rest WhatsApp only). */
  telegramShare: number;
  bothShare: number;
}

export const BASE: Settings = {
  victims: [5, 10],
  relatives: [2, 6],
  stockShare: 0.3,
  chattyMax: 4,
  baseMessages: 40,
  days: 56,
  brothers: 0.5,
  brotherVolume: 4,
  viralShare: 0.3,
  virals: 4,
  newsSharers: 0.3,
  ngos: 1,
  ngoVictimShare: 0.6,
  hotlineShare: 0.2,
  actors: [2, 5],
  accounts: [2, 6],
  victimsPerAccount: [1, 3],
  variantLevel: 0.5,
  changeNumbers: 0.3,
  harassers: 4,
  harasserOverlap: 0.5,
  iosShare: 0.4,
  telegramShare: 0.35,
  bothShare: 0.2,
};

/** Named sweeps: one population turned up at a time, then all of them. */
export const SETTINGS: Record<string, Settings> = {
  'stock-0': { ...BASE, stockShare: 0 },
  'stock-30': BASE,
  'stock-60': { ...BASE, stockShare: 0.6 },
  'chatty-x1': { ...BASE, chattyMax: 1, brotherVolume: 1 },
  'chatty-x10': { ...BASE, chattyMax: 10, brotherVolume: 8, brothers: 0.8 },
  'viral-60': { ...BASE, viralShare: 0.6, virals: 6, newsSharers: 0.6 },
  ngo: { ...BASE, ngos: 2, ngoVictimShare: 0.8, hotlineShare: 0.4 },
  'actors-hard': { ...BASE, variantLevel: 1, changeNumbers: 1, accounts: [3, 6], harassers: 6, harasserOverlap: 0.8 },
  hardest: {
    ...BASE,
    stockShare: 0.6,
    chattyMax: 10,
    brothers: 0.8,
    brotherVolume: 8,
    viralShare: 0.6,
    virals: 6,
    newsSharers: 0.5,
    ngos: 2,
    ngoVictimShare: 0.8,
    hotlineShare: 0.4,
    variantLevel: 1,
    changeNumbers: 0.7,
    harassers: 6,
    harasserOverlap: 0.8,
  },
};

// ———————————————————————————————————————————————————————————————— truth

export type Kind = 'actor' | 'relative' | 'ngo' | 'harasser' | 'self';

export interface TruthEntry {
  key: string;
  /** The person: `actor-N` for every account of actor N, else one class per benign person. */
  truthClass: string;
  kind: Kind;
  victims: string[];
  platform: 'telegram' | 'whatsapp';
  /** What the exports show: the saved label, the Telegram name or the number. */
  shown: string;
  messages: number;
  /** Relatives: the relation ("mother"…); actors: "account", "replacement". */
  role: string;
}

export interface Truth {
  seed: number;
  entries: TruthEntry[];
  victims: string[];
  actors: { id: string; keys: string[]; templates: number[]; replaced: string[] }[];
  messages: number;
  files: number;
}

// ———————————————————————————————————————————————————————————————— random

class Rand {
  private a: number;
  constructor(seed: number) {
    // splitmix-style scramble of the seed, then mulberry32
    let z = (seed * 0x9e3779b1 + 0x7f4a7c15) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    this.a = (z ^ (z >>> 13)) >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  readonly fn = (): number => this.next();
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  range(r: [number, number]): number {
    return this.int(r[0], r[1]);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  /** Index by weight. */
  weighted(ws: readonly number[]): number {
    let total = 0;
    for (const w of ws) total += w;
    let x = this.next() * total;
    for (let i = 0; i < ws.length; i++) {
      x -= ws[i]!;
      if (x < 0) return i;
    }
    return ws.length - 1;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
  sample<T>(xs: readonly T[], k: number): T[] {
    return this.shuffle([...xs]).slice(0, Math.max(0, Math.min(k, xs.length)));
  }
  /** Exponential with the given mean. */
  expo(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

// ———————————————————————————————————————————————————————————————— text filling

type Gender = 'm' | 'f';

interface FillCtx {
  s: Gender;
  v: Gender;
  /** The people in `{who}` and `{who2}`. */
  w?: Gender;
  x?: Gender;
  slot: (name: string) => string | undefined;
}

const SLOT = /\{([a-z_0-9]+)\}/g;
const AGREE = /\{([svwx]):([^|}]*)\|([^}]*)\}/g;

/** Slots first (their values may hold agreement marks), then agreement marks. */
function fill(template: string, ctx: FillCtx): string {
  let out = template;
  for (let pass = 0; pass < 2 && out.includes('{'); pass++) out = out.replace(SLOT, (m, name: string) => ctx.slot(name) ?? m);
  return out.replace(AGREE, (_m, who: string, male: string, female: string) => {
    const g = who === 's' ? ctx.s : who === 'v' ? ctx.v : who === 'w' ? (ctx.w ?? 'm') : (ctx.x ?? 'm');
    return g === 'm' ? male : female;
  });
}

// ———————————————————————————————————————————————————————————————— people

type Relation = 'mother' | 'father' | 'brother' | 'sister' | 'grandmother' | 'grandfather' | 'uncle' | 'aunt' | 'cousin';
type Culture = 'ce' | 'or' | 'secular';
type Lang = 'ru' | 'en' | 'mix';

const REL_GENDER: Record<Relation, Gender> = {
  mother: 'f', father: 'm', brother: 'm', sister: 'f', grandmother: 'f', grandfather: 'm', uncle: 'm', aunt: 'f', cousin: 'm',
};
const LABELS_RU: Record<Relation, string[]> = {
  mother: ['Мама', 'Мама', 'Мама', 'Мамуля', 'Мама ❤️'],
  father: ['Папа', 'Папа', 'Отец'],
  brother: ['Брат', 'Брат', 'Братишка'],
  sister: ['Сестра', 'Сестрёнка', 'Сестра'],
  grandmother: ['Бабушка', 'Бабуля', 'Бабушка'],
  grandfather: ['Дедушка', 'Дед'],
  uncle: ['Дядя Руслан', 'Дядя Саша', 'Дядя Руслан'],
  aunt: ['Тётя Люда', 'Тётя Зарема'],
  cousin: ['Двоюродный брат', 'Кузен'],
};
const LABELS_CE: Partial<Record<Relation, string[]>> = { mother: ['Нана', 'Нана', 'Мама'], father: ['Дада', 'Папа'], grandmother: ['Нана', 'Бабушка', 'Баба'] };
const LABELS_EN: Record<Relation, string[]> = {
  mother: ['Mom', 'Mom', 'Mama'],
  father: ['Dad', 'Папа'],
  brother: ['Brother', 'Bro', 'Брат'],
  sister: ['Sister', 'Sis'],
  grandmother: ['Grandma', 'Бабушка'],
  grandfather: ['Grandpa', 'Дедушка'],
  uncle: ['Uncle Ruslan', 'Дядя Руслан'],
  aunt: ['Aunt Lyuda', 'Тётя Люда'],
  cousin: ['Cousin', 'Двоюродный брат'],
};
/** How a threat names a relative: nominative, accusative, genitive, dative, English. */
const REL_FORMS: Record<Relation, [string, string, string, string, string]> = {
  mother: ['твоя мать', 'твою мать', 'твоей матери', 'твоей матери', 'your mother'],
  father: ['твой отец', 'твоего отца', 'твоего отца', 'твоему отцу', 'your father'],
  brother: ['твой брат', 'твоего брата', 'твоего брата', 'твоему брату', 'your brother'],
  sister: ['твоя сестра', 'твою сестру', 'твоей сестры', 'твоей сестре', 'your sister'],
  grandmother: ['твоя бабушка', 'твою бабушку', 'твоей бабушки', 'твоей бабушке', 'your grandmother'],
  grandfather: ['твой дед', 'твоего деда', 'твоего деда', 'твоему деду', 'your grandfather'],
  uncle: ['твой дядя', 'твоего дядю', 'твоего дяди', 'твоему дяде', 'your uncle'],
  aunt: ['твоя тётя', 'твою тётю', 'твоей тёти', 'твоей тёте', 'your aunt'],
  cousin: ['твой двоюродный брат', 'твоего двоюродного брата', 'твоего двоюродного брата', 'твоему двоюродному брату', 'your cousin'],
};

interface VictimSeed {
  label: string;
  full: string;
  short: string;
  latin: string;
  g: Gender;
  culture: Culture;
}
const VICTIM_POOL: VictimSeed[] = [
  { label: 'anna', full: 'Анна Петрова', short: 'Аня', latin: 'Anna', g: 'f', culture: 'or' },
  { label: 'boris', full: 'Борис Иванов', short: 'Боря', latin: 'Boris', g: 'm', culture: 'secular' },
  { label: 'dmitri', full: 'Дмитрий Соколов', short: 'Дима', latin: 'Dima', g: 'm', culture: 'or' },
  { label: 'elena', full: 'Елена Кузнецова', short: 'Лена', latin: 'Elena', g: 'f', culture: 'secular' },
  { label: 'islam', full: 'Ислам Дадаев', short: 'Ислам', latin: 'Islam', g: 'm', culture: 'ce' },
  { label: 'zarema', full: 'Зарема Мусаева', short: 'Зара', latin: 'Zarema', g: 'f', culture: 'ce' },
  { label: 'ruslan', full: 'Руслан Хасанов', short: 'Руслан', latin: 'Ruslan', g: 'm', culture: 'ce' },
  { label: 'madina', full: 'Мадина Алиева', short: 'Мадина', latin: 'Madina', g: 'f', culture: 'ce' },
  { label: 'ivan', full: 'Иван Смирнов', short: 'Ваня', latin: 'Ivan', g: 'm', culture: 'or' },
  { label: 'olga', full: 'Ольга Морозова', short: 'Оля', latin: 'Olga', g: 'f', culture: 'secular' },
  { label: 'sergei', full: 'Сергей Волков', short: 'Серёжа', latin: 'Sergei', g: 'm', culture: 'secular' },
  { label: 'maria', full: 'Мария Лебедева', short: 'Маша', latin: 'Masha', g: 'f', culture: 'or' },
  { label: 'aslan', full: 'Аслан Исаев', short: 'Аслан', latin: 'Aslan', g: 'm', culture: 'ce' },
  { label: 'kate', full: 'Екатерина Орлова', short: 'Катя', latin: 'Kate', g: 'f', culture: 'secular' },
];
/** Where the victims live now: prepositional case for "в {city}", and a street. */
const CITIES: [string, string[]][] = [
  ['Вильнюсе', ['улице Пилимо', 'улице Гедимино', 'улице Вокечю']],
  ['Тбилиси', ['улице Руставели', 'улице Чавчавадзе', 'улице Пекина']],
  ['Берлине', ['Зонненаллее', 'Карл-Маркс-штрассе', 'Франкфуртер-аллее']],
  ['Варшаве', ['улице Маршалковской', 'улице Хмельной', 'улице Пулавской']],
  ['Риге', ['улице Бривибас', 'улице Матиса', 'улице Таллинас']],
  ['Стамбуле', ['улице Истикляль', 'улице Багдат', 'улице Халаскаргази']],
  ['Ереване', ['улице Абовяна', 'улице Туманяна', 'проспекте Маштоца']],
  ['Праге', ['Виноградской улице', 'улице Мánesova', 'Народни улице']],
];

/** Valid Russian mobile prefixes (libphonenumber's RU mobile ranges). */
const MOBILE = ['903', '905', '906', '909', '915', '916', '917', '925', '926', '928', '929', '964', '965', '977', '985', '999', '988', '952', '921', '911', '938', '960', '918', '912'];

interface Style {
  emoji: number;
  fav: string[];
  lower: number;
  dropPunct: number;
  smile: number;
  greet: number;
  yo: boolean;
  excl: number;
  /** Personal spellings ("щас", "тока"…) applied to the person's own sentences. */
  subs: (readonly [RegExp, string])[];
  /** Writes without commas; joins sentences with "..." */
  noCommas: boolean;
  dots: boolean;
}

/** Spellings some people use, each a habit of a few. */
const SPELLINGS: (readonly [RegExp, string])[] = [
  [/(?<![а-яё])сейчас(?![а-яё])/giu, 'щас'],
  [/(?<![а-яё])что(?![а-яё])/giu, 'че'],
  [/(?<![а-яё])только(?![а-яё])/giu, 'тока'],
  [/(?<![а-яё])вообще(?![а-яё])/giu, 'ваще'],
  [/(?<![а-яё])ничего(?![а-яё])/giu, 'ниче'],
  [/(?<![а-яё])тоже(?![а-яё])/giu, 'тож'],
  [/(?<![а-яё])потом(?![а-яё])/giu, 'патом'],
  [/(?<![а-яё])опять(?![а-яё])/giu, 'апять'],
  [/(?<![а-яё])уже(?![а-яё])/giu, 'уж'],
  [/(?<![а-яё])очень(?![а-яё])/giu, 'оч'],
  [/(?<![а-яё])ещё(?![а-яё])/giu, 'исчо'],
  [/(?<![а-яё])сегодня(?![а-яё])/giu, 'седня'],
];

/** FNV-1a of a string: a person's stable choice among a frame's wordings. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** `[a|b|c]` alternatives (braces inside kept whole), resolved by `choose(options, group)`. */
function alternations(text: string, choose: (options: string[], group: string) => string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '[') {
      out += c;
      continue;
    }
    let depth = 0;
    let j = i + 1;
    const options: string[] = [];
    let cur = '';
    for (; j < text.length; j++) {
      const d = text[j]!;
      if (d === '{') depth++;
      else if (d === '}') depth--;
      else if (d === ']' && depth === 0) break;
      if (d === '|' && depth === 0) {
        options.push(cur);
        cur = '';
      } else cur += d;
    }
    options.push(cur);
    out += choose(options, text.slice(i, j + 1));
    i = j;
  }
  return out;
}

interface Vocab {
  words: Map<string, string[]>;
  people: (readonly [string, Gender])[];
  pet: string;
}

/** An account as the exports show it. */
interface Account {
  platform: 'telegram' | 'whatsapp';
  /** Telegram user id. */
  tgId: number;
  tgName: string;
  /** Ten digits after +7. */
  phone: string;
  /** WhatsApp labels this number is saved under, per victim (absent: unsaved). */
  labels: Map<string, string>;
  /** For the truth: "replacement" for an actor's account that takes over from a burned one. */
  role?: string;
}

interface Person {
  cls: string;
  kind: Kind;
  role: string;
  g: Gender;
  lang: Lang;
  culture: Culture;
  rhythm: number[];
  style: Style;
  vocab: Vocab;
  stock: T.Stock[];
  stockWeights: number[];
  accounts: Account[];
}

interface Victim extends VictimSeed {
  city: string;
  street: string;
  os: 'android' | 'ios';
  ruUi: boolean;
  lang: Lang;
  kids: boolean;
  self: Person;
  waSelfName: string;
  tgSelfName: string;
  labels: Set<string>;
  relatives: { person: Person; relation: Relation }[];
  chats: Map<string, ChatBuf>;
}

interface ChatBuf {
  account: Account;
  person: Person;
  messages: Msg[];
}

// ———————————————————————————————————————————————————————————————— keys

const scopeCache = new Map<string, string>();
/** `senderScope('whatsapp', victim)` of src/util/hash.ts. */
function waScope(victim: string): string {
  let s = scopeCache.get(victim);
  if (s === undefined) {
    s = createHash('sha256').update(`whatsapp\n${victim}`).digest('hex').slice(0, 12);
    scopeCache.set(victim, s);
  }
  return s;
}

/** The CLI's `cleanName`: invisible characters stripped, `~` dropped, spaces collapsed. */
function cleanLabel(label: string): string {
  return label.replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '').replace(/\s+/g, ' ').trim().normalize('NFC');
}

function keyOf(account: Account, victim: string): string {
  if (account.platform === 'telegram') return `telegram:user${account.tgId}`;
  const label = account.labels.get(victim);
  return label === undefined ? `phone:+7${account.phone}` : `name:${waScope(victim)}:${cleanLabel(label)}`;
}

// ———————————————————————————————————————————————————————————————— time

/** Local midnight (Moscow) of 5 February 2024, as a Unix time. */
const START = Date.UTC(2024, 1, 5) / 1000 - LOCAL_OFFSET;
const DAY = 86400;

const RHYTHMS: Record<string, number[]> = {
  // weights per local hour 0..23
  evening: [2, 1, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 3, 3, 2, 2, 3, 4, 6, 9, 12, 12, 10, 5],
  morning: [1, 0, 0, 0, 0, 0, 2, 8, 10, 8, 5, 3, 3, 3, 2, 2, 2, 3, 4, 6, 7, 6, 4, 2],
  day: [0, 0, 0, 0, 0, 0, 0, 1, 3, 5, 7, 8, 8, 7, 7, 7, 6, 5, 4, 4, 4, 3, 2, 1],
  owl: [6, 4, 2, 1, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 4, 5, 6, 7, 9, 10, 10, 9],
  office: [0, 0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 7, 6, 8, 9, 8, 6, 2, 1, 0, 0, 0, 0],
};

function hourOf(r: Rand, rhythm: number[]): number {
  return r.weighted(rhythm);
}

/** A time on `day` at an hour drawn from the rhythm. */
function timeOn(r: Rand, day: number, rhythm: number[]): number {
  return START + day * DAY + hourOf(r, rhythm) * 3600 + r.int(0, 3599);
}

// ———————————————————————————————————————————————————————————————— the generator

class Campaign {
  readonly r: Rand;
  readonly victims: Victim[] = [];
  private readonly usedPhones = new Set<string>();
  private readonly usedTg = new Set<number>();
  readonly truth = new Map<string, TruthEntry>();
  readonly actors: Truth['actors'] = [];
  private nextClass = 0;

  constructor(
    readonly st: Settings,
    readonly seed: number,
  ) {
    this.r = new Rand(seed);
  }

  // ——— identities

  phone(): string {
    for (;;) {
      const d = `${this.r.pick(MOBILE)}${String(this.r.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!this.usedPhones.has(d)) {
        this.usedPhones.add(d);
        return d;
      }
    }
  }

  tgId(): number {
    for (;;) {
      const id = this.r.pick([1, 5, 6, 7]) * 1_000_000_000 + this.r.int(0, 999_999_999);
      if (id >= 1_000_000_000 && !this.usedTg.has(id)) {
        this.usedTg.add(id);
        return id;
      }
    }
  }

  account(platform: 'telegram' | 'whatsapp', tgName = ''): Account {
    return { platform, tgId: platform === 'telegram' ? this.tgId() : 0, tgName, phone: platform === 'whatsapp' ? this.phone() : '', labels: new Map() };
  }

  person(kind: Kind, role: string, g: Gender, lang: Lang, culture: Culture, rhythm: string, cls?: string): Person {
    const r = this.r;
    const words = new Map<string, string[]>();
    for (const [k, list] of Object.entries(T.WORDS)) words.set(k, r.sample(list, Math.max(2, Math.round(list.length * (0.3 + 0.2 * r.next())))));
    words.set('town', r.sample(T.TOWNS, r.int(1, 2)));
    words.set('townnews', r.sample(T.TOWN_NEWS, r.int(5, 9)));
    const style: Style = {
      emoji: r.next() * 0.4,
      fav: r.sample(T.EMOJI, r.int(1, 3)),
      lower: r.chance(0.4) ? r.next() * 0.8 : 0,
      dropPunct: r.next() * 0.7,
      smile: r.chance(0.4) ? r.next() * 0.4 : 0,
      greet: r.next() * 0.35,
      yo: r.chance(0.5),
      excl: r.next() * 0.3,
      subs: r.chance(0.5) ? r.sample(SPELLINGS, r.int(1, 4)) : [],
      noCommas: r.chance(0.2),
      dots: r.chance(0.2),
    };
    return {
      cls: cls ?? `${kind}-${++this.nextClass}`,
      kind,
      role,
      g,
      lang,
      culture,
      rhythm: RHYTHMS[rhythm]!,
      style,
      vocab: { words, people: r.sample(T.PEOPLE, r.int(4, 8)), pet: r.pick(T.PETS) },
      stock: [],
      stockWeights: [],
      accounts: [],
    };
  }

  /** Picks the person's favourite stock sentences (Zipf weights: a few are said every day). */
  favourites(p: Person, v: Victim): void {
    const ok = (x: T.Stock): boolean =>
      (x.tags ?? []).every((t) => (t === 'rare' ? true : t === 'ce' || t === 'or' ? t === p.culture : t === 'ff' ? v.g === 'f' : t === 'mm' ? v.g === 'm' : v.kids));
    const pool: T.Stock[] = [];
    if (p.lang !== 'en') pool.push(...this.r.sample(T.STOCK_RU.filter(ok), this.r.int(25, 60)));
    if (p.lang !== 'ru') pool.push(...this.r.sample(T.STOCK_EN.filter(ok), this.r.int(15, 35)));
    p.stock = this.r.shuffle(pool);
    p.stockWeights = p.stock.map((x, i) => (x.tags?.includes('rare') ? 0.03 : 1) / (i + 1) ** 0.8);
  }

  /** A unique WhatsApp label for a contact in the victim's phone. */
  label(v: Victim, options: string[]): string {
    for (const l of this.r.shuffle([...options])) if (!v.labels.has(l)) return (v.labels.add(l), l);
    for (const suffix of [' новый', ' 2', ' (раб)', ' старый']) {
      const l = `${options[0]!}${suffix}`;
      if (!v.labels.has(l)) return (v.labels.add(l), l);
    }
    throw new Error('no free label');
  }

  // ——— messages

  /** Adds a message to the chat of `v` with `account`, recording the truth of its sender. */
  emit(v: Victim, person: Person, account: Account, msg: Msg): void {
    const chatKey = account.platform === 'telegram' ? `tg:${account.tgId}` : `wa:${account.phone}`;
    let chat = v.chats.get(chatKey);
    if (chat === undefined) v.chats.set(chatKey, (chat = { account, person, messages: [] }));
    chat.messages.push(msg);
    const sender = msg.self ? v.self : person;
    const senderAccount = msg.self ? v.self.accounts.find((a) => a.platform === account.platform)! : account;
    const key = keyOf(senderAccount, v.label);
    let e = this.truth.get(key);
    if (e === undefined) {
      const shown = senderAccount.platform === 'telegram' ? (msg.self ? v.tgSelfName : senderAccount.tgName) : (senderAccount.labels.get(v.label) ?? `+7${senderAccount.phone}`);
      e = { key, truthClass: sender.cls, kind: sender.kind, victims: [], platform: senderAccount.platform, shown, messages: 0, role: senderAccount.role ?? sender.role };
      this.truth.set(key, e);
    } else if (e.truthClass !== sender.cls) {
      throw new Error(`generator bug: key ${key} used by ${e.truthClass} and ${sender.cls}`);
    }
    if (!e.victims.includes(v.label)) e.victims.push(v.label);
    e.messages++;
  }

  /** The person's style applied to a sentence. */
  styled(p: Person, text: string, v: Victim, en: boolean): string {
    const r = this.r;
    const st = p.style;
    let t = text;
    if (r.chance(st.greet)) {
      const greetings = en ? T.GREETINGS_EN : p.culture === 'ce' && r.chance(0.5) ? T.GREETINGS_CE : T.GREETINGS_RU;
      const greeting = this.fillFor(p, v, r.pick(greetings));
      // After "Имя, " the sentence goes on in lower case; after "Привет! " it starts anew.
      if (greeting.endsWith(', ')) t = t.charAt(0).toLowerCase() + t.slice(1);
      t = greeting + t;
    }
    if (r.chance(st.dropPunct)) t = t.replace(/[.]$/, '');
    if (r.chance(st.excl)) t = t.replace(/([!?])$/, '$1$1');
    if (!en && st.yo === false) t = t.replace(/ё/g, 'е');
    if (r.chance(st.smile)) t += r.chance(0.5) ? ')' : '))';
    if (r.chance(st.emoji)) t += (r.chance(0.7) ? ' ' : '') + r.pick(st.fav).repeat(r.int(1, 3));
    if (r.chance(st.lower)) t = t.charAt(0).toLowerCase() + t.slice(1);
    return t;
  }

  fillFor(p: Person, v: Victim, template: string, extra?: Record<string, string>): string {
    const r = this.r;
    const endearments = v.g === 'm' ? T.ENDEARMENTS_M : T.ENDEARMENTS_F;
    const [who, w] = r.pick(p.vocab.people);
    let [who2, x] = r.pick(p.vocab.people);
    if (who2 === who) [who2, x] = r.pick(p.vocab.people);
    const used = new Set<string>();
    const slot = (name: string): string | undefined => {
      if (extra !== undefined && name in extra) return extra[name];
      switch (name) {
        case 'name':
          return p.lang === 'en' ? v.latin : r.chance(0.8) ? v.short : v.full.split(' ')[0];
        case 'dear':
          return p.kind === 'relative' ? r.pick(endearments) : v.short;
        case 'pet':
          return p.vocab.pet;
        case 'who':
          return template.startsWith('{who}') ? who : midSentence(who);
        case 'who2':
          return who2 === who ? 'соседка' : midSentence(who2);
        case 'whonews2':
          return r.pick(p.vocab.words.get('whonews')!).replace(/\{w:/g, '{x:');
        case 'price':
        case 'temp':
        case 'count':
        case 'bus': {
          return r.pick(T.WORDS[name]!);
        }
        default: {
          // `food2`, `food3`: the list of `food`, another item than the sentence already has.
          const base = /^[a-z]+\d$/.test(name) && T.WORDS[name] === undefined ? name.slice(0, -1) : name;
          const list = p.vocab.words.get(base) ?? T.WORDS[base];
          if (list === undefined) return undefined;
          let value = r.pick(list);
          for (let i = 0; i < 4 && used.has(value); i++) value = r.pick(T.WORDS[base] ?? list);
          used.add(value);
          return value;
        }
      }
    };
    return fill(template, { s: p.g, v: v.g, w, x: x!, slot });
  }

  /** An ordinary message of a relative to victim `v`. */
  relativeText(p: Person, v: Victim): string {
    const r = this.r;
    const en = p.lang === 'en' || (p.lang === 'mix' && r.chance(0.5));
    if (r.chance(this.st.stockShare) && p.stock.length > 0) {
      let idx = r.weighted(p.stockWeights);
      if (en !== /^[\x00-\x7f’]*$/.test(p.stock[idx]!.text)) {
        // keep the language of the message when the person mixes languages
        const alt = p.stock.findIndex((x) => en === /^[\x00-\x7f’]*$/.test(x.text));
        if (alt >= 0) idx = alt;
      }
      return this.styled(p, this.fillFor(p, v, p.stock[idx]!.text), v, en);
    }
    // One to three clauses from different frames, in the person's own wording of each frame (a
    // person keeps to one of the frame's alternatives, 85 % of the time), with personal spellings.
    const frames = en ? T.FRAMES_EN : T.FRAMES_RU;
    const k = r.chance(0.3) ? 1 : r.chance(0.7) ? 2 : 3;
    const clauses: string[] = [];
    for (let i = 0; i < k; i++) {
      const frame = alternations(r.pick(frames), (options, group) => options[r.chance(0.85) ? fnv(`${p.cls}\n${group}`) % options.length : r.int(0, options.length - 1)]!);
      clauses.push(this.fillFor(p, v, frame));
    }
    let text = clauses[0]!;
    for (const c of clauses.slice(1)) {
      const joint = p.style.dots ? '...' : r.pick(en ? ['', '', '!', 'Also', 'Btw', 'And'] : ['', '', '!', 'А ещё', 'Кстати,', 'И']);
      const bare = text.replace(/[.!?]+$/, '');
      const end = text.slice(bare.length) || '.';
      if (joint === '' ) text = `${text} ${c}`;
      else if (joint === '...' || joint === '!') text = `${bare}${joint} ${c}`;
      else text = `${bare}${end} ${joint} ${c.charAt(0).toLowerCase()}${c.slice(1)}`;
    }
    if (!en) for (const [re, to] of p.style.subs) text = text.replace(re, to);
    if (p.style.noCommas) text = text.replace(/, /g, ' ');
    return this.styled(p, text, v, en);
  }

  victimReply(v: Victim, to: 'family' | 'threat' | 'ngo', en: boolean): string {
    const list = to === 'threat' ? T.VICTIM_REPLIES_THREAT : to === 'ngo' ? T.VICTIM_REPLIES_NGO : en ? T.VICTIM_REPLIES_EN : T.VICTIM_REPLIES_RU;
    return fill(this.r.pick(list), { s: v.g, v: v.g, slot: () => undefined });
  }

  // ——— populations

  makeVictims(): void {
    const r = this.r;
    const n = r.range(this.st.victims);
    for (const seed of r.sample(VICTIM_POOL, n)) {
      const [city, streets] = r.pick(CITIES);
      const lang: Lang = r.chance(0.7) ? 'ru' : r.chance(0.6) ? 'mix' : 'en';
      const self = this.person('self', 'victim', seed.g, lang === 'en' ? 'en' : 'ru', seed.culture, 'evening', `self-${seed.label}`);
      self.accounts.push(this.account('whatsapp'), this.account('telegram', seed.full));
      const waSelfName = r.pick([seed.short, seed.full, seed.latin, `${seed.latin} ${seed.full.split(' ')[1]![0]}.`]);
      const v: Victim = {
        ...seed,
        city,
        street: r.pick(streets),
        os: r.chance(this.st.iosShare) ? 'ios' : 'android',
        ruUi: r.chance(0.5),
        lang,
        kids: r.chance(0.3),
        self,
        waSelfName,
        tgSelfName: seed.full,
        labels: new Set(),
        relatives: [],
        chats: new Map(),
      };
      // The victim's own WhatsApp name as their exports show it (never a label in their own phone).
      self.accounts[0]!.labels.set(seed.label, waSelfName);
      v.labels.add(waSelfName);
      this.victims.push(v);
    }
  }

  makeRelatives(): void {
    const r = this.r;
    const st = this.st;
    for (const v of this.victims) {
      const count = r.range(st.relatives);
      const relations: Relation[] = [];
      if (r.chance(0.9)) relations.push('mother');
      const wantsBrother = r.chance(st.brothers);
      if (wantsBrother) relations.push('brother');
      const others: Relation[] = ['father', 'sister', 'grandmother', 'uncle', 'aunt', 'grandfather', 'cousin', 'brother', 'sister'];
      while (relations.length < count) {
        const rel = r.pick(others);
        if ((rel === 'mother' || rel === 'father' || rel === 'grandmother' || rel === 'grandfather') && relations.includes(rel)) continue;
        relations.push(rel);
      }
      for (const relation of relations.slice(0, Math.max(count, relations.length))) {
        const g = REL_GENDER[relation];
        const lang: Lang = v.lang === 'en' ? (r.chance(0.7) ? 'en' : 'mix') : v.lang === 'mix' ? r.pick<Lang>(['ru', 'mix', 'en']) : 'ru';
        const isBrother = relation === 'brother' && wantsBrother && !v.relatives.some((x) => x.relation === 'brother');
        const rhythm = isBrother ? 'evening' : r.pick(['evening', 'evening', 'morning', 'day', 'owl']);
        const p = this.person('relative', relation, g, lang, v.culture, rhythm);
        this.favourites(p, v);
        const labels = lang === 'en' || (lang === 'mix' && r.chance(0.5)) ? LABELS_EN[relation] : v.culture === 'ce' ? (LABELS_CE[relation] ?? LABELS_RU[relation]) : LABELS_RU[relation];
        const label = this.label(v, labels);
        const x = r.next();
        const platforms: ('telegram' | 'whatsapp')[] = x < st.telegramShare ? ['telegram'] : x < st.telegramShare + st.bothShare ? ['whatsapp', 'telegram'] : ['whatsapp'];
        for (const pl of platforms) {
          const a = this.account(pl, label);
          if (pl === 'whatsapp') a.labels.set(v.label, label);
          p.accounts.push(a);
        }
        v.relatives.push({ person: p, relation });
        // Volume: ×1…×chattyMax, skewed towards ×1; a long-chat brother writes at least brotherVolume.
        let mult = 1 + (st.chattyMax - 1) * r.next() ** 1.5;
        if (isBrother) mult = Math.max(mult, st.brotherVolume);
        this.chatter(v, p, Math.round(st.baseMessages * mult * (0.6 + 0.8 * r.next())));
      }
    }
  }

  /** Sessions of ordinary family chat: `n` messages by the relative, with the victim's replies. */
  chatter(v: Victim, p: Person, n: number): void {
    const r = this.r;
    const st = this.st;
    let written = 0;
    while (written < n) {
      const day = r.int(0, st.days - 1);
      let t = timeOn(r, day, p.rhythm);
      const account = p.accounts.length > 1 && r.chance(0.4) ? p.accounts[1]! : p.accounts[0]!;
      const k = Math.min(8, 1 + Math.floor(r.expo(1.6)));
      for (let i = 0; i < k && written < n; i++) {
        const photo = r.chance(0.03);
        this.emit(v, p, account, { at: t, self: false, text: photo ? '' : this.relativeText(p, v), photo });
        written++;
        t += 10 + Math.floor(r.expo(70));
        if (r.chance(0.3)) {
          t += 20 + Math.floor(r.expo(200));
          this.emit(v, p, account, { at: t, self: true, text: this.victimReply(v, 'family', p.lang === 'en') });
          t += 10 + Math.floor(r.expo(60));
        }
      }
    }
  }

  /** A waking-hour time at or after `at` for this person. */
  wakeTime(p: Person, at: number): number {
    const local = (at + LOCAL_OFFSET) % DAY;
    const hour = Math.floor(local / 3600);
    if ((p.rhythm[hour] ?? 0) > 0) return at;
    const day = Math.floor((at - START) / DAY);
    return timeOn(this.r, Math.min(this.st.days - 1, day + (hour > 12 ? 1 : 0)), p.rhythm);
  }

  viralAndNews(): void {
    const r = this.r;
    const st = this.st;
    const relatives = this.victims.flatMap((v) => v.relatives.map((x) => ({ v, p: x.person })));
    // Viral items: released over the period, pasted (WhatsApp) or forwarded (Telegram) within hours.
    const items = r.sample(T.VIRAL_BANK, st.virals).map((item) => ({ item, at: START + r.int(2, st.days - 4) * DAY + r.int(8, 20) * 3600 }));
    for (const { item, at } of items) {
      for (const { v, p } of relatives) {
        if (!r.chance(st.viralShare)) continue;
        const t = this.wakeTime(p, at + Math.floor(r.expo(8 * 3600)));
        const account = r.pick(p.accounts);
        if (account.platform === 'telegram' && r.chance(0.7)) {
          this.emit(v, p, account, { at: t, self: false, text: item.text, forwardedFrom: item.channel });
          continue;
        }
        const comment = fill(r.pick(T.VIRAL_COMMENTS), { s: p.g, v: v.g, slot: () => undefined });
        if (comment !== '' && r.chance(0.5)) {
          this.emit(v, p, account, { at: t, self: false, text: comment });
          this.emit(v, p, account, { at: t + r.int(2, 40), self: false, text: item.text });
        } else {
          this.emit(v, p, account, { at: t, self: false, text: comment !== '' && r.chance(0.3) ? `${comment}\n${item.text}` : item.text });
        }
      }
    }
    // News: a pool of articles with Zipf popularity; a sharer posts a few, after they appear.
    const pool = Array.from({ length: 40 }, (_, i) => ({ url: T.newsUrl(i, r.fn), day: Math.floor((i * st.days) / 40), w: 1 / (i % 13 + 1) }));
    r.shuffle(pool);
    for (const { v, p } of relatives) {
      if (!r.chance(st.newsSharers)) continue;
      const k = r.int(2, 8);
      for (let i = 0; i < k; i++) {
        const a = pool[r.weighted(pool.map((x) => x.w))]!;
        // YouTube shares carry a per-share tracking id, or the plain watch link.
        const yt = /youtu\.be\/([\w-]+)\?/.exec(a.url);
        const url = yt === null ? a.url : r.chance(0.5) ? `https://www.youtube.com/watch?v=${yt[1]!}` : a.url.replace(/si=[a-z0-9]+/, `si=${Math.floor(r.next() * 2 ** 40).toString(36)}`);
        const day = Math.min(st.days - 1, a.day + r.int(0, 2));
        const t = timeOn(r, day, p.rhythm);
        const text = p.lang === 'en' ? r.pick([url, `Look: ${url}`, `${url}\nRead this`]) : r.pick([url, `Читал${p.g === 'f' ? 'а' : ''}? ${url}`, `${url}\nВот что пишут`, `Посмотри ${url}`]);
        this.emit(v, p, r.pick(p.accounts), { at: t, self: false, text });
      }
    }
  }

  ngos(): void {
    const r = this.r;
    const st = this.st;
    const relatives = this.victims.flatMap((v) => v.relatives.map((x) => ({ v, p: x.person })));
    for (let i = 0; i < st.ngos; i++) {
      const ngoName = T.NGO_NAMES[i % T.NGO_NAMES.length]!;
      const short = /«(.+)»/.exec(ngoName)?.[1] ?? ngoName;
      const lawyer = r.pick(T.NGO_LAWYERS);
      const p = this.person('ngo', 'lawyer', r.chance(0.6) ? 'f' : 'm', 'ru', 'secular', 'office', `ngo-${i + 1}`);
      const wa = this.account('whatsapp');
      const tg = this.account('telegram', `${short} | ${lawyer}`);
      p.accounts.push(wa, tg);
      const hotline = wa.phone;
      let served = this.victims.filter(() => r.chance(st.ngoVictimShare));
      if (served.length < 2) served = r.sample(this.victims, 2);
      // The organisation's own wording of every message (fixed per NGO).
      const worded = (text: string): string => alternations(text, (options, group) => options[fnv(`${p.cls}\n${group}`) % options.length]!);
      const extra = (v: Victim): Record<string, string> => ({ full: v.full.split(' ')[0]!, lawyer, ngo: ngoName, hotline: formatPhone(r, hotline), weekday: r.pick(T.WORDS.weekday!) });
      const channel = new Map<Victim, Account>();
      for (const v of served) {
        let account = wa;
        if (r.chance(0.3)) account = tg;
        else if (r.chance(0.4)) wa.labels.set(v.label, this.label(v, T.NGO_LABELS.map((l) => l.replace('{short}', short).replace('{lawyer}', lawyer.split(' ')[0]!))));
        channel.set(v, account);
        let day = r.int(1, Math.floor(st.days / 2));
        const msgs = r.int(4, 12);
        for (let k = 0; k < msgs && day < st.days; k++) {
          let t = timeOn(r, day, p.rhythm);
          const template = k === 0 ? T.NGO_MESSAGES[0]! : r.pick(T.NGO_MESSAGES.slice(1));
          this.emit(v, p, account, { at: t, self: false, text: this.fillFor(p, v, worded(template), extra(v)) });
          if (r.chance(0.6)) {
            t += 60 + Math.floor(r.expo(1800));
            this.emit(v, p, account, { at: t, self: true, text: this.victimReply(v, 'ngo', false) });
          }
          day += r.int(1, 6);
        }
      }
      // Broadcasts to every client within a minute or two.
      for (let b = 0; b < r.int(2, 4); b++) {
        const t0 = timeOn(r, r.int(st.days / 3, st.days - 1), p.rhythm);
        const text = worded(r.pick(T.NGO_BROADCASTS));
        let t = t0;
        for (const v of served) {
          this.emit(v, p, channel.get(v)!, { at: t, self: false, text: this.fillFor(p, v, text, { ...extra(v), hotline: formatPhone(r, hotline, 0) }) });
          t += r.int(3, 25);
        }
      }
      // Relatives passing the number on: the public notice verbatim, or their own words.
      for (const { v, p: rel } of relatives) {
        if (!r.chance(st.hotlineShare / st.ngos)) continue;
        const times = r.int(1, 2);
        for (let k = 0; k < times; k++) {
          const t = timeOn(r, r.int(0, st.days - 1), rel.rhythm);
          const text = r.chance(0.5)
            ? fill(worded(T.NGO_NOTICE), { s: rel.g, v: v.g, slot: (n) => (n === 'hotline' ? formatPhone(r, hotline, 0) : n === 'ngo' ? ngoName : undefined) })
            : this.fillFor(rel, v, r.pick(T.HOTLINE_OWN_WORDS), { hotline: formatPhone(r, hotline) });
          this.emit(v, rel, r.pick(rel.accounts), { at: t, self: false, text });
        }
      }
    }
  }

  /** Wave days of all actors, for harassers reacting to the same trigger. */
  private readonly waveDays: number[] = [];

  actorsAndCampaigns(): void {
    const r = this.r;
    const st = this.st;
    const n = r.range(st.actors);
    const templateOrder = r.shuffle(T.THREAT_TEMPLATES.map((_, i) => i));
    const tgNames = ['Служба Безопасности', 'Доброжелатель', 'Иван Иванов', 'Patriot', 'Земляк', 'Правда', 'Алексей', 'Н.', 'Друг семьи', 'Z', 'Aslan', 'Свой'];
    for (let a = 0; a < n; a++) {
      const cls = `actor-${a + 1}`;
      const p = this.person('actor', 'account', 'm', 'ru', 'secular', r.pick(['office', 'evening', 'day']), cls);
      const nTemplates = r.chance(0.5) ? 2 : 1;
      const templates = Array.from({ length: nTemplates }, (_, k) => templateOrder[(a * 2 + k) % templateOrder.length]!);
      const targets = r.sample(this.victims, Math.min(this.victims.length, r.int(2, 5)));
      const start = r.int(3, Math.floor(st.days * 0.4));
      const end = Math.min(st.days - 1, start + r.int(14, 35));
      const handle = `@${r.pick(['ne_molchi', 'vozmezdie', 'tvoi_zemlyak', 'pravda', 'kontrol', 'dom_ryadom'])}_${r.int(10, 99)}`;
      const sameName = r.chance(0.4) ? r.pick(tgNames) : null;
      interface Acc {
        account: Account;
        victims: Victim[];
        from: number;
        to: number;
        role: string;
      }
      const accs: Acc[] = [];
      const nAcc = r.range(st.accounts);
      for (let i = 0; i < nAcc; i++) {
        const platform = i === 0 ? 'whatsapp' : i === 1 ? 'telegram' : r.chance(0.5) ? 'whatsapp' : 'telegram';
        const account = this.account(platform, sameName ?? r.pick(tgNames));
        const victims = r.sample(targets, r.range(st.victimsPerAccount));
        // Between them the actor's accounts reach at least two victims (co-timing needs two).
        const reached = new Set([...accs.flatMap((x) => x.victims), ...victims]);
        if (reached.size < 2) {
          const other = targets.find((x) => !reached.has(x));
          if (other !== undefined) victims.push(other);
        }
        accs.push({ account, victims, from: start, to: end, role: 'account' });
      }
      // Callback: the first WhatsApp number; replaced with a new number mid-campaign.
      let callback = accs[0]!.account.phone;
      let switchDay = Infinity;
      let newCallback = '';
      const replaced: string[] = [];
      if (r.chance(st.changeNumbers)) {
        const old = r.chance(0.6) ? accs[0]! : r.pick(accs);
        const mid = start + Math.floor((end - start) * (0.4 + 0.2 * r.next()));
        old.to = mid;
        const fresh = this.account(old.account.platform, old.account.tgName);
        fresh.role = 'replacement';
        const successor: Acc = { account: fresh, victims: old.victims, from: Math.min(end, mid + r.int(1, 4)), to: end, role: 'replacement' };
        accs.push(successor);
        if (old === accs[0] && fresh.platform === 'whatsapp') {
          switchDay = successor.from;
          newCallback = fresh.phone;
        }
        replaced.push(`${old.account.platform}:${old.account.platform === 'telegram' ? old.account.tgId : old.account.phone}`);
      }
      const phoneOn = (day: number): string => (day >= switchDay ? newCallback : callback);
      const v = st.variantLevel;
      const threat = (acc: Acc, victim: Victim, day: number, template: number): string[] => this.threat(p, victim, T.THREAT_TEMPLATES[template]!, v, { phone: phoneOn(day), handle });
      const used = new Set<Acc>();
      const send = (acc: Acc, victim: Victim, at: number, parts: string[]): void => {
        let t = at;
        for (const part of parts) {
          this.emit(victim, p, acc.account, { at: t, self: false, text: part });
          t += r.int(2, 9);
        }
        used.add(acc);
      };
      // Waves: the actor's accounts write to their victims within a minute. Planned first, so that
      // every account is in at least two waves beside another account of the actor writing to
      // another victim (two co-timing episodes: the planted timing evidence of every account).
      interface Wave {
        day: number;
        template: number;
        parts: Map<Acc, Victim[]>;
      }
      const active = (acc: Acc, day: number): boolean => day >= acc.from && day <= acc.to;
      const waves: Wave[] = [];
      const plan = (day: number): Wave => {
        const wave: Wave = { day, template: r.pick(templates), parts: new Map() };
        for (const acc of accs) {
          if (!active(acc, day) || !r.chance(0.8)) continue;
          const vs = acc.victims.filter(() => r.chance(0.85));
          if (vs.length > 0) wave.parts.set(acc, vs);
        }
        waves.push(wave);
        return wave;
      };
      for (let w = r.int(3, 7); w > 0; w--) plan(r.int(start, end));
      const withSibling = (acc: Acc, wave: Wave): boolean => {
        const mine = wave.parts.get(acc);
        if (mine === undefined) return false;
        for (const [other, theirs] of wave.parts) if (other !== acc && theirs.some((x) => mine.some((y) => y !== x))) return true;
        return false;
      };
      for (const acc of accs) {
        let covered = waves.filter((w) => withSibling(acc, w)).length;
        for (let guard = 0; covered < 2 && guard < 20; guard++) {
          const siblings = accs.filter((o) => o !== acc && o.from <= acc.to && o.to >= acc.from);
          if (siblings.length === 0) break;
          const candidates = waves.filter((w) => active(acc, w.day) && !withSibling(acc, w) && siblings.some((o) => active(o, w.day)));
          const wave = candidates.length > 0 ? r.pick(candidates) : plan(r.int(Math.max(acc.from, Math.min(...siblings.map((o) => o.from))), acc.to));
          wave.parts.set(acc, [...acc.victims]);
          const sibling = r.pick(siblings.filter((o) => active(o, wave.day)).length > 0 ? siblings.filter((o) => active(o, wave.day)) : siblings);
          if (!active(sibling, wave.day)) continue;
          const others = sibling.victims.filter((x) => !acc.victims.includes(x));
          wave.parts.set(sibling, others.length > 0 ? [r.pick(others)] : [...sibling.victims]);
          covered = waves.filter((w) => withSibling(acc, w)).length;
        }
      }
      for (const wave of waves.sort((x, y) => x.day - y.day)) {
        this.waveDays.push(wave.day);
        const t0 = timeOn(r, wave.day, p.rhythm);
        let offset = 0;
        for (const [acc, vs] of r.shuffle([...wave.parts])) {
          for (const victim of vs) {
            send(acc, victim, t0 + offset, threat(acc, victim, wave.day, wave.template));
            offset += r.int(2, 9);
          }
        }
      }
      // Every account writes at least once, and follows up on other days.
      for (const acc of accs) {
        if (!used.has(acc)) {
          const day = r.int(acc.from, acc.to);
          for (const victim of acc.victims) send(acc, victim, timeOn(r, day, p.rhythm), threat(acc, victim, day, r.pick(templates)));
        }
        for (const victim of acc.victims) {
          for (let k = r.int(0, 4); k > 0; k--) {
            const day = r.int(acc.from, acc.to);
            const at = timeOn(r, day, p.rhythm);
            if (r.chance(0.4)) send(acc, victim, at, threat(acc, victim, day, r.pick(templates)));
            else {
              let text = this.fillFor(p, victim, r.pick(T.ACTOR_FOLLOWUPS));
              if (r.chance(0.3)) text += ' ' + this.fillFor(p, victim, r.pick(T.GENERIC_THREATS));
              send(acc, victim, at, [this.obfuscate(text, v)]);
            }
          }
        }
      }
      // Victims answer some threats.
      for (const victim of targets) {
        for (const chat of victim.chats.values()) {
          if (chat.person !== p || !r.chance(0.5)) continue;
          const first = Math.min(...chat.messages.map((m) => m.at));
          this.emit(victim, p, chat.account, { at: first + r.int(60, 3600), self: true, text: this.victimReply(victim, 'threat', false) });
        }
      }
      const keys = new Set<string>();
      for (const acc of accs) for (const victim of acc.victims) keys.add(keyOf(acc.account, victim.label));
      this.actors.push({ id: cls, keys: [...keys].filter((k) => this.truth.has(k)).sort(), templates, replaced });
    }
  }

  /** One threat from a template: paraphrases, order, optional sentences, obfuscation, split. */
  threat(p: Person, victim: Victim, template: readonly (readonly string[])[], level: number, ids: { phone: string; handle: string }): string[] {
    const r = this.r;
    const rel = victim.relatives.length > 0 ? r.pick(victim.relatives).relation : 'mother';
    const forms = REL_FORMS[rel];
    const sentences: string[] = [];
    for (const slot of template) {
      let alt = r.chance(1 - 0.8 * level) ? slot[0]! : r.pick(slot);
      if (alt.startsWith('?')) {
        if (r.chance(0.15 + 0.35 * level)) continue;
        alt = alt.slice(1);
      }
      sentences.push(alt);
    }
    if (sentences.length > 2 && r.chance(0.5 * level)) {
      const i = r.int(0, sentences.length - 2);
      [sentences[i], sentences[i + 1]] = [sentences[i + 1]!, sentences[i]!];
    }
    if (r.chance(0.25 * level)) sentences.push(r.pick(T.GENERIC_THREATS));
    const extra: Record<string, string> = {
      name: r.chance(0.7) ? victim.short : victim.full.split(' ')[0]!,
      relnom: forms[0],
      relacc: forms[1],
      relgen: forms[2],
      reldat: forms[3],
      relen: forms[4],
      city: victim.city,
      street: victim.street,
      streetnom: victim.street.replace(/^улице /, 'улица ').replace(/^проспекте /, 'проспект ').replace(/ой улице$/, 'ая улица').replace(/ улице$/, ' улица'),
      phone: formatPhone(r, ids.phone),
      handle: ids.handle,
      day: r.pick(['пятницы', 'понедельника', 'конца недели', 'среды', 'воскресенья']),
      dayen: r.pick(['Friday', 'Monday', 'the end of the week']),
      brother: r.pick(['брат', 'двоюродный брат', 'племянник']),
    };
    let texts = sentences.map((x) => this.fillFor(p, victim, x, extra));
    // Capitalise sentences that now start with a lower-case slot value.
    texts = texts.map((x) => x.charAt(0).toUpperCase() + x.slice(1));
    const parts: string[] = [];
    if (texts.length > 2 && r.chance(0.35 * level)) {
      const cut = r.int(1, texts.length - 1);
      parts.push(texts.slice(0, cut).join(' '), texts.slice(cut).join(' '));
    } else parts.push(texts.join(r.chance(0.2 * level) ? '\n' : ' '));
    return parts.map((x) => this.obfuscate(x, level));
  }

  /** Latin homoglyphs inside Cyrillic words, zero-width spaces, punctuation and spacing noise. */
  obfuscate(text: string, level: number): string {
    const r = this.r;
    let t = text;
    if (r.chance(0.15 + 0.5 * level)) {
      const map: Record<string, string> = { а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y', А: 'A', Е: 'E', О: 'O', С: 'C', Т: 'T' };
      const chars = [...t];
      const spots = chars.map((c, i) => (map[c] !== undefined && /[а-яё]/i.test(chars[i - 1] ?? '') ? i : -1)).filter((i) => i >= 0);
      for (const i of r.sample(spots, r.int(1, 3))) chars[i] = map[chars[i]!]!;
      t = chars.join('');
    }
    if (r.chance(0.1 + 0.4 * level)) {
      // Not inside the actor's own @handle or a link: those must keep working for the victim.
      const chars = [...t];
      const usable = new Array<boolean>(chars.length).fill(true);
      let pos = 0;
      for (const token of t.split(/(\s+)/)) {
        const n = [...token].length;
        if (/^@|^https?:/.test(token)) for (let k = pos; k < pos + n; k++) usable[k] = false;
        pos += n;
      }
      const spots = chars.map((c, i) => (usable[i] && usable[i + 1] && /[а-яёa-z]/i.test(c) && /[а-яёa-z]/i.test(chars[i + 1] ?? '') ? i : -1)).filter((i) => i >= 0);
      for (const i of r.sample(spots, r.int(1, 2)).sort((x, y) => y - x)) chars.splice(i + 1, 0, r.chance(0.8) ? '\u200b' : '\u200c');
      t = chars.join('');
    }
    if (r.chance(0.3 * level)) t = t.replace(/\.$/, r.pick(['!', '!!', '', '...']));
    if (r.chance(0.15 * level)) t = t.replace(/ /, '  ');
    return t;
  }

  harassers(): void {
    const r = this.r;
    const st = this.st;
    const names = ['Патриот', 'Иван', 'Z-Воин', 'Правда', 'Ахмад', 'Наш человек', 'Гражданин', 'Мурад', 'Народный контроль', 'Саня'];
    for (let h = 0; h < st.harassers; h++) {
      const p = this.person('harasser', 'lone', 'm', 'ru', 'secular', r.pick(['evening', 'owl']));
      const account = this.account(r.chance(0.6) ? 'whatsapp' : 'telegram', r.pick(names));
      p.accounts.push(account);
      const victims = r.sample(this.victims, r.int(1, 2));
      const days = Array.from({ length: r.int(1, 4) }, () => (this.waveDays.length > 0 && r.chance(0.5) ? r.pick(this.waveDays) : r.int(0, st.days - 1)));
      for (const v of victims) {
        const n = r.int(2, 10);
        for (let k = 0; k < n; k++) {
          const t = timeOn(r, r.pick(days), p.rhythm);
          let text: string;
          if (r.chance(st.harasserOverlap)) {
            text = Array.from({ length: r.int(1, 2) }, () => this.fillFor(p, v, r.pick(T.GENERIC_THREATS))).join(' ');
          } else {
            text = `${r.pick(T.INSULTS)}${r.chance(0.5) ? `, ${v.short}` : ''}! ${r.pick(T.CURSES)}${r.pick(['.', '!', '!!!', ''])}`;
            text = text.charAt(0).toUpperCase() + text.slice(1);
          }
          this.emit(v, p, account, { at: t, self: false, text: this.fillFor(p, v, text) });
        }
      }
    }
  }

  // ——— writing

  write(dir: string): { messages: number; files: number } {
    const r = this.r;
    let messages = 0;
    let files = 0;
    const exportDay = START + (this.st.days + 2) * DAY + 12 * 3600;
    for (const v of this.victims) {
      const vdir = join(dir, v.label);
      mkdirSync(vdir, { recursive: true });
      writeFileSync(join(vdir, 'threatlens.json'), JSON.stringify({ tz: 'Europe/Moscow', region: 'RU' }, null, 1) + '\n');
      let tgCount = 0;
      const chats = [...v.chats.values()];
      for (const chat of chats) {
        chat.messages.sort((a, b) => a.at - b.at);
        messages += chat.messages.length;
        files++;
        const a = chat.account;
        if (a.platform === 'telegram') {
          const folder = `ChatExport_${localDate(exportDay)}${tgCount === 0 ? '' : ` (${tgCount})`}`;
          tgCount++;
          const tg: TelegramChat = { peerId: a.tgId, peerName: a.tgName, selfId: v.self.accounts[1]!.tgId, selfName: v.tgSelfName, messages: chat.messages };
          mkdirSync(join(vdir, folder), { recursive: true });
          writeFileSync(join(vdir, folder, 'result.json'), telegramJson(tg, r.int(1, 40000)));
        } else {
          const label = a.labels.get(v.label) ?? null;
          const wa: WhatsAppChat = {
            os: v.os,
            chatName: label ?? a.phone,
            peerLabel: label,
            peerPhone: label === null ? a.phone : null,
            selfName: v.waSelfName,
            messages: chat.messages,
          };
          const text = whatsappText(wa);
          const name = whatsappFileName(wa, v.ruUi);
          if (v.os === 'ios') writeFileSync(join(vdir, name), zip([{ name: '_chat.txt', data: Buffer.from(text, 'utf8') }], chat.messages[chat.messages.length - 1]!.at));
          else writeFileSync(join(vdir, name), text);
        }
      }
    }
    return { messages, files };
  }
}

/** "Тётя Валя" inside a sentence is "тётя Валя"; names keep their capital. */
function midSentence(person: string): string {
  return /^(Тётя|Дядя|Соседка|Баба|Кума|Сват|Племянни|Дочка|Сын|Наш|Батюшка|Имам|Почтальонша|Продавщица|Учительница|Бывший)/.test(person)
    ? person.charAt(0).toLowerCase() + person.slice(1)
    : person;
}

/** A Russian number written the many ways people write it. */
export function formatPhone(r: Rand, d: string, style?: number): string {
  const a = d.slice(0, 3);
  const b = d.slice(3, 6);
  const c = d.slice(6, 8);
  const e = d.slice(8, 10);
  const forms = [
    `+7 ${a} ${b}-${c}-${e}`,
    `8 (${a}) ${b}${c}${e}`,
    `8 (${a}) ${b}-${c}-${e}`,
    `+7${a}${b}${c}${e}`,
    `8${a}${b}${c}${e}`,
    `8-${a}-${b}-${c}-${e}`,
    `+7 (${a}) ${b}-${c}-${e}`,
    `8 ${a} ${b} ${c} ${e}`,
    `+7-${a}-${b}-${c}${e}`,
  ];
  return forms[style ?? r.int(0, forms.length - 1)]!;
}

/**
 * Generates a campaign into `outDir` (a new temporary folder when absent): one folder per victim
 * with its exports and `threatlens.json`, and the truth of every sender key the exports hold.
 */
export function generate(settings: Settings, seed: number, outDir?: string): { dir: string; truth: Truth } {
  const c = new Campaign(settings, seed);
  c.makeVictims();
  c.makeRelatives();
  c.viralAndNews();
  c.ngos();
  c.actorsAndCampaigns();
  c.harassers();
  const dir = outDir ?? mkdtempSync(join(tmpdir(), 'benign-'));
  mkdirSync(dir, { recursive: true });
  const { messages, files } = c.write(dir);
  const entries = [...c.truth.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const e of entries) e.victims.sort();
  return { dir, truth: { seed, entries, victims: c.victims.map((v) => v.label).sort(), actors: c.actors, messages, files } };
}

// `node dist/bench/benign/generate.js SETTING SEED [DIR]`: writes one campaign and its truth.
if (import.meta.url === `file://${process.argv[1]}`) {
  const name = process.argv[2] ?? 'stock-30';
  const settings = SETTINGS[name];
  if (settings === undefined) {
    console.error(`unknown setting ${name}; one of ${Object.keys(SETTINGS).join(', ')}`);
    process.exit(2);
  }
  const seed = Number(process.argv[3] ?? '1');
  const t0 = performance.now();
  const { dir, truth } = generate(settings, seed, process.argv[4]);
  const ms = performance.now() - t0;
  writeFileSync(join(dir, '..', `${dir.split('/').pop()}.truth.json`), JSON.stringify(truth, null, 1));
  const kinds = new Map<string, number>();
  for (const e of truth.entries) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  console.log(`${dir}: ${truth.messages} messages in ${truth.files} files, ${truth.entries.length} keys (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${ms.toFixed(0)} ms`);
}
