import { Command } from 'commander';
import { openCase } from '../../store/case.js';
import { recordChange } from '../../store/custody.js';
import { verifyCase } from '../../app/verify.js';
import { verificationListing } from '../../output/verify.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import { addCaseOption, addOutputOptions, caseDir, type OutputOptions } from '../options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';
import { phaseReporter } from '../progress.js';

interface VerifyCliOptions extends OutputOptions {
  case?: string;
  root?: string;
  all?: boolean;
}

export function verifyCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('verify')
    .summary('re-hash every evidence file against the case')
    .description(
      'Hashes again, read-only, every file the case took in (chat exports, their media, images) and every\n' +
        'entry taken from an archive (a.zip!entry: read from the archive, never extracted), and compares each\n' +
        'with the SHA-256 and size recorded at ingest. Lists the files that changed, are missing or cannot be\n' +
        'read (--all: every file). Exit status 0 only when every file matches, else 1. A relative path is\n' +
        'looked for from the folder it was given from at ingest; --root DIR looks for it from DIR instead\n' +
        '(evidence copied elsewhere with the case). A case that can be written logs the verification in its\n' +
        'custody log.',
    )
    .option('--root <dir>', 'look for relative evidence paths from DIR (default: where ingest ran)')
    .option('--all', 'list every file, the ones that match too');
  addCaseOption(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens verify --case ./case
  $ threatlens verify --case /media/usb/case --root /media/usb --all --format csv -o verification.csv
  $ threatlens verify --case ./case --format jsonl | jq -r 'select(.status != "ok") | .path'`,
  );
  cmd.action(async (options: VerifyCliOptions) => {
    const handle = openCase(caseDir(options, io.env), { create: false, access: 'read' });
    try {
      const progress = phaseReporter(io, 'verify', 1);
      progress?.phase('hashing the evidence');
      const result = await verifyCase(handle, {
        root: options.root ?? null,
        onProgress: (done, total) => progress?.progress('files', done, total),
      });
      const { ok, changed, missing, unreadable } = result.counts;
      const total = result.checks.length;
      const summary =
        ok === total
          ? `verified ${total} evidence files: every one matches its recorded SHA-256`
          : `verified ${total} evidence files: ${ok} match, ${changed} changed, ${missing} missing, ${unreadable} unreadable`;
      progress?.done(summary);
      if (!handle.readonly) {
        // A verification is an event of the case's custody: logged, with what it found.
        handle.db.transaction(() => recordChange(handle.db, summary))();
      }
      const shown = options.all === true ? result.checks : result.checks.filter((c) => c.status !== 'ok');
      const render = formatOf(LISTING_FORMATS, options.format, 'verify');
      await writeData(io, options, render(verificationListing(shown), renderContext(io, options)));
      if (progress === undefined) diagnose(io, `threatlens: ${summary}`);
      setExit(ok === total ? 0 : 1);
    } finally {
      handle.close();
    }
  });
  return cmd;
}
