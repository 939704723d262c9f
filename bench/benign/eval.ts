// Attribution measured against hard benign populations, through the real command line (run by hand:
// `npx tsc -p . && node dist/bench/benign/eval.js [--seeds 1-30] [--setting NAME|all] [--jobs 2]
// [--verbose] [--keep] [--json FILE] [--evidence N]`).
//
// For each setting × seed:
//   1. generate a campaign with bench/benign/generate.ts (independent of bench/campaign.ts): relatives
//      with shared everyday sentences and recurring saved names, chatty people, viral texts and news
//      links, NGO contacts, actors with template variants and changed numbers, lone harassers;
//   2. run the CLI as separate processes, as an investigator does: `ingest DIR --case CASE`, then
//      `cluster --case CASE --format json` and `senders --case CASE --format json`;
//   3. check the harness itself (every sender key the CLI reports is in the truth with the same
//      message count, every victim's own account is marked self), then score:
//      - false merges: clusters holding two or more truth classes, by kinds of the classes;
//      - B-cubed precision/recall/F1 over all suspect identities (every non-self sender key; an
//        unclustered key is a singleton), and over actor identities only (precision over the whole
//        cluster an actor key is in, recall over its actor's keys);
//      - actors recovered whole: every key of the actor that the exports contain in one cluster,
//        with nothing else in it;
//      - candidate-link precision: share of `candidates` whose two keys are one truth class;
//      - observed false links (joined links and candidates between different classes), beside the
//        chance figure the cluster JSON reports, if any (`chance` at the top level, or a statistic
//        whose name mentions chance/null/permutation); "n/a" when there is none.
// Each false merge is printed with its cross-class links and their evidence (type, bits,
// commonness, df, detail), so the reason is visible without re-running.
//
// Targets (verdict line): 0 false merges over 30 seeds of `hardest`; every actor recovered whole in
// at least 29 of 30 seeds; candidate links at least 50 % right.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, SETTINGS, type Kind, type Truth } from './generate.js';

const BIN = fileURLToPath(new URL('../../../bin/threatlens.js', import.meta.url));

// ———————————————————————————————————————————————————————————————— options

interface Options {
  seeds: number[];
  settings: string[];
  jobs: number;
  keep: boolean;
  verbose: boolean;
  json: string | null;
  evidence: number;
  /** The CLI launcher to measure (default: this checkout's bin/threatlens.js). */
  cli: string;
}

