import { Command } from 'commander';
import { setFlagsFromString } from 'node:v8';
import { ingestIntoCase } from '../../app/case.js';
import { fileListing } from '../../output/files.js';
import { formatOf, LISTING_FORMATS } from '../../output/formats/index.js';
import {
  addCaseOption,
  addIngestOptions,
  addOutputOptions,
  caseDir,
  ingestOptions,
  validateIngestOptions,
  type IngestCliOptions,
  type OutputOptions,
} from '../options.js';
import { diagnose, renderContext, writeData, type Io } from '../io.js';
import { ingestExitCode, reportIngestDiagnostics } from '../diagnostics.js';

export function ingestCommand(io: Io, setExit: (code: number) => void): Command {
  const cmd = new Command('ingest')
    .summary('add exports and images to the case')
    .description(
      'Adds evidence to the case: Telegram Desktop exports (JSON: folder or result.json, single chat or whole\n' +
        'account; HTML: folder or messages.html), WhatsApp exports (.txt, or .zip with media), images, or folders\n' +
        'of these, found recursively (threatlens formats lists the readers).\n' +
        'Each file is recorded with its size and SHA-256; a file already in the case adds nothing.',
    )
    .argument('<path...>', 'files or folders to ingest');
  addCaseOption(cmd);
  addIngestOptions(cmd);
  addOutputOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ threatlens ingest --case ./case exports/anna exports/boris --tz Europe/Moscow
  $ threatlens ingest --case ./case "WhatsApp Chat with Ivan.zip" --victim anna --region RU
  $ threatlens ingest --case ./case evidence/ --format json | jq '.items[] | select(.status == "rejected")'

Exit status: 0 all taken in, 1 some inputs rejected (named on stderr, the rest kept), 2 usage error.`,
  );
  cmd.action(async (paths: string[], options: IngestCliOptions & OutputOptions) => {
    validateIngestOptions(options);
    const render = formatOf(LISTING_FORMATS, options.format, 'files');
    // What ingest keeps is small (the case is on disk) and what it lets go is much: after each full
    // collection V8 lets the heap grow by up to four times what is live before the next when garbage
    // comes fast, and a folder of 38,610 chats held 170 MB of heap for 60 MB live. 30 % more than
    // live costs no time measurable on this machine (issue 14: 340 -> 280 MB, 90 -> 87 s).
    setFlagsFromString('--heap-growing-percent=30');
    const { handle, report } = await ingestIntoCase(caseDir(options, io.env), paths, ingestOptions(options, io));
    try {
      await writeData(io, options, render(fileListing(report.files), renderContext(io, options)));
      reportIngestDiagnostics(report, io);
      if (report.unreferenced > 0) {
        const n = report.unreferenced;
        diagnose(io, `threatlens: ${n} ${n === 1 ? "file inside an export folder is" : "files inside export folders are"} not referenced by any message (not ingested)`);
      }
      setExit(ingestExitCode(report));
    } finally {
      handle?.close();
    }
  });
  return cmd;
}
