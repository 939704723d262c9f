// The phone-extraction thread (ingest/phone-prefetch.ts): reads the numbers of batches of message
// texts while the main thread goes on reading and writing the export. Each stream (one export) has
// an extractor of its own, whose fact ids its batches refer to; a new stream ends the older ones.
import { parentPort } from 'node:worker_threads';
import { BatchExtractor, type CompactBatch } from './extract-batch.js';
import { loadPhoneLibrary } from './lib.js';

export interface ExtractJob {
  stream: number;
  region: string;
  limit: number;
  texts: string[];
}

export type ExtractAnswer = { batch: CompactBatch } | { error: string };

const extractors = new Map<number, BatchExtractor>();

// The thread exists to read numbers: the library's metadata is loaded as it starts (ingest starts it
// before the first texts come, see PhonePrefetch.warmUpFor). Jobs that come before it is loaded
// wait for it, in the order they came.
const loaded = loadPhoneLibrary();

parentPort!.on('message', async ({ id, job }: { id: number; job: ExtractJob }) => {
  await loaded;
  let result: ExtractAnswer;
  try {
    let extractor = extractors.get(job.stream);
    if (extractor === undefined) {
      extractors.clear();
      extractor = new BatchExtractor(job.region, job.limit);
      extractors.set(job.stream, extractor);
    }
    result = { batch: extractor.extract(job.texts) };
  } catch (error) {
    result = { error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  const transfer = 'batch' in result ? [result.batch.matches.buffer as ArrayBuffer] : [];
  parentPort!.postMessage({ id, result }, transfer);
});
