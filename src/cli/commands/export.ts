import { Command } from 'commander';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { openCase } from '../../store/case.js';
import { iterateMessages, listSenders } from '../../store/query.js';
import { clusterCase } from '../../app/cluster.js';
import { leftovers, newKey, pseudonymPlan, scrubJson, type PseudonymKey } from '../../app/pseudonymize.js';
import { messageJson } from '../../output/messages.js';
import { senderJson } from '../../output/senders.js';
import { clusterJson, decisionAppliedJson, pairJson } from '../../output/clusters.js';
import { JSON_SCHEMA } from '../../output/listing.js';
import { escapeJsonText } from '../../util/sanitize.js';
import { describeSystemError, EnvironmentError, UsageError } from '../../util/errors.js';
import { TOOL } from '../../version.js';
import { addCaseOption, caseDir } from '../options.js';
import { addClusterOptions, clusterParams, type ClusterCliOptions } from '../cluster-options.js';
import { diagnose, type Io } from '../io.js';

interface ExportOptions extends ClusterCliOptions {
  case?: string;
  pseudonymize?: boolean;
  outputDir?: string;
  key?: string;
  suspect?: string[];
}

const json = (value: unknown): string => escapeJsonText(JSON.stringify(value));

function readKey(file: string): PseudonymKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--key ${file} is not a threatlens key file: ${(error as Error).message}`, 'give a new file name to start a new key, or the key file of an earlier export');
  }
  const key = parsed as Partial<PseudonymKey>;
  if (key.schema !== 'threatlens/pseudonym-key/v1' || typeof key.secret !== 'string' || !/^[0-9a-f]{64}$/.test(key.secret) || !Array.isArray(key.entries)) {
    throw new UsageError(`--key ${file} is not a threatlens key file`, 'give a new file name to start a new key, or the key file of an earlier export');
  }
  return key as PseudonymKey;
}

export function exportCommand(io: Io, _setExit: (code: number) => void): Command {
  const cmd = new Command('export')
    .summary('a copy of the findings to share, with pseudonyms')
    .description(
      "Writes a copy of the case's findings to share with researchers: findings.json (clusters with their\n" +
        'evidence, candidate links, decisions), messages.jsonl and senders.jsonl. With --pseudonymize (required:\n' +
        'threatlens shares nothing as it is) the victims, every person who is not a suspect (names, keys,\n' +
        'numbers), numbers only they used, chat names and file paths are replaced by stable pseudonyms, and\n' +
        'the texts of messages the findings do not cite are withheld. Suspects (the members of clusters, and\n' +
        '--suspect KEY) and their evidence are kept. What each pseudonym stands for is written to --key FILE,\n' +
        'outside the export: keep it apart. An existing key file gives the same pseudonyms again.',
    )
    .option('--pseudonymize', 'replace victims, non-suspects and texts that are not evidence (required)')
    .option('-o, --output-dir <dir>', 'the folder to write (new, or empty)')
    .option('--key <file>', 'the key file: what each pseudonym stands for (outside the export; reused if it exists)')
    .option('--suspect <key...>', 'keep these identities too, as suspects');
  addCaseOption(cmd);
  addClusterOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens export --case ./case --pseudonymize -o share/ --key ~/keys/case-2022.key.json
  $ threatlens export --case ./case --pseudonymize -o share/ --key case.key.json --suspect phone:+79281234567`,
  );
  cmd.action(async (options: ExportOptions) => {
    if (options.pseudonymize !== true) throw new UsageError('export writes pseudonymized copies only: add --pseudonymize', 'the case itself (case.sqlite) is the full copy');
    if (options.outputDir === undefined) throw new UsageError('export needs -o DIR: the folder to write');
    if (options.key === undefined) throw new UsageError('export needs --key FILE: where to keep what each pseudonym stands for (outside the export)');
    const out = resolve(options.outputDir);
    const keyFile = resolve(options.key);
    const inside = relative(out, keyFile);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      throw new UsageError(`--key ${options.key} is inside the export ${options.outputDir}`, 'the key undoes the pseudonyms: keep it outside the folder you share');
    }
    if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) throw new UsageError(`-o ${options.outputDir} is not an empty folder`, 'give a new folder, or an empty one');
    // Both land in folders that exist (nothing is created above them): checked before any work.
    for (const [option, folder] of [['-o', dirname(out)], ['--key', dirname(keyFile)]] as const) {
      if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
        throw new UsageError(`${option}: the folder ${folder} does not exist`, 'create it first, or give a path in a folder that exists');
      }
    }
    const key = existsSync(keyFile) ? readKey(keyFile) : newKey();

    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const { result, identities } = clusterCase(handle, clusterParams(options), { record: false });
      const plan = pseudonymPlan(handle, result, options.suspect ?? [], key);
      const scrub = (value: unknown): unknown => scrubJson(value, plan.scrub);

      const messages: string[] = [];
      let withheld = 0;
      for (const m of iterateMessages(handle)) {
        const record = messageJson(m);
        if (!plan.evidence.has(m.id)) {
          if (m.text !== '' || m.media.length > 0 || m.location !== null || m.contact !== null) withheld++;
          const token = `⟨withheld ${plan.withheld(m.id)}⟩`;
          Object.assign(record, {
            text: m.text === '' ? '' : token,
            links: [],
            location: null,
            contact: null,
            media: (record.media as Record<string, unknown>[]).map((x) => ({ ...x, name: token })),
          });
        }
        messages.push(json(scrub(record)) + '\n');
      }
      const senders = listSenders(handle).map((s) => json(scrub(senderJson(s))) + '\n');
      const findings = scrub({
        schema: JSON_SCHEMA,
        kind: 'findings',
        tool: TOOL,
        note: 'Pseudonymized with threatlens export: victims, people who are not suspects, their numbers, chat names and file paths are pseudonyms; texts of messages the findings do not cite are withheld. SHA-256s and message ids are kept.',
        params: JSON.parse(JSON.stringify(result.params, (_k, v) => (v === Infinity ? 'hard' : v))),
        chance: result.chance,
        clusters: result.clusters.map((c) => ({ ...clusterJson(c, identities), links: c.links.map(pairJson) })),
        candidates: result.candidates.map(pairJson),
        decisions: result.decisions.map(decisionAppliedJson),
      });
      const files: [string, string][] = [
        ['findings.json', escapeJsonText(JSON.stringify(findings, null, 2)) + '\n'],
        ['messages.jsonl', messages.join('')],
        ['senders.jsonl', senders.join('')],
        [
          'README.txt',
          `threatlens export (${TOOL}): pseudonymized findings.\n\n` +
            `findings.json   clusters with their evidence, candidate links, analyst decisions, the chance check\n` +
            `messages.jsonl  every message; the texts of ${withheld} messages the findings do not cite are withheld\n` +
            `senders.jsonl   every sender identity\n\n` +
            `Suspects (${plan.suspects.size}) and their evidence are as the case holds them. Victims, other people, numbers only they\n` +
            `used, chat names and file paths are pseudonyms (victim-…, person-…, phone-…, chat-…, file-…); SHA-256s and\n` +
            `message ids are kept, so every fact still points at its evidence for whoever holds the case.\n`,
        ],
      ];
      // Nothing replaced may be left anywhere: checked before anything is written.
      for (const [name, text] of files) {
        const left = leftovers(text, plan);
        if (left.length > 0) throw new Error(`pseudonymization left ${left.length} replaced values in ${name}`);
      }
      const write = (file: string, action: () => void): void => {
        try {
          action();
        } catch (error) {
          throw new EnvironmentError(`cannot write ${file}: ${describeSystemError(error)}`, 'choose a folder you can write to, with space left');
        }
      };
      write(out, () => existsSync(out) || mkdirSync(out, { mode: 0o700 }));
      for (const [name, text] of files) write(join(out, name), () => writeFileSync(join(out, name), text, { mode: 0o600 }));
      write(keyFile, () => {
        writeFileSync(keyFile, JSON.stringify(plan.key, null, 2) + '\n', { mode: 0o600 });
        chmodSync(keyFile, 0o600);
      });
      diagnose(
        io,
        `threatlens: exported ${messages.length} messages (${withheld} texts withheld) and ${result.clusters.length} ${result.clusters.length === 1 ? 'cluster' : 'clusters'} to ${options.outputDir}: ` +
          `${plan.replacements.size} values replaced by pseudonyms, ${plan.suspects.size} suspects kept; the key is ${options.key} (keep it apart)` +
          (plan.keptShared.length > 0 ? `; ${plan.keptShared.length} values kept because a suspect shows them too` : ''),
      );
    } finally {
      handle.close();
    }
  });
  return cmd;
}
