// Rare identifiers written inside messages: phone numbers (E.164, from the phone stage), @handles,
// private links and personal pages, e-mail addresses and crypto wallets. Two identities writing the
// same one, or one writing the other's own number, is strong evidence; links to public hosts (news,
// social networks, video: public-hosts.ts) are content, never identifiers.
import type { AttributionInput, Evidence, EvidenceContext } from '../types.js';
import type { LinkRef } from '../../model.js';
import { PROFILE_HOSTS, PUBLIC_HOSTS } from '../public-hosts.js';
import { evidenceFromItem, push } from '../evidence.js';
import { defineSignal } from './signal.js';

// This signal's families and evidence types (each with its family), as the model knows them.
declare module '../types.js' {
  interface Families {
    identifier: true;
  }
  interface EvidenceTypes {
    'own-identifier': 'identifier';
    'shared-identifier': 'identifier';
  }
}

export const identifiersSignal = defineSignal({
  name: 'identifiers',
  phase: 'items',
  items: (input, eligible, ctx) => {
    const found = identifierItems(input, eligible, ctx);
    return { evidence: found.evidence, holdings: found.itemsOf };
  },
  families: { identifier: { weighedBy: 'items', content: true, candidateAlone: true } },
  types: {
    'own-identifier': {
      family: 'identifier',
      bits: 9,
      against:
        "the writer may be quoting the other account's number or handle (copied from a leak, a wanted notice or a public post) rather than owning it",
    },
    'shared-identifier': {
      family: 'identifier',
      bits: 9,
      against: 'both may have copied the number, handle or link from one public source (a channel post, a leak, an advertisement)',
    },
  },
  method: {
    nullModel: 'links to public hosts (public-hosts.ts) are not identifiers; personal pages on social hosts are (profile:)',
  },
});

const HANDLE = /(?<![\p{L}\d_.@/])@([a-z][a-z0-9_]{4,31})\b/giu;
const TME = /\b(?:https?:\/\/)?(?:t\.me|telegram\.me)\/(?:joinchat\/|\+)?([a-z0-9_+-]{4,64})/giu;
const LINK = /\bhttps?:\/\/[^\s<>"'«»]+/giu;
const EMAIL = /\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b/giu;
// Bitcoin (bech32 and base58), Ethereum-style 0x addresses, TRON (USDT-TRC20).
const WALLET = /\b(?:bc1[ac-hj-np-z02-9]{25,59}|[13][a-km-zA-HJ-NP-Z1-9]{25,34}|0x[a-fA-F0-9]{40}|T[1-9A-HJ-NP-Za-km-z]{33})\b/gu;

/** Identifiers in a text, as `type:value` keys with values normalised for comparison. */
export function textIdentifiers(text: string): string[] {
  const out = new Set<string>();
  const lower = text.normalize('NFKC');
  // Most messages hold no identifier: each pattern runs only where the characters it cannot do
  // without are present ('.me/' in any case for t.me links, '://' for URLs, '@' for e-mail and
  // handles), which at a million messages is seconds of regex scanning saved.
  if (/\.me\//iu.test(lower)) {
    for (const m of lower.matchAll(TME)) out.add(`telegram:${m[1]!.toLowerCase()}`);
  }
  if (lower.includes('://')) {
    for (const m of lower.matchAll(LINK)) {
      const url = m[0].replace(/[.,;:!?)\]]+$/, '');
      if (/^https?:\/\/(t\.me|telegram\.me)\//i.test(url)) continue;
      const id = urlIdentifier(url);
      if (id !== null) out.add(id);
    }
  }
  if (lower.includes('@')) {
    for (const m of lower.matchAll(EMAIL)) out.add(`email:${m[0].toLowerCase()}`);
    const withoutEmails = lower.replace(EMAIL, ' ');
    for (const m of withoutEmails.matchAll(HANDLE)) out.add(`telegram:${m[1]!.toLowerCase()}`);
  }
  for (const m of lower.matchAll(WALLET)) out.add(`wallet:${m[0]}`);
  return [...out].sort();
}

/**
 * Identifiers among the link targets a message hides behind its text: a URL behind a word or a bot
 * button counts as a link written in the text; a mentioned account without a username by its
 * Telegram id. Callback data and custom emoji ids identify bots and sticker packs, not writers.
 */
export function linkIdentifiers(links: readonly LinkRef[]): string[] {
  const out = new Set<string>();
  for (const link of links) {
    if (link.kind === 'text-link' || link.kind === 'button-url') {
      for (const id of textIdentifiers(/^[a-z][a-z0-9+.-]*:/i.test(link.href) ? link.href : `https://${link.href}`)) out.add(id);
    } else if (link.kind === 'mention-name') {
      const id = /^(?:user)?(\d{3,20})$/.exec(link.href.trim());
      if (id !== null) out.add(`telegram-id:user${id[1]}`);
    }
  }
  return [...out].sort();
}

