#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install`, which runs `prepare`).
import { main } from '../dist/src/cli/main.js';

let settled = false;
// Node ends a process whose last promise can never settle with exit code 13 and no word: that is a
// bug in threatlens (something waited on nothing), and it says so like every other bug.
process.on('exit', (code) => {
  if (!settled && code === 13) {
    process.stderr.write('threatlens: internal error: the work stopped, waiting on something that will never happen\n  this is a bug in threatlens; please report it with the command you ran (no evidence needed)\n');
    process.exitCode = 3;
  }
});
process.exitCode = await main(process.argv);
settled = true;
