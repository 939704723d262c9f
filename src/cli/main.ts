// argv -> command -> exit code. The only place that decides exit codes:
//   0 success, 1 the work ran but some inputs were rejected, or an environment fault (the data could
//   not be written), 2 usage error, 3 internal error (a bug).
import { Command, CommanderError, Help } from 'commander';
import { VERSION } from '../version.js';
import { describeSystemError, EnvironmentError, InputError, UsageError } from '../util/errors.js';
import { stripControls, terminalSafe } from '../util/sanitize.js';
import type { Io } from './io.js';
import { keepConsoleOffStdout } from '../util/console-guard.js';

// Start-up: `threatlens --help`, `--version` and usage errors load commander and little else. Each
// command's module (and through it the case store, the readers, better-sqlite3, sharp,
// libphonenumber's metadata…) is imported only when that command is run or its help is asked for;
// the other commands appear in the overview as stand-ins made from the table below. The test
// cli-startup.test.ts checks that the table says what the command modules say.

type MakeCommand = (io: Io, setExit: (code: number) => void) => Command;

/** A command as the overview lists it, and how to load the real one. */
export interface CommandEntry {
  name: string;
  /** The term in the overview: name, `[options]`, arguments, exactly as commander writes it. */
  term: string;
  /** The command's summary, as its module gives it. */
  summary: string;
  load: () => Promise<MakeCommand>;
}

/** Every command, in the order of the overview. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'ingest',
    term: 'ingest [options] <path...>',
    summary: 'add exports and images to the case',
    load: async () => (await import('./commands/ingest.js')).ingestCommand,
  },
  {
    name: 'messages',
    term: 'messages [options] [path...]',
    summary: 'list messages, with filters',
    load: async () => (await import('./commands/messages.js')).messagesCommand,
  },
  {
    name: 'senders',
    term: 'senders [options] [path...]',
    summary: 'one row per sender identity',
    load: async () => (await import('./commands/senders.js')).sendersCommand,
  },
  {
    name: 'phones',
    term: 'phones [options] [text...]',
    summary: 'normalize phone numbers in text, or list every number in the case',
    load: async () => (await import('./commands/phones.js')).phonesCommand,
  },
  {
    name: 'media',
    term: 'media [options] [path...]',
    summary: 'image, video and audio facts: hashes, camera, serials, times, GPS, anomalies',
    load: async () => (await import('./commands/media.js')).mediaCommand,
  },
  {
    name: 'cluster',
    term: 'cluster [options] [path...]',
    summary: 'group sender identities that evidence links to one actor',
    load: async () => (await import('./commands/cluster.js')).clusterCommand,
  },
  {
    name: 'explain',
    term: 'explain [options] <id> [other]',
    summary: 'the evidence ledger of a cluster, or of the link between two identities',
    load: async () => (await import('./commands/explain.js')).explainCommand,
  },
  {
    name: 'analyze',
    term: 'analyze [options] [path...]',
    summary: 'the main job: ingest, then overview, senders, phones and clusters',
    load: async () => (await import('./commands/analyze.js')).analyzeCommand,
  },
  {
    name: 'report',
    term: 'report [options]',
    summary: 'the HTML report from what the case holds',
    load: async () => (await import('./commands/analyze.js')).reportCommand,
  },
  {
    name: 'review',
    term: 'review',
    summary: "record an analyst's decision on a link or a cluster",
    load: async () => (await import('./commands/review.js')).reviewCommand,
  },
  {
    name: 'remove',
    term: 'remove [options] <export>',
    summary: 'take one export, and what only it held, out of the case',
    load: async () => (await import('./commands/remove.js')).removeCommand,
  },
  {
    name: 'export',
    term: 'export [options]',
    summary: 'a copy of the findings to share, with pseudonyms',
    load: async () => (await import('./commands/export.js')).exportCommand,
  },
  {
    name: 'verify',
    term: 'verify [options]',
    summary: 're-hash every evidence file against the case',
    load: async () => (await import('./commands/verify.js')).verifyCommand,
  },
  {
    name: 'custody',
    term: 'custody [options]',
    summary: "the case's custody log; add a note, set the examiner",
    load: async () => (await import('./commands/custody.js')).custodyCommand,
  },
  {
    name: 'formats',
    term: 'formats [options]',
    summary: 'the export formats threatlens reads, and what each gives',
    load: async () => (await import('./commands/formats.js')).formatsCommand,
  },
];

/**
 * The commands commander may run for `argv`: the first operand (commander dispatches on it; the
 * root's own options, -h and -V, take no value), and after `help` the operand that follows.
 * Loading one too many costs time only; one too few would run a stand-in, which fails loudly.
 */
