// The import layers of src/ (issue 13), checked on every import of every module: static imports
// and re-exports (type-only ones too) and dynamic import(). Lower layers never import higher ones:
//
//   model (src/model.ts, src/version.ts, src/util/)
//     ← phone, media, attribution (side by side: none imports another)
//     ← settings (src/settings.ts: validates options; asks phone/ about regions)
//     ← readers (src/ingest/, src/readers/)
//     ← store (src/store/)
//     ← app (src/app/, and for now the ingest orchestration in src/ingest: pipeline and its stages)
//     ← output (src/output/: renders the results of the app's use cases; never the store or readers)
//     ← cli (src/cli/) and the library entry (src/index.ts), side by side
//
// and no module reaches itself through its imports (no cycle). Today's violations are listed below,
// each with why it is there: the test fails on any violation not listed, and on a listed one that
// has gone (remove it from the list, so it cannot come back unnoticed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './helpers.js';

interface Layer {
  name: string;
  rank: number;
  /** Layers this one may not import even though they rank lower. */
  forbidden?: string[];
  owns: (file: string) => boolean;
}

/** The ingest orchestration: it opens and writes the case, so it sits above the store. */
const APP_IN_INGEST = new Set([
  'src/ingest/pipeline.ts',
  'src/ingest/phone-stage.ts',
  'src/ingest/media-stage.ts',
  'src/ingest/overlap.ts',
  'src/ingest/contact-cards.ts',
]);

const under = (dir: string) => (file: string) => file.startsWith(`${dir}/`);

// First match wins (app before readers: the orchestration lives in src/ingest for now).
const LAYERS: Layer[] = [
  { name: 'model', rank: 0, owns: (f) => f === 'src/model.ts' || f === 'src/version.ts' || f.startsWith('src/util/') || f.startsWith('src/model/') },
  { name: 'phone', rank: 1, owns: under('src/phone') },
  { name: 'media', rank: 1, owns: under('src/media') },
  { name: 'attribution', rank: 1, owns: under('src/attribution') },
  // One validator for options from flags, threatlens.json and readers: it asks phone/ about regions.
  { name: 'settings', rank: 1.5, owns: (f) => f === 'src/settings.ts' },
  { name: 'app', rank: 4, owns: (f) => f.startsWith('src/app/') || f.startsWith('src/case/') || APP_IN_INGEST.has(f) },
  { name: 'readers', rank: 2, owns: (f) => f.startsWith('src/ingest/') || f.startsWith('src/readers/') },
  { name: 'store', rank: 3, owns: under('src/store') },
  { name: 'output', rank: 5, forbidden: ['store', 'readers'], owns: under('src/output') },
  { name: 'cli', rank: 6, owns: under('src/cli') },
  { name: 'api', rank: 6, owns: (f) => f === 'src/index.ts' },
];

/** Today's violations, `from -> to`, each with its reason. Remove an entry once it is fixed. */
const KNOWN_VIOLATIONS: Record<string, string> = {};

/**
 * Today's cycles, each as its modules sorted and joined by ' ↔ ', with why. None: the signal
 * registry's were broken by declaring the evidence types in the model (attribution/types.ts), which
 * each signal module fills in, instead of deriving them from the registry that imports the signals.
 */
const KNOWN_CYCLES: Record<string, string> = {};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/** The modules of src/ that `file` imports (relative specifiers, resolved to their .ts source). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(repoRoot, file), 'utf8'), true, true);
  const targets = new Set<string>();
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = relative(repoRoot, join(repoRoot, dirname(file), fileName)).split('\\').join('/');
    targets.add(target.replace(/\.js$/, '.ts'));
  }
  return [...targets].sort();
}

function layerOf(file: string): Layer {
  const layer = LAYERS.find((l) => l.owns(file));
  assert.ok(layer, `${file} belongs to no layer: add it to LAYERS in test/layers.test.ts`);
  return layer;
}

const files = sourceFiles('src');
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('the import parser sees static, type-only, re-exported and dynamic imports', () => {
  assert.ok(files.length > 50);
  assert.ok(graph.get('src/cli/main.ts')!.includes('src/cli/commands/cluster.ts'), 'import() of a command');
  assert.ok(graph.get('src/cli/main.ts')!.includes('src/util/errors.ts'), 'static import');
  assert.ok(graph.get('src/index.ts')!.includes('src/model.ts'), 'export type … from');
  for (const [file, targets] of graph) for (const t of targets) assert.ok(graph.has(t), `${file} imports ${t}, which is not in src/`);
});

test('no import runs from a lower layer to a higher one (beyond the known ones, listed with their reasons)', () => {
  const found = new Set<string>();
  for (const [file, targets] of graph) {
    const from = layerOf(file);
    for (const target of targets) {
      const to = layerOf(target);
      if (to === from) continue;
      if (to.rank < from.rank && !(from.forbidden ?? []).includes(to.name)) continue;
      found.add(`${file} -> ${target}`);
    }
  }
  const fresh = [...found].filter((v) => !(v in KNOWN_VIOLATIONS));
  const gone = Object.keys(KNOWN_VIOLATIONS).filter((v) => !found.has(v));
  assert.deepEqual(
    fresh,
    [],
    `imports against the layers (${fresh.map((v) => v.replace(/^(\S+) -> (\S+)$/, (_m, a: string, b: string) => `${layerOf(a).name} → ${layerOf(b).name}`)).join(', ')}):\n  ${fresh.join('\n  ')}`,
  );
  assert.deepEqual(gone, [], `fixed, so remove from KNOWN_VIOLATIONS:\n  ${gone.join('\n  ')}`);
});

/** Strongly connected components of more than one module, or a module importing itself (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return found;
}

test('no module reaches itself through its imports (beyond the known cycles)', () => {
  const found = new Set(cycles().map((c) => c.join(' ↔ ')));
  const fresh = [...found].filter((c) => !(c in KNOWN_CYCLES));
  const gone = Object.keys(KNOWN_CYCLES).filter((c) => !found.has(c));
  assert.deepEqual(fresh, [], `import cycles:\n  ${fresh.join('\n  ')}`);
  assert.deepEqual(gone, [], `gone, so remove from KNOWN_CYCLES:\n  ${gone.join('\n  ')}`);
});
