// Ingest progress for the investigator: a throttled line on stderr, redrawn in place, only when
// stderr is a terminal (a log file or a pipe gets none). The pipeline only emits events.
import type { ProgressEvent } from '../ingest/pipeline.js';
import { terminalSafe } from '../util/sanitize.js';
import type { Io } from './io.js';

/** Progress on stderr, only when stderr is a terminal; throttled. */
export function progressReporter(io: Io): ((event: ProgressEvent) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  let files = 0;
  let current = '';
  let index = 0;
  let last = 0;
  const draw = (text: string): void => {
    io.stderr.write(`\r\u001b[2K${text}`);
  };
  return (event) => {
    if (event.type === 'start') files = event.files;
    else if (event.type === 'file') {
      current = terminalSafe(event.path);
      index = event.index + 1;
      draw(`ingesting [${index}/${files}] ${current}`);
    } else if (event.type === 'bytes') {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const pct = event.total > 0 ? Math.floor((event.done / event.total) * 100) : 0;
      draw(`ingesting [${index}/${files}] ${current} ${pct}%`);
    } else if (event.type === 'images') {
      const now = Date.now();
      if (now - last < 100 && event.done < event.total) return;
      last = now;
      draw(`reading images ${event.done}/${event.total}`);
      if (event.done === event.total) io.stderr.write('\r\u001b[2K');
    } else {
      io.stderr.write('\r\u001b[2K');
    }
  };
}