function parseSeeds(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (m === null) throw new Error(`bad --seeds ${spec}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let s = a; s <= b; s++) out.push(s);
  }
  return out;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seeds: parseSeeds('1-30'), settings: Object.keys(SETTINGS), jobs: 2, keep: false, verbose: false, json: null, evidence: 6, cli: BIN };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--seeds') o.seeds = parseSeeds(value());
    else if (a === '--setting' || a === '--settings') {
      const v = value();
      o.settings = v === 'all' ? Object.keys(SETTINGS) : v.split(',');
      for (const s of o.settings) if (SETTINGS[s] === undefined) throw new Error(`unknown setting ${s}; one of ${Object.keys(SETTINGS).join(', ')}, all`);
    } else if (a === '--jobs') o.jobs = Math.max(1, Number(value()));
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose' || a === '-v') o.verbose = true;
    else if (a === '--json') o.json = value();
    else if (a === '--evidence') o.evidence = Number(value());
    else if (a === '--cli') o.cli = value();
    else if (a === '--help' || a === '-h') {
      console.log(
        'node dist/bench/benign/eval.js [--seeds 1-30] [--setting NAME|all|A,B] [--jobs 2] [--verbose] [--keep] [--json FILE] [--evidence N] [--cli PATH/bin/threatlens.js]\n' +
          `settings: ${Object.keys(SETTINGS).join(', ')}`,
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

// ———————————————————————————————————————————————————————————————— CLI

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function cli(bin: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: performance.now() - t0 }),
    );
  });
}

// ———————————————————————————————————————————————————————————————— cluster JSON (as read)

interface EvidenceJson {
  type: string;
  family: string;
  between: [string, string];
  bits: number | null;
  hard: boolean;
  commonness?: number;
  df?: number;
  shownBy: number;
  detail: string;
  /** Null-model line (the lead's chance weighting), when the CLI writes one. */
  chance?: string | null;
}
interface LinkJson {
  between: [string, string];
  score: number | null;
  hard: boolean;
  families: Record<string, number | null>;
  types: Record<string, { items: number; bits: number | null }>;
  independentFamilies?: string[];
  joined: boolean;
  candidate: boolean;
  bridge: boolean;
  evidence?: EvidenceJson[];
  /** Null models behind text/timing bits and the bits the pair needed, when the CLI writes them. */
  nulls?: { family: string; observed: number; expected: number; bits: number; basis?: string }[];
  needed?: { join: number; candidate: number };
}
interface ClusterJson {
  id: string;
  score: number | null;
  members: { key: string }[];
  evidence: EvidenceJson[];
  links: LinkJson[];
}
interface ClustersDoc {
  stats?: Record<string, unknown>;
  candidates?: LinkJson[];
  items: ClusterJson[];
  chance?: unknown;
  [k: string]: unknown;
}
interface SenderJson {
  key: string;
  messages: number;
  selfOf: string[];
}

// ———————————————————————————————————————————————————————————————— scoring

interface BCubed {
  p: number;
  r: number;
  f1: number;
  n: number;
}

interface FalseMerge {
  cluster: string;
  kinds: string;
  classes: { cls: string; kind: Kind | 'unknown'; keys: string[] }[];
  report: string[];
}

export interface SeedResult {
  setting: string;
  seed: number;
  error: string | null;
  harness: string[];
  messages: number;
  suspects: number;
  actors: number;
  actorsWhole: number;
  actorsNotWhole: string[];
  falseMerges: FalseMerge[];
  /** Candidate links between different truth classes, one line each. */
  falseCandidateLines: string[];
  bcAll: BCubed;
  bcActor: BCubed;
  candidates: number;
  candidatesRight: number;
  falseJoinedLinks: number;
  falseCandidates: number;
  chance: string;
  /** The CLI's own estimate of joins and candidate links chance alone draws (null: none given). */
  chanceJoins: number | null;
  chanceCandidates: number | null;
  ms: { generate: number; ingest: number; cluster: number; senders: number };
}

function bcubed(items: string[], predicted: (k: string) => Set<string>, truth: (k: string) => Set<string>): BCubed {
  if (items.length === 0) return { p: 1, r: 1, f1: 1, n: 0 };
  let p = 0;
  let r = 0;
  for (const k of items) {
    const c = predicted(k);
    const t = truth(k);
    let both = 0;
    for (const x of c) if (t.has(x)) both++;
    p += both / c.size;
    r += both / t.size;
  }
  p /= items.length;
  r /= items.length;
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), n: items.length };
}

/**
 * The chance figure the cluster JSON carries, if any: the top-level `chance` check ({pairs,
 * expectedJoins, expectedCandidates, families[{family, atLeast, observed, expected}]}), or any other
 * top-level field or statistic whose name mentions chance/null/permutation. "n/a" when none.
 */
function chanceOf(doc: ClustersDoc): { text: string; joins: number | null; candidates: number | null } {
  const c = doc.chance as { pairs?: unknown; expectedJoins?: unknown; expectedCandidates?: unknown; families?: unknown } | undefined;
  if (c !== undefined && c !== null && typeof c === 'object' && typeof c.expectedJoins === 'number') {
    const fams = Array.isArray(c.families)
      ? (c.families as { family?: string; atLeast?: number; observed?: number; expected?: number }[]).map((f) => ` ${f.family ?? '?'}>=${f.atLeast ?? '?'}b ${f.observed ?? '?'} obs/${f.expected ?? '?'} exp`).join(';')
      : '';
    const cand = typeof c.expectedCandidates === 'number' ? c.expectedCandidates : null;
    return { text: `<=${c.expectedJoins} joins, <=${cand ?? '?'} cand expected over ${String(c.pairs ?? '?')} pairs;${fams}`, joins: c.expectedJoins, candidates: cand };
  }
  const parts: string[] = [];
  const show = (name: string, v: unknown): void => {
    if (typeof v === 'number') parts.push(`${name}=${Number.isInteger(v) ? v : v.toFixed(3)}`);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) show(`${name}.${k}`, x);
    } else if (v !== undefined) parts.push(`${name}=${JSON.stringify(v)}`);
  };
  for (const [k, v] of Object.entries(doc)) if (/chance|null|permut/i.test(k)) show(k, v);
  for (const [k, v] of Object.entries(doc.stats ?? {})) if (/chance|null|permut/i.test(k)) show(`stats.${k}`, v);
  return { text: parts.length > 0 ? parts.slice(0, 8).join(' ') : 'n/a', joins: null, candidates: null };
}

const short = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);
const pairKey = (a: string, b: string): string => (a < b ? `${a}\t${b}` : `${b}\t${a}`);

function score(setting: string, seed: number, truth: Truth, doc: ClustersDoc, senders: SenderJson[], evidenceLinks: number): Omit<SeedResult, 'ms' | 'error'> {
  const harness: string[] = [];
  const byKey = new Map(truth.entries.map((e) => [e.key, e]));
  const seen = new Set<string>();
  for (const s of senders) {
    seen.add(s.key);
    const t = byKey.get(s.key);
    if (t === undefined) {
      harness.push(`sender ${s.key} (${s.messages} msgs) is not in the truth`);
      continue;
    }
    if (t.messages !== s.messages) harness.push(`sender ${s.key}: ${s.messages} messages, truth ${t.messages}`);
    if ((t.kind === 'self') !== s.selfOf.length > 0) harness.push(`sender ${s.key}: selfOf [${s.selfOf.join(',')}], truth kind ${t.kind}`);
  }
  for (const e of truth.entries) if (!seen.has(e.key)) harness.push(`truth key ${e.key} (${e.kind}) not among the senders`);

  const classOf = (k: string): string => byKey.get(k)?.truthClass ?? `unknown:${k}`;
  const kindOfClass = new Map<string, Kind | 'unknown'>();
  for (const e of truth.entries) kindOfClass.set(e.truthClass, e.kind);
  const suspects = senders.filter((s) => s.selfOf.length === 0 && byKey.get(s.key)?.kind !== 'self').map((s) => s.key);
  const suspectSet = new Set(suspects);

  const clusterOf = new Map<string, ClusterJson>();
  for (const c of doc.items) for (const m of c.members) clusterOf.set(m.key, c);
  const membersOf = (k: string): Set<string> => {
    const c = clusterOf.get(k);
    return c === undefined ? new Set([k]) : new Set(c.members.map((m) => m.key).filter((x) => suspectSet.has(x)));
  };
  const classMembers = new Map<string, Set<string>>();
  for (const k of suspects) {
    const cls = classOf(k);
    let set = classMembers.get(cls);
    if (set === undefined) classMembers.set(cls, (set = new Set()));
    set.add(k);
  }
  const truthOf = (k: string): Set<string> => classMembers.get(classOf(k))!;
  const bcAll = bcubed(suspects, membersOf, truthOf);
  const actorKeys = suspects.filter((k) => byKey.get(k)?.kind === 'actor');
  const bcActor = bcubed(actorKeys, membersOf, truthOf);

  // Actors recovered whole.
  let actorsWhole = 0;
  const actorsNotWhole: string[] = [];
  for (const a of truth.actors) {
    const keys = a.keys.filter((k) => suspectSet.has(k));
    if (keys.length === 0) continue;
    const got = membersOf(keys[0]!);
    const whole = got.size === keys.length && keys.every((k) => got.has(k));
    if (whole) actorsWhole++;
    else {
      const where = new Map<string, string[]>();
      for (const k of keys) {
        const id = clusterOf.get(k)?.id ?? 'alone';
        where.set(id, [...(where.get(id) ?? []), k]);
      }
      actorsNotWhole.push(`${a.id} (${keys.length} keys): ${[...where].map(([id, ks]) => `${id}{${ks.join(' ')}}`).join(' ')}`);
    }
  }

  // False merges, with the evidence of their cross-class links.
  const falseMerges: FalseMerge[] = [];
  let falseJoinedLinks = 0;
  for (const c of doc.items) {
    const classes = new Map<string, string[]>();
    for (const m of c.members) classes.set(classOf(m.key), [...(classes.get(classOf(m.key)) ?? []), m.key]);
    const cross = c.links.filter((l) => l.joined && !l.hard && classOf(l.between[0]) !== classOf(l.between[1]));
    falseJoinedLinks += cross.length;
    if (classes.size < 2) continue;
    const kinds = [...classes.keys()].map((cls) => kindOfClass.get(cls) ?? 'unknown').sort();
    const counted = new Map<string, number>();
    for (const k of kinds) counted.set(k, (counted.get(k) ?? 0) + 1);
    const kindsLabel = kinds.length === 2 ? kinds.join('+') : [...counted].map(([k, n]) => (n > 1 ? `${k}×${n}` : k)).join('+');
    const report: string[] = [];
    report.push(`${c.id} score ${c.score ?? 'hard'}: ${classes.size} classes (${kindsLabel}), ${c.members.length} keys`);
    for (const [cls, keys] of classes) report.push(`    ${cls}: ${keys.map((k) => `${k} "${byKey.get(k)?.shown ?? '?'}"`).join(', ')}`);
    const evidenceByPair = new Map<string, EvidenceJson[]>();
    for (const e of c.evidence) {
      const pk = pairKey(e.between[0], e.between[1]);
      evidenceByPair.set(pk, [...(evidenceByPair.get(pk) ?? []), e]);
    }
    const sorted = [...cross].sort((a, b) => Number(b.bridge) - Number(a.bridge) || (b.score ?? 0) - (a.score ?? 0));
    for (const l of sorted.slice(0, evidenceLinks)) {
      const types = Object.entries(l.types)
        .map(([t, v]) => `${t} ${v.bits === null ? 'hard' : v.bits.toFixed(1)}×${v.items}`)
        .join(', ');
      report.push(
        `  link ${l.between[0]} [${classOf(l.between[0])}] ↔ ${l.between[1]} [${classOf(l.between[1])}]: ${l.score?.toFixed(2) ?? 'hard'} bits${l.bridge ? ' BRIDGE' : ''}; families ${Object.entries(l.families)
          .map(([f, b]) => `${f} ${b?.toFixed(1)}`)
          .join(', ')}; types ${types}${l.needed !== undefined ? `; needed ${l.needed.join} to join, ${l.needed.candidate} for a candidate` : ''}`,
      );
      for (const n of l.nulls ?? []) report.push(`      null model ${n.family}: ${n.observed} observed, ${n.expected} expected by chance → ${n.bits} bits${n.basis !== undefined ? ` (${short(n.basis, 110)})` : ''}`);
      const ev = l.evidence ?? evidenceByPair.get(pairKey(l.between[0], l.between[1])) ?? [];
      for (const e of ev.slice(0, 8)) {
        const weighing = e.chance !== undefined && e.chance !== null ? `chance: ${short(e.chance, 90)}` : `commonness ${e.commonness?.toFixed(2) ?? '?'}, df ${e.df ?? '?'}`;
        report.push(`      ${e.type} ${e.bits === null ? 'hard' : e.bits.toFixed(2)} bits (${weighing}, shown by ${e.shownBy}): ${short(e.detail.replace(/\s+/g, ' '), 150)}`);
      }
      if (ev.length > 8) report.push(`      … ${ev.length - 8} more pieces of evidence`);
    }
    if (sorted.length > evidenceLinks) report.push(`  … ${sorted.length - evidenceLinks} more cross-class links (--evidence N to show more)`);
    falseMerges.push({
      cluster: c.id,
      kinds: kindsLabel,
      classes: [...classes].map(([cls, keys]) => ({ cls, kind: kindOfClass.get(cls) ?? 'unknown', keys })),
      report,
    });
  }

  const chance = chanceOf(doc);
  const candidates = doc.candidates ?? [];
  const candidatesRight = candidates.filter((c) => classOf(c.between[0]) === classOf(c.between[1])).length;
  const kindOf = (k: string): string => byKey.get(k)?.kind ?? 'unknown';
  const falseCandidateLines = candidates
    .filter((c) => classOf(c.between[0]) !== classOf(c.between[1]))
    .map(
      (c) =>
        `${c.between[0]} [${kindOf(c.between[0])}] ↔ ${c.between[1]} [${kindOf(c.between[1])}]: ${c.score?.toFixed(2) ?? 'hard'} bits; ` +
        Object.entries(c.types)
          .map(([ty, v]) => `${ty} ${v.bits === null ? 'hard' : v.bits.toFixed(1)}×${v.items}`)
          .join(', ') +
        (c.nulls !== undefined && c.nulls.length > 0 ? `; nulls ${c.nulls.map((n) => `${n.family} ${n.observed} obs/${n.expected} exp`).join(', ')}` : '') +
        ((c.evidence ?? [])[0] !== undefined ? `; e.g. ${short((c.evidence ?? [])[0]!.detail.replace(/\s+/g, ' '), 120)}` : ''),
    );
  return {
    setting,
    seed,
    harness,
    messages: truth.messages,
    suspects: suspects.length,
    actors: truth.actors.filter((a) => a.keys.some((k) => suspectSet.has(k))).length,
    actorsWhole,
    actorsNotWhole,
    falseMerges,
    falseCandidateLines,
    bcAll,
    bcActor,
    candidates: candidates.length,
    candidatesRight,
    falseJoinedLinks,
    falseCandidates: candidates.length - candidatesRight,
    chance: chance.text,
    chanceJoins: chance.joins,
    chanceCandidates: chance.candidates,
  };
}

// ———————————————————————————————————————————————————————————————— one seed

async function runSeed(setting: string, seed: number, root: string, o: Options): Promise<SeedResult> {
  const base = join(root, `${setting}-${seed}`);
  mkdirSync(base, { recursive: true });
  const ms = { generate: 0, ingest: 0, cluster: 0, senders: 0 };
  const fail = (error: string): SeedResult => ({
    setting,
    seed,
    error,
    harness: [],
    messages: 0,
    suspects: 0,
    actors: 0,
    actorsWhole: 0,
    actorsNotWhole: [],
    falseMerges: [],
    falseCandidateLines: [],
    bcAll: { p: 0, r: 0, f1: 0, n: 0 },
    bcActor: { p: 0, r: 0, f1: 0, n: 0 },
    candidates: 0,
    candidatesRight: 0,
    falseJoinedLinks: 0,
    falseCandidates: 0,
    chance: 'n/a',
    chanceJoins: null,
    chanceCandidates: null,
    ms,
  });
  try {
    const t0 = performance.now();
    const { dir, truth } = generate(SETTINGS[setting]!, seed, join(base, 'exports'));
    ms.generate = performance.now() - t0;
    if (o.keep) writeFileSync(join(base, 'truth.json'), JSON.stringify(truth, null, 1));
    const caseDir = join(base, 'case');
    const ingest = await cli(o.cli, ['ingest', dir, '--case', caseDir]);
    ms.ingest = ingest.ms;
    if (ingest.code !== 0) return fail(`ingest exited ${ingest.code}: ${short(ingest.stderr.trim(), 400)}`);
    const cluster = await cli(o.cli, ['cluster', '--case', caseDir, '--format', 'json']);
    ms.cluster = cluster.ms;
    if (cluster.code !== 0) return fail(`cluster exited ${cluster.code}: ${short(cluster.stderr.trim(), 400)}`);
    const senders = await cli(o.cli, ['senders', '--case', caseDir, '--format', 'json']);
    ms.senders = senders.ms;
    if (senders.code !== 0) return fail(`senders exited ${senders.code}: ${short(senders.stderr.trim(), 400)}`);
    const doc = JSON.parse(cluster.stdout) as ClustersDoc;
    const sendersDoc = JSON.parse(senders.stdout) as { items: SenderJson[] };
    if (o.keep) writeFileSync(join(base, 'cluster.json'), cluster.stdout);
    return { ...score(setting, seed, truth, doc, sendersDoc.items, o.evidence), error: null, ms };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    if (!o.keep) rmSync(base, { recursive: true, force: true });
  }
}

// ———————————————————————————————————————————————————————————————— report

const f3 = (x: number): string => x.toFixed(3);
const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(0)}%`);
const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

function pad(s: string, n: number, right = false): string {
  const w = [...s].length;
  return w >= n ? s : right ? ' '.repeat(n - w) + s : s + ' '.repeat(n - w);
}

function seedLine(r: SeedResult): string {
  if (r.error !== null) return `  seed ${r.seed}: ERROR ${r.error}`;
  const fm = r.falseMerges.length === 0 ? 'no false merge' : `${r.falseMerges.length} false merge(s) [${r.falseMerges.map((f) => f.kinds).join('; ')}]`;
  return (
    `  seed ${pad(String(r.seed), 3)} ${pad(String(r.messages), 6, true)} msgs ${pad(String(r.suspects), 3, true)} suspects  ${fm}; ` +
    `B3 all ${f3(r.bcAll.p)}/${f3(r.bcAll.r)}/${f3(r.bcAll.f1)}  actors ${f3(r.bcActor.p)}/${f3(r.bcActor.r)}/${f3(r.bcActor.f1)}; ` +
    `actors whole ${r.actorsWhole}/${r.actors}; candidates ${r.candidatesRight}/${r.candidates}; false links ${r.falseJoinedLinks}+${r.falseCandidates}; chance ${r.chance}; ` +
    `${((r.ms.generate + r.ms.ingest + r.ms.cluster + r.ms.senders) / 1000).toFixed(1)} s`
  );
}

interface Summary {
  setting: string;
  seeds: number;
  errors: number;
  msgs: number;
  suspects: number;
  fmSeeds: number;
  fm: number;
  kinds: string;
  bcAll: [number, number, number, number];
  bcActor: [number, number, number, number];
  actorsWhole: number;
  actors: number;
  wholeSeeds: number;
  cand: number;
  candRight: number;
  falseLinks: string;
  chance: string;
  secs: number;
}

function summarise(setting: string, rs: SeedResult[]): Summary {
  const ok = rs.filter((r) => r.error === null);
  const kinds = new Map<string, number>();
  for (const r of ok) for (const f of r.falseMerges) kinds.set(f.kinds, (kinds.get(f.kinds) ?? 0) + 1);
  const numeric = ok.filter((r) => r.chanceJoins !== null);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const chance =
    numeric.length === 0
      ? 'n/a'
      : `${+sum(numeric.map((r) => r.chanceJoins!)).toFixed(2)}+${+sum(numeric.map((r) => r.chanceCandidates ?? 0)).toFixed(2)}${numeric.length < ok.length ? ` (${numeric.length} seeds)` : ''}`;
  return {
    setting,
    seeds: rs.length,
    errors: rs.length - ok.length,
    msgs: mean(ok.map((r) => r.messages)),
    suspects: mean(ok.map((r) => r.suspects)),
    fmSeeds: ok.filter((r) => r.falseMerges.length > 0).length,
    fm: ok.reduce((n, r) => n + r.falseMerges.length, 0),
    kinds: [...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', '),
    bcAll: [mean(ok.map((r) => r.bcAll.p)), mean(ok.map((r) => r.bcAll.r)), mean(ok.map((r) => r.bcAll.f1)), Math.min(...ok.map((r) => r.bcAll.f1))],
    bcActor: [mean(ok.map((r) => r.bcActor.p)), mean(ok.map((r) => r.bcActor.r)), mean(ok.map((r) => r.bcActor.f1)), Math.min(...ok.map((r) => r.bcActor.f1))],
    actorsWhole: ok.reduce((n, r) => n + r.actorsWhole, 0),
    actors: ok.reduce((n, r) => n + r.actors, 0),
    wholeSeeds: ok.filter((r) => r.actorsWhole === r.actors).length,
    cand: ok.reduce((n, r) => n + r.candidates, 0),
    candRight: ok.reduce((n, r) => n + r.candidatesRight, 0),
    falseLinks: `${ok.reduce((n, r) => n + r.falseJoinedLinks, 0)}+${ok.reduce((n, r) => n + r.falseCandidates, 0)}`,
    chance,
    secs: mean(ok.map((r) => (r.ms.generate + r.ms.ingest + r.ms.cluster + r.ms.senders) / 1000)),
  };
}

function table(rows: Summary[]): string {
  const head = ['setting', 'seeds', 'msgs', 'suspects', 'FM seeds', 'FM', 'B3 all P/R/F1 (min F1)', 'B3 actors P/R/F1 (min F1)', 'actors whole', 'seeds all whole', 'cand right', 'false links j+c', 'chance j+c', 's/seed'];
  const body = rows.map((s) => [
    s.setting,
    `${s.seeds}${s.errors > 0 ? ` (${s.errors} err)` : ''}`,
    s.msgs.toFixed(0),
    s.suspects.toFixed(0),
    `${s.fmSeeds}/${s.seeds - s.errors}`,
    String(s.fm),
    `${f3(s.bcAll[0])}/${f3(s.bcAll[1])}/${f3(s.bcAll[2])} (${f3(s.bcAll[3])})`,
    `${f3(s.bcActor[0])}/${f3(s.bcActor[1])}/${f3(s.bcActor[2])} (${f3(s.bcActor[3])})`,
    `${s.actorsWhole}/${s.actors}`,
    `${s.wholeSeeds}/${s.seeds - s.errors}`,
    `${s.candRight}/${s.cand} ${pct(s.candRight, s.cand)}`,
    s.falseLinks,
    s.chance,
    s.secs.toFixed(1),
  ]);
  const widths = head.map((h, i) => Math.max([...h].length, ...body.map((r) => [...r[i]!].length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i]!, i > 0 && i !== 6 && i !== 7 && i !== 12)).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

function verdict(s: Summary): string {
  const n = s.seeds - s.errors;
  const fmOk = s.fm === 0;
  const wholeNeed = Math.ceil((29 / 30) * n);
  const wholeOk = s.wholeSeeds >= wholeNeed;
  const candOk = s.cand === 0 || s.candRight / s.cand >= 0.5;
  const mark = (b: boolean): string => (b ? 'MET' : 'NOT MET');
  const note = s.setting === 'hardest' && n < 30 ? ` (only ${n} seeds; the target is over 30)` : '';
  return (
    `verdict ${s.setting}${note}: false merges ${s.fm} in ${s.fmSeeds}/${n} seeds (target 0: ${mark(fmOk)}); ` +
    `all actors whole in ${s.wholeSeeds}/${n} seeds (target ≥ ${wholeNeed}: ${mark(wholeOk)}); ` +
    `candidate links ${pct(s.candRight, s.cand)} right (target ≥ 50%: ${s.cand === 0 ? 'no candidates' : mark(candOk)})`
  );
}

// ———————————————————————————————————————————————————————————————— main

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const root = mkdtempSync(join(tmpdir(), 'benign-eval-'));
  const tasks = o.settings.flatMap((setting) => o.seeds.map((seed) => ({ setting, seed })));
  const results = new Map<string, SeedResult[]>();
  console.log(`benign-population attribution eval: ${o.settings.length} setting(s) × ${o.seeds.length} seed(s), ${o.jobs} job(s), CLI ${o.cli}`);
  let next = 0;
  let done = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      const r = await runSeed(task.setting, task.seed, root, o);
      results.set(task.setting, [...(results.get(task.setting) ?? []), r]);
      done++;
      if (o.verbose) console.log(`[${task.setting}] ${seedLine(r).trim()}`);
      else if (process.stderr.isTTY) process.stderr.write(`\r${done}/${tasks.length} ${task.setting} seed ${task.seed}   `);
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.jobs, tasks.length) }, worker));
  if (!o.verbose && process.stderr.isTTY) process.stderr.write('\n');

  const summaries: Summary[] = [];
  for (const setting of o.settings) {
    const rs = (results.get(setting) ?? []).sort((a, b) => a.seed - b.seed);
    console.log(`\n== ${setting} ==`);
    for (const r of rs) {
      if (r.error !== null) console.log(seedLine(r));
      for (const h of r.harness.slice(0, 5)) console.log(`  seed ${r.seed}: HARNESS ${h}`);
      if (r.harness.length > 5) console.log(`  seed ${r.seed}: HARNESS … ${r.harness.length - 5} more`);
      for (const f of r.falseMerges) {
        console.log(`  seed ${r.seed}: FALSE MERGE ${f.report[0]}`);
        for (const line of f.report.slice(1)) console.log(`  ${line}`);
      }
      if (o.verbose) for (const a of r.actorsNotWhole) console.log(`  seed ${r.seed}: actor not whole: ${a}`);
      if (o.verbose) for (const c of r.falseCandidateLines) console.log(`  seed ${r.seed}: false candidate: ${c}`);
    }
    const s = summarise(setting, rs);
    summaries.push(s);
    console.log(table([s]));
    console.log(verdict(s));
  }
  console.log(`\n== all settings (${((performance.now() - t0) / 1000).toFixed(0)} s) ==`);
  console.log(table(summaries));
  for (const s of summaries) console.log(verdict(s));
  if (o.json !== null) {
    writeFileSync(o.json, JSON.stringify({ summaries, results: Object.fromEntries(results) }, null, 1));
    console.log(`results written to ${o.json}`);
  }
  if (o.keep) console.log(`exports, cases, truth and cluster JSON kept under ${root}`);
  else rmSync(root, { recursive: true, force: true });
}

await main();
