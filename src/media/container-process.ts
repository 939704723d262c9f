// Video containers and audio headers are parsed in a child process of threatlens (one, started on
// first use, reused for every file, started again after a file killed it): a damaged file can make a
// parser loop and grow an array until V8 aborts its process, which no catch survives. Here that ends
// the child, the file is reported as unreadable, and the run goes on. Each file has a time limit and
// the child a heap limit. An idle child does not keep threatlens running.
import { fork, type ChildProcess } from 'node:child_process';
import { unreadContainer, type VideoContainer } from './video.js';
import type { AudioFacts, AudioFormat, VideoFormat } from './types.js';

export type ContainerJob = { kind: 'video'; path: string; format: VideoFormat } | { kind: 'audio'; path: string; format: AudioFormat };

type AudioHeaders = { audio: AudioFacts; errors: string[] };

/** Longest a file may take (a header is read in milliseconds; more is a parser caught in a loop). */
const TIME_LIMIT_MS = 15_000;
/** The child's heap: parsing the fixtures' headers and a voice message uses 7 MB (sample tables are blanked, never read); small, so a runaway parser ends soon. */
const HEAP_MB = 40;

interface Pending {
  resolve: (answer: { result?: unknown; error?: string }) => void;
  timer: NodeJS.Timeout;
}

let child: ChildProcess | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function start(): ChildProcess {
  const c = fork(new URL('./container-child.js', import.meta.url), [], {
    execArgv: [`--max-old-space-size=${HEAP_MB}`],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
  });
  c.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const p = pending.get(message.id);
    if (p === undefined) return;
    pending.delete(message.id);
    clearTimeout(p.timer);
    p.resolve(message);
    idle(c);
  });
  // The child died (a parser aborted it, or it was killed for its time): its files fail.
  c.on('exit', (code, signal) => {
    if (child === c) child = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      clearTimeout(p.timer);
      p.resolve({ error: `the container parser stopped on this file (${signal ?? `exit ${code}`}): the file is damaged or built to break parsers` });
    }
  });
  c.on('error', () => undefined);
  return c;
}

/** No file waiting: the child does not keep the process alive. */
function idle(c: ChildProcess): void {
  if (pending.size > 0) return;
  c.unref();
  c.channel?.unref();
}

function ask(job: ContainerJob): Promise<{ result?: unknown; error?: string }> {
  child ??= start();
  const c = child;
  c.ref();
  c.channel?.ref();
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      resolve({ error: `the container parser took over ${TIME_LIMIT_MS / 1000} s on this file and was stopped: the file is damaged or built to break parsers` });
      c.kill('SIGKILL');
    }, TIME_LIMIT_MS);
    pending.set(id, { resolve, timer });
    c.send({ id, job });
  });
}

/** What a video's container says, read in the child process; a failure there is an error of the file. */
export async function probeVideo(path: string, format: VideoFormat): Promise<VideoContainer> {
  const answer = await ask({ kind: 'video', path, format });
  if (answer.result !== undefined) return answer.result as VideoContainer;
  return unreadContainer([answer.error ?? 'the container parser gave no answer']);
}

/** An audio file's codec and length, read in the child process. */
export async function probeAudio(path: string, format: AudioFormat): Promise<AudioHeaders> {
  const answer = await ask({ kind: 'audio', path, format });
  if (answer.result !== undefined) return answer.result as AudioHeaders;
  return { audio: { durationMs: null, codec: null, container: null, sampleRate: null, channels: null }, errors: [answer.error ?? 'the audio parser gave no answer'] };
}
