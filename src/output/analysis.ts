// The `analyze` report: what came in, then the senders (phones and clusters join as those stages land).
import type { ChalkInstance } from 'chalk';
import type { CaseOverview } from '../model.js';
import { fileJson, fileListing } from './files.js';
import { senderJson, senderListing } from './senders.js';
import { JSON_SCHEMA, renderTable } from './listing.js';
import { phoneJson, phoneListing, phoneRegionNote } from './phones.js';
import type { Analysis } from '../app/analyze.js';
import { candidateListing, chanceLines, clusterListing, decisionAppliedJson, decisionsAppliedListing } from './clusters.js';
import { escapeJsonText, terminalSafe } from '../util/sanitize.js';

function overviewJson(o: CaseOverview): Record<string, unknown> {
  return {
    exports: o.exports.length,
    evidenceFiles: o.evidenceFiles,
    chats: o.chats,
    messages: o.messages,
    messagesByPlatform: o.messagesByPlatform,
    senders: o.senders,
    victims: o.victims,
    firstMessage: o.firstMessage,
    lastMessage: o.lastMessage,
    timeBases: o.timeBases,
    phoneRegions: o.exports.map((e) => ({ file: e.path, sha256: e.sha256, victim: e.victim, region: e.region, source: e.regionSource })),
    warnings: o.warnings,
  };
}

export function analysisJson(a: Analysis): string {
  const doc = {
    schema: JSON_SCHEMA,
    kind: 'analysis',
    overview: overviewJson(a.overview),
    files: a.report ? a.report.files.map(fileJson) : [],
    senders: a.senders.map(senderJson),
    phones: a.phones.map(phoneJson),
    clusters: a.clusters.clusters.map(clusterListing(a.clusters, a.identities).toJson),
    candidates: a.clusters.candidates.map(candidateListing(a.clusters).toJson),
    decisions: a.clusters.decisions.map(decisionAppliedJson),
    chance: a.clusters.chance,
  };
  return escapeJsonText(JSON.stringify(doc, null, 2)) + '\n';
}

export function analysisTable(a: Analysis, chalk: ChalkInstance, width: number): string {
  const o = a.overview;
  const out: string[] = [];
  const heading = (text: string): void => void out.push('', chalk.bold.underline(text));
  const platforms = Object.entries(o.messagesByPlatform)
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
  const bases = Object.entries(o.timeBases)
    .map(([b, n]) => `${b} ${n}`)
    .join(', ');
  out.push(chalk.bold(`threatlens analysis: ${o.exports.length} exports from ${o.victims.length} victims`));
  if (a.report) {
    heading('Files');
    out.push(renderTable(fileListing(a.report.files), { chalk, width }).trimEnd());
  }
  heading('Overview');
  const row = (label: string, value: string): void => void out.push(`  ${chalk.dim(label.padEnd(14))}${terminalSafe(value)}`);
  row('messages', `${o.messages}${platforms ? ` (${platforms})` : ''}`);
  row('chats', String(o.chats));
  row('senders', String(o.senders));
  row('victims', o.victims.join(', '));
  row('first message', o.firstMessage ?? '-');
  row('last message', o.lastMessage ?? '-');
  row('times', bases || '-');
  row('evidence', `${o.evidenceFiles} files`);
  // How each export's numbers written without + were read (--region, threatlens.json or inferred).
  o.exports.forEach((e, i) => row(i === 0 ? 'phone regions' : '', `${e.path}: ${phoneRegionNote(e.region, e.regionSource)}`));
  if (o.warnings.length > 0) {
    heading(`Warnings (${o.warnings.length})`);
    const shown = o.warnings.slice(0, 20);
    for (const w of shown) {
      const where = w.line !== null ? `:${w.line}` : w.offset !== null ? `@byte ${w.offset}` : '';
      out.push(`  ${chalk.yellow(w.code)} ${terminalSafe(`${w.file}${where}: ${w.message}`)}`);
    }
    if (o.warnings.length > shown.length) out.push(chalk.dim(`  … ${o.warnings.length - shown.length} more (see --format json)`));
  }
  heading(`Senders (${a.senders.length})`);
  out.push(renderTable(senderListing(a.senders), { chalk, width }).trimEnd());
  heading(`Phone numbers (${a.phones.length})`);
  out.push(a.phones.length > 0 ? renderTable(phoneListing(a.phones), { chalk, width }).trimEnd() : '  none');
  const c = a.clusters;
  heading(`Clusters (${c.clusters.length}): identities that evidence links to one actor`);
  out.push(c.clusters.length > 0 ? renderTable(clusterListing(c, a.identities), { chalk, width }).trimEnd() : '  none');
  if (c.clusters.length > 0) out.push(chalk.dim('  why: threatlens explain CLUSTER --case DIR (ingest with --case to keep the case)'));
  heading(`Candidate links (${c.candidates.length}): beyond chance, not joined; confirm or reject`);
  out.push(c.candidates.length > 0 ? renderTable(candidateListing(c), { chalk, width }).trimEnd() : '  none');
  if (c.decisions.length > 0) {
    heading(`Analyst decisions (${c.decisions.length}): threatlens review list`);
    out.push(renderTable(decisionsAppliedListing(c), { chalk, width }).trimEnd());
  }
  out.push('', ...chanceLines(c.chance).map((l) => chalk.dim(l)));
  return out.join('\n') + '\n';
}
