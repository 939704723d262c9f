import { Command } from 'commander';
import { openCase } from '../../store/case.js';
import { listDecisions } from '../../store/decisions.js';
import { decide, reviewTarget, withdraw, type Verdict } from '../../app/review.js';
import { decisionListing } from '../../output/decisions.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { UsageError } from '../../util/errors.js';
import { addCaseOption, addOutputOptions, caseDir, type OutputOptions } from '../options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';

interface ReviewOptions extends OutputOptions {
  case?: string;
  note?: string;
  all?: boolean;
}

function decisionCommand(io: Io, verdict: Verdict): Command {
  const cmd = new Command(verdict)
    .summary(verdict === 'confirm' ? 'confirm a link or a cluster: it joins in every later run' : 'reject a link or a cluster: it never joins again')
    .argument('<id>', 'a cluster id (C-…), or the first of two sender keys')
    .argument('[other]', 'the second sender key of a link')
    .option('--note <text>', 'why (recorded with the decision)');
  addCaseOption(cmd);
  addOutputOptions(cmd);
  cmd.action(async (id: string, other: string | undefined, options: ReviewOptions) => {
    const target = reviewTarget(id, other);
    const note = options.note?.trim() || null;
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'write' });
    try {
      const decision = decide(handle, verdict, target, note);
      diagnose(io, `threatlens: decision #${decision.id} recorded: every later \`threatlens cluster\` ${verdict === 'confirm' ? 'joins' : 'keeps apart'} ${decision.keys.join(' ')}`);
      const render = formatOf(LISTING_FORMATS, options.format, 'decisions');
      await writeData(io, options, render(decisionListing([decision]), renderContext(io, options)));
    } finally {
      handle.close();
    }
  });
  return cmd;
}

export function reviewCommand(io: Io, _setExit: (code: number) => void): Command {
  const cmd = new Command('review')
    .summary("record an analyst's decision on a link or a cluster")
    .description(
      "Records an analyst's decision in the case, with a note and the examiner's name, and lists them. A\n" +
        'rejected link never joins, whatever the evidence, and is not offered as a candidate again; a\n' +
        'rejected cluster keeps each pair of its members apart; no chain of other links may join what\n' +
        'was rejected (those links are held apart and shown as candidates). A confirmed link, or every\n' +
        "member of a confirmed cluster, is joined as one account, marked as the analyst's in the ledger.\n" +
        'Decisions are kept when evidence is added, shown by explain and recorded with each run.\n' +
        'A decision is withdrawn, never deleted.',
    );
  cmd.addCommand(decisionCommand(io, 'confirm'));
  cmd.addCommand(decisionCommand(io, 'reject'));

  const list = new Command('list').summary('the decisions, in force and withdrawn').option('--all', 'withdrawn decisions too');
  addCaseOption(list);
  addOutputOptions(list);
  list.action(async (options: ReviewOptions) => {
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const render = formatOf(LISTING_FORMATS, options.format, 'decisions');
      await writeData(io, options, render(decisionListing(listDecisions(handle, { inForce: options.all !== true })), renderContext(io, options)));
    } finally {
      handle.close();
    }
  });
  cmd.addCommand(list);

  const back = new Command('withdraw')
    .summary('withdraw a decision (kept in the case, marked)')
    .argument('<id>', 'the decision number, as review list shows it (#3 or 3)')
    .option('--note <text>', 'why (recorded in the custody log)');
  addCaseOption(back);
  addOutputOptions(back);
  back.action(async (value: string, options: ReviewOptions) => {
    const id = /^#?\d+$/.test(value) ? Number(value.replace('#', '')) : NaN;
    if (!Number.isSafeInteger(id)) throw new UsageError(`review withdraw takes a decision number (#3), not "${value}"`);
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'write' });
    try {
      const decision = withdraw(handle, id);
      diagnose(io, `threatlens: decision #${decision.id} withdrawn: later runs weigh ${decision.keys.join(' ')} on the evidence alone`);
      const render = formatOf(LISTING_FORMATS, options.format, 'decisions');
      await writeData(io, options, render(decisionListing([decision]), renderContext(io, options)));
    } finally {
      handle.close();
    }
  });
  cmd.addCommand(back);

  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens review reject name:0e6dcb6f225b:Мама name:ecbac761b03b:Мама --case ./case --note "two different mothers: checked with both victims"
  $ threatlens review confirm C-7072ff5aaa --case ./case --examiner "A. Petrova" --note "same callback number in all threats"
  $ threatlens review list --case ./case --all
  $ threatlens review withdraw 2 --case ./case --note "entered on the wrong pair"`,
  );
  for (const sub of cmd.commands) {
    sub.exitOverride();
    sub.showHelpAfterError('(run with --help for usage)');
    sub.configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  }
  return cmd;
}