export function commandsToLoad(argv: readonly string[]): Set<string> {
  const operands: string[] = [];
  let rest = false;
  for (const arg of argv.slice(2)) {
    if (!rest && arg === '--') {
      rest = true;
      continue;
    }
    if (!rest && arg.length > 1 && arg.startsWith('-')) continue;
    operands.push(arg);
    if (operands.length === 2) break;
  }
  const wanted = new Set<string>();
  if (operands[0] !== undefined) wanted.add(operands[0]);
  if (operands[0] === 'help' && operands[1] !== undefined) wanted.add(operands[1]);
  return wanted;
}

/** The stand-in for a command not loaded: listed in the overview, never run. */
function standIn(entry: CommandEntry): Command {
  return new Command(entry.name).summary(entry.summary).action(() => {
    throw new Error(`command ${entry.name} was not loaded before it ran`);
  });
}

/** Writes one diagnostic line, as io.ts's diagnose does (kept here so errors load nothing, not even chalk). */
function diagnose(io: Io, line: string): void {
  io.stderr.write(terminalSafe(line) + '\n');
}

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

/**
 * The program, with the commands named in `load` built by their modules and the others as
 * stand-ins (all of them built by default, as tests want).
 */
export async function buildProgram(
  io: Io,
  setExit: (code: number) => void,
  load: (name: string) => boolean = () => true,
): Promise<Command> {
  const standIns = new Map<Command, string>();
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
    .configureHelp({
      subcommandTerm: (cmd) => standIns.get(cmd) ?? new Help().subcommandTerm(cmd),
    })
    .hook('preAction', async (_program, action) => {
      const options = action.opts() as { output?: string; examiner?: string; note?: string };
      // The command's module has loaded io.ts already: this import costs nothing.
      if (options.output !== undefined) (await import('./io.js')).checkOutputPath(options.output);
      // What the custody log records of this command, should it change a case.
      (await import('../store/custody.js')).setInvocation({
        command: commandPath(action).join(' '),
        arguments: argvOf(action),
        examiner: options.examiner ?? null,
        defaultExaminer: io.env.THREATLENS_EXAMINER || null,
        note: options.note ?? null,
      });
    });
  for (const entry of COMMANDS) {
    if (!load(entry.name)) {
      const stub = standIn(entry);
      standIns.set(stub, entry.term);
      program.addCommand(stub);
      continue;
    }
    const cmd = (await entry.load())(io, setExit);
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

/** A command's names from the program down: ['review', 'reject']. */
function commandPath(action: Command): string[] {
  const names: string[] = [];
  for (let at: Command | null = action; at !== null && at.parent !== null; at = at.parent) names.unshift(at.name());
  return names;
}

/** The arguments of a command as typed after its names (commander keeps the raw argv on the root). */
function argvOf(action: Command): string[] {
  let root = action;
  while (root.parent !== null) root = root.parent;
  const raw = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  let at = 1;
  for (const name of commandPath(action)) {
    const found = raw.indexOf(name, at + 1);
    if (found < 0) return raw.slice(2);
    at = found;
  }
  return raw.slice(at + 1);
}

/** Errors threatlens raises itself (commander's included); caseFault passes them through unchanged. */
function isOwnError(error: unknown): boolean {
  return error instanceof CommanderError || error instanceof UsageError || error instanceof EnvironmentError || error instanceof InputError;
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
  const wanted = commandsToLoad(argv);
  const program = await buildProgram(
    io,
    (code) => {
      exitCode = Math.max(exitCode, code);
    },
    (name) => wanted.has(name),
  );
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
    // threatlens's own errors are never such faults: they need no store (and no better-sqlite3).
    const error = isOwnError(thrown) ? thrown : ((await import('../store/case.js')).caseFault(thrown) ?? thrown);
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
