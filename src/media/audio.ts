// An audio file's codec and length from its own headers, by music-metadata (Ogg Opus and Vorbis,
// AAC in MP4, AMR, MP3, WAV). Run in the container process (container-process.ts).
import { parseFile } from 'music-metadata';
import type { AudioFacts } from './types.js';

export async function readAudioHeaders(path: string): Promise<{ audio: AudioFacts; errors: string[] }> {
  try {
    const { format } = await parseFile(path, { duration: true, skipCovers: true });
    return {
      audio: {
        durationMs: format.duration !== undefined ? Math.round(format.duration * 1000) : null,
        codec: format.codec ?? null,
        container: format.container ?? null,
        sampleRate: format.sampleRate ?? null,
        channels: format.numberOfChannels ?? null,
      },
      errors: [],
    };
  } catch (error) {
    return {
      audio: { durationMs: null, codec: null, container: null, sampleRate: null, channels: null },
      errors: [`audio headers not readable: ${(error as Error).message.split('\n')[0]}`],
    };
  }
}
