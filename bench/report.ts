// The HTML report of a campaign as an investigator hands it over (issue 17): planted campaigns of 7
// victims (bench/campaign.ts), ingested into a case on disk through the CLI, reported with
// `threatlens report`, and printed to A4 PDF by headless Chromium (offline) when it is installed.
// Prints per seed: messages, clusters, candidate links, the report's size and its printed pages,
// against the budget (at most 5 MB and 40 pages for about 3,000 messages).
//   node dist/bench/report.js [--seeds 1-5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCampaign } from './campaign.js';

const BIN = fileURLToPath(new URL('../../bin/threatlens.js', import.meta.url));
const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((b) => spawnSync(b, ['--version']).status === 0) ?? null;

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`threatlens ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function pages(html: string, dir: string): number | null {
  if (CHROMIUM === null) return null;
  const pdf = join(dir, 'report.pdf');
  spawnSync(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=127.0.0.1:9', `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, pathToFileURL(html).href],
    { timeout: 120_000 },
  );
  return (readFileSync(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
}

const range = (process.argv[process.argv.indexOf('--seeds') + 1] ?? '1-5').split('-').map(Number);
const seeds = process.argv.includes('--seeds') ? Array.from({ length: range[1]! - range[0]! + 1 }, (_, i) => range[0]! + i) : [1, 2, 3, 4, 5];
console.log(`threatlens report of planted 7-victim campaigns, ${new Date().toISOString().slice(0, 10)}; budget: <= 5 MB, <= 40 A4 pages${CHROMIUM ? '' : ' (Chromium not installed: pages not counted)'}`);
for (const seed of seeds) {
  const dir = mkdtempSync(join(tmpdir(), 'threatlens-report-bench-'));
  try {
    await generateCampaign(join(dir, 'exports'), seed, { victims: 7, actors: [2, 3], sessions: 55 });
    cli(['ingest', '--case', join(dir, 'case'), join(dir, 'exports'), '--tz', 'Europe/Moscow', '--region', 'RU']);
    const overview = JSON.parse(cli(['analyze', '--case', join(dir, 'case'), '--format', 'json'])) as { overview: { messages: number }; clusters: unknown[]; candidates: unknown[] };
    const html = join(dir, 'report.html');
    cli(['report', '--case', join(dir, 'case'), '-o', html]);
    const mb = statSync(html).size / 1e6;
    const printed = pages(html, dir);
    console.log(
      `seed ${seed}: ${overview.overview.messages} messages, ${overview.clusters.length} clusters, ${overview.candidates.length} candidate links: ` +
        `report ${mb.toFixed(2)} MB${printed !== null ? `, ${printed} pages` : ''}${mb > 5 || (printed ?? 0) > 40 ? '  OVER BUDGET' : ''}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
