// argv -> command -> exit code. The only place that decides exit codes:
//   0 success, 1 the work ran but some inputs were rejected, or an environment fault (the data could
//   not be written), 2 usage error, 3 internal error (a bug).
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { describeSystemError, EnvironmentError, InputError, UsageError } from '../util/errors.js';
import { caseFault } from '../store/case.js';
import { stripControls } from '../output/sanitize.js';
import { checkOutputPath, diagnose, type Io } from './io.js';
import { keepConsoleOffStdout } from '../util/console-guard.js';
import { ingestCommand } from './commands/ingest.js';
import { messagesCommand } from './commands/messages.js';
import { sendersCommand } from './commands/senders.js';
import { analyzeCommand } from './commands/analyze.js';
import { phonesCommand } from './commands/phones.js';
import { mediaCommand } from './commands/media.js';
import { clusterCommand } from './commands/cluster.js';
import { explainCommand } from './commands/explain.js';

export const EXIT_OK = 0;
export const EXIT_INPUT_REJECTED = 1;
/** The same code as a rejected input: the work ran, but the environment let part of it down. */
export const EXIT_FAULT = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/**
 * Descriptions are written as hard-wrapped paragraphs; commander wraps them again to the terminal
 * width, so single line breaks are joined (blank lines still separate paragraphs). A description
 * with indented lines is laid out by hand, and commander leaves those alone: so does this.
 */
function asParagraphs(text: string): string {
  if (/\n[ \t]/.test(text)) return text;
  return text.replace(/([^\n])\n(?!\n)/g, '$1 ');
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('threatlens')
    .description(
      asParagraphs(
      'Offline forensic toolkit for threat messages: ingest Telegram and WhatsApp exports from many victims,\n' +
        'normalize phone numbers, read image evidence, and link sender accounts with explainable evidence.\n' +
        'Nothing goes to the network. Data goes to stdout, diagnostics to stderr.',
      ),
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    })
    .exitOverride()
    .hook('preAction', (_program, action) => {
      const output = (action.opts() as { output?: string }).output;
      if (output !== undefined) checkOutputPath(output);
    });
  for (const make of [ingestCommand, messagesCommand, sendersCommand, phonesCommand, mediaCommand, clusterCommand, explainCommand, analyzeCommand]) {
    const cmd = make(io, setExit);
    cmd.description(asParagraphs(cmd.description()));
    cmd.exitOverride();
    cmd.showHelpAfterError('(run with --help for usage)');
    cmd.configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });
    program.addCommand(cmd);
  }
  program.addHelpText(
    'after',
    `
Quick start:
  $ threatlens analyze fixtures/sample-case            # ingest a sample case in memory and report
  $ threatlens ingest --case ./case exports/ --tz Europe/Moscow
  $ threatlens senders --case ./case
  $ threatlens messages --case ./case --search "безопасности" --format jsonl

The case: --case DIR, else $THREATLENS_CASE, else ./threatlens-case.
Colour: tables on a terminal, unless --no-color or $NO_COLOR; $FORCE_COLOR forces it, also in a pipe
(FORCE_COLOR=0 turns it off); --no-color always wins.
Exit status: 0 success, 1 some inputs rejected (the rest kept), or the disk, the case or the output failed
(full, busy, unwritable), 2 usage error (also: case read-only for a write, damaged, or not a threatlens
case), 3 internal error.`,
  );
  return program;
}

const defaultIo: Io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs threatlens with `argv` (as in process.argv) and returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let exitCode = EXIT_OK;
  if (io.stdout === process.stdout) {
    // Data only on stdout: what a library prints through the console goes to stderr (or, where
    // threatlens captures it, into a warning naming the file).
    keepConsoleOffStdout();
    // `threatlens … | head`: the reader has all it wants; stop quietly, as Unix tools do.
    // Any other fault (a full disk behind `> file`): one line, exit 1. While writeData writes, it
    // listens too and reports the fault itself, with the command's exit code.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(exitCode);
      if (process.stdout.listenerCount('error') > 1) return;
      diagnose(io, `threatlens: cannot write to standard output: ${describeSystemError(error)}`);
      process.exit(Math.max(exitCode, EXIT_FAULT));
    });
  }
  const program = buildProgram(io, (code) => {
    exitCode = Math.max(exitCode, code);
  });
  const err = (line: string): void => diagnose(io, line);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return EXIT_USAGE;
    }
    await program.parseAsync(argv);
    return exitCode;
  } catch (thrown) {
    // SQLite's own errors about the case (full disk, damaged file, busy, read-only) in plain words.
    const error = caseFault(thrown) ?? thrown;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      if (error.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      err(`threatlens: ${error.message}`);
      if (error.hint) err(`  ${error.hint}`);
      return EXIT_USAGE;
    }
    if (error instanceof EnvironmentError) {
      err(`threatlens: ${error.message}`);
      if (error.hint) err(`  ${error.hint}`);
      return Math.max(exitCode, EXIT_FAULT);
    }
    if (error instanceof InputError) {
      err(`threatlens: ${error.describe()}`);
      return EXIT_INPUT_REJECTED;
    }
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return exitCode;
    // The stack keeps its lines: it comes from threatlens's code, not from the evidence.
    io.stderr.write(stripControls(`threatlens: internal error: ${(error as Error).stack ?? String(error)}`) + '\n');
    err('  this is a bug in threatlens; please report it with the command you ran (no evidence needed)');
    return EXIT_INTERNAL;
  }
}