/** The host of a URL, or one of its parent domains, in PUBLIC_HOSTS (`m.vk.com` → `vk.com`), else null. */
function publicHost(host: string): string | null {
  for (let h = host; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) if (PUBLIC.has(h)) return h;
  return null;
}
const PUBLIC = new Set(PUBLIC_HOSTS);

/**
 * The identifier a link is, or null for public content. A link to a public host (news, social
 * networks, video, maps, search, government: public-hosts.ts) is content unrelated people post, not
 * an identifier; a personal page there (`vk.com/ivan_petrov`, one path segment) is, as `profile:`.
 * WhatsApp click-to-chat links are the number they carry, which the phone stage reads. Any other
 * link (an invite, an IP logger, a personal site) is an identifier.
 */
export function urlIdentifier(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `url:${url.toLowerCase()}`;
  }
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  if (host === 'wa.me' || host === 'api.whatsapp.com') return null;
  if (host === 'chat.whatsapp.com') return `url:${host}${u.pathname.replace(/\/+$/, '')}`;
  const pub = publicHost(host);
  if (pub === null) return `url:${normaliseUrl(url)}`;
  const reserved = PROFILE_HOSTS[pub];
  if (reserved === undefined) return null;
  const segments = u.pathname.split('/').filter((x) => x !== '');
  if (pub === 'facebook.com' && segments[0] === 'profile.php' && u.searchParams.get('id')) return `profile:facebook.com/${u.searchParams.get('id')}`;
  if (segments.length !== 1) return null;
  const name = segments[0]!.toLowerCase();
  // A section, or a post, photo or video named by its section and number (vk.com/wall-12345_678).
  if (reserved.includes(name) || reserved.some((r) => name.startsWith(r) && /^-?\d/.test(name.slice(r.length))) || /\.(php|html?)$/.test(name)) return null;
  return `profile:${pub}/${name.replace(/^@/, '')}`;
}

function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.hostname.toLowerCase().replace(/^www\./, '')}${path}${u.search}`;
  } catch {
    return url.toLowerCase();
  }
}

/** Identifier evidence, and every identifier each identity shows (written, or its own number), for the null model. */
export interface IdentifierSignal {
  evidence: Evidence[];
  /** Identity key → the identifier items it shows (`id:phone:+7…`), including those no one else shows. */
  itemsOf: Map<string, Set<string>>;
}

export function identifierItems(input: AttributionInput, eligible: Set<string>, ctx: EvidenceContext): IdentifierSignal {
  // item → writers (identity → message ids)
  const writers = new Map<string, Map<string, string[]>>();
  for (const m of input.messages) {
    if (!eligible.has(m.sender) || m.forwarded) continue;
    const items = [...m.phones.map((p) => `phone:${p}`), ...textIdentifiers(m.text), ...linkIdentifiers(m.links)];
    for (const item of new Set(items)) {
      let byIdentity = writers.get(item);
      if (!byIdentity) writers.set(item, (byIdentity = new Map()));
      push(byIdentity, m.sender, m.id);
    }
  }
  // Owners: identities that are the number (phone:+7… keys, or phones the export attached to them).
  const owners = new Map<string, Set<string>>();
  for (const identity of input.identities) {
    if (!eligible.has(identity.key)) continue;
    for (const phone of identity.phones) {
      const item = `phone:${phone}`;
      const set = owners.get(item) ?? new Set<string>();
      set.add(identity.key);
      owners.set(item, set);
    }
  }
  const itemsOf = new Map<string, Set<string>>();
  const hold = (key: string, item: string): void => {
    const set = itemsOf.get(key);
    if (set) set.add(item);
    else itemsOf.set(key, new Set([item]));
  };
  for (const [item, byIdentity] of writers) {
    for (const key of byIdentity.keys()) hold(key, `id:${item}`);
    for (const owner of owners.get(item) ?? []) hold(owner, `id:${item}`);
  }
  const evidence: Evidence[] = [];
  for (const item of [...writers.keys()].sort()) {
    const byIdentity = new Map(writers.get(item)!);
    const owning = owners.get(item) ?? new Set<string>();
    for (const owner of owning) if (!byIdentity.has(owner)) byIdentity.set(owner, []);
    const value = item.slice(item.indexOf(':') + 1);
    evidence.push(
      ...evidenceFromItem(
        (a, b) => {
          const ownsA = owning.has(a);
          const ownsB = owning.has(b);
          if (ownsA && ownsB) return null; // both are the number: that is a same-account link, not this
          return ownsA || ownsB ? 'own-identifier' : 'shared-identifier';
        },
        { byIdentity, item: `id:${item}`, detail: value },
        ctx,
      ).map((e) => ({
        ...e,
        detail: e.type === 'own-identifier' ? `${value} (the number of ${[...owning].filter((o) => e.between.includes(o)).join(', ')})` : `${value} written by both`,
      })),
    );
  }
  return { evidence, itemsOf };
}
