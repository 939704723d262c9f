import { Command, Option } from 'commander';
import { accountPair, insideAccount } from '../../attribution/cluster.js';
import { clusteringMethod } from '../../attribution/method.js';
import { latestRun } from '../../store/attribution.js';
import { clusterJson, clusterLedger, pairJson, pairLedger } from '../../output/clusters.js';
import { messagesById } from '../../store/query.js';
import { openCase } from '../../store/case.js';
import { UsageError } from '../../util/errors.js';
import { JSON_SCHEMA } from '../../output/listing.js';
import { escapeJsonText } from '../../output/sanitize.js';
import { addClusterOptions, clusterCase, clusterParams, type ClusterCliOptions } from '../clustering.js';
import { addCaseOption, caseDir, chalkFor, writeData, type Io, type OutputOptions } from '../context.js';
import type { Message } from '../../model.js';

export function explainCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('explain')
    .summary('the evidence ledger of a cluster, or of the link between two identities')
    .description(
      'Shows why threatlens links identities: for a cluster (ID from `cluster`), every link with its bits, the\n' +
        'evidence behind it, the messages side by side with their files and lines, and what would argue against\n' +
        'it; for two sender keys, the link between their accounts exactly as `cluster` scores it, joined or not.\n' +
        'explain only reads: it clusters the case again with the given parameters and records no run; the\n' +
        'first line says whether the latest run `cluster` recorded used the same exports and parameters.',
    )
    .argument('<id>', 'a cluster id (C-…) or a sender key')
    .argument('[other]', 'a second sender key');
  addCaseOption(cmd);
  addClusterOptions(cmd);
  cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('--no-color', 'no colour, even on a terminal or with $FORCE_COLOR (as $NO_COLOR does)');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens explain C-1a2b3c4d5e --case ./case
  $ threatlens explain telegram:user5012345678 phone:+79281234567 --case ./case
  $ threatlens explain C-1a2b3c4d5e --case ./case --format json | jq '.evidence[] | {type, weight, refs}'`,
  );
  cmd.action(async (id: string, other: string | undefined, options: ClusterCliOptions & OutputOptions & { case?: string }) => {
    const params = clusterParams(options);
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const { result, identities } = clusterCase(handle, params, { record: false });
      const recorded = latestRun(handle, 'cluster', params, clusteringMethod());
      const run = {
        recorded: false,
        latestClusterRun: recorded?.id ?? null,
        sameAsLatestRun: recorded?.same ?? false,
      };
      const runLine =
        recorded === null
          ? 'Clustered now (explain records nothing); no `cluster` run is recorded in this case yet.'
          : recorded.same
            ? `Clustered now with the exports, parameters and method of run #${recorded.id}, the latest \`cluster\` run (explain records nothing).`
            : `Clustered now (explain records nothing); the latest \`cluster\` run, #${recorded.id}, used other exports, parameters or version: its cluster ids may differ.`;
      const chalk = chalkFor(io, options);
      const messagesFor = (refs: string[]): Map<string, Message> => new Map(messagesById(handle, refs).map((m) => [m.id, m]));
      let text: string;
      if (other === undefined) {
        const cluster = result.clusters.find((c) => c.id === id) ?? result.clusters.find((c) => c.members.includes(id));
        if (!cluster) {
          throw new UsageError(
            `no cluster "${id}" in this case`,
            result.clusters.length > 0 ? `clusters now: ${result.clusters.map((c) => c.id).join(', ')}` : 'the case has no clusters; try `explain KEY KEY` for two identities',
          );
        }
        const refs = cluster.links.flatMap((l) => l.evidence.flatMap((e) => e.refs));
        text =
          options.format === 'json'
            ? escapeJsonText(JSON.stringify({ schema: JSON_SCHEMA, kind: 'cluster', run, ...clusterJson(cluster, identities), links: cluster.links.map(pairJson) }, null, 2)) + '\n'
            : `${chalk.dim(runLine)}\n${clusterLedger(cluster, result, identities, messagesFor(refs), chalk)}`;
      } else {
        for (const key of [id, other]) {
          const identity = identities.get(key);
          if (!identity) throw new UsageError(`no sender "${key}" in this case`, 'sender keys are listed by `threatlens senders`');
          if (identity.selfOf.length > 0) throw new UsageError(`${key} is the victim's own account (${identity.selfOf.join(', ')}); victims are not clustered`);
        }
        if (id === other) throw new UsageError('explain KEY KEY needs two different sender keys');
        // The link between the two accounts, exactly as the clustering scored it; for two identities
        // of one account, the hard link and whatever else they share.
        const pair = accountPair(result, id, other) ?? insideAccount(result, id, other);
        const together = result.clusters.find((c) => c.members.includes(id) && c.members.includes(other));
        text =
          options.format === 'json'
            ? escapeJsonText(
                JSON.stringify({ schema: JSON_SCHEMA, kind: 'link', run, keys: [id, other], cluster: together?.id ?? null, ...pairJson(pair) }, null, 2),
              ) + '\n'
            : `${chalk.dim(runLine)}\n` +
              pairLedger([id, other], pair, result, identities, messagesFor(pair.evidence.flatMap((e) => e.refs)), chalk) +
              (together ? `\nBoth are in cluster ${together.id}.\n` : '\nThey are not in one cluster.\n');
      }
      await writeData(io, options, [text]);
      setExit(0);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
