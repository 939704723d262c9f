// The process that reads video and audio containers for container-process.ts: each message names a
// file, the answer is what its container says. The parsers run here, not in threatlens's process,
// because a damaged file can send a parser into a loop that grows an array until V8 aborts the whole
// process (no catch survives that); here it ends this process only, and the file is reported.
import { readVideoContainer } from './video.js';
import { readAudioHeaders } from './audio.js';
import type { ContainerJob } from './container-process.js';

process.on('message', (message: { id: number; job: ContainerJob }) => {
  const { id, job } = message;
  const answer = job.kind === 'video' ? readVideoContainer(job.path, job.format) : readAudioHeaders(job.path);
  void answer.then(
    (result) => process.send?.({ id, result }),
    (error: unknown) => process.send?.({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
