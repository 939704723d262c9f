// Media as a Telegram export names them: the placeholders tdesktop writes for files it left out,
// and the kind of a `file` by its `media_type`. The files themselves are found by the kit's
// TreeMedia (paths relative to the folder holding result.json; full exports add `chats/chat_NN/`).
import type { MediaKind } from '../../model.js';

/** Why tdesktop left a file out, from its placeholder text; null when the value is a path. */
export function placeholderReason(value: string): string | null {
  if (!value.startsWith('(')) return null;
  if (/^\((?:File|Photo) not included\b/i.test(value)) return 'not-included';
  if (/^\((?:File|Photo) exceeds maximum size\b/i.test(value)) return 'too-large';
  if (/^\((?:File|Photo) unavailable\b/i.test(value)) return 'unavailable';
  return null;
}

/** MediaKind of a `file` by its `media_type`. */
export function fileMediaKind(mediaType: unknown): MediaKind {
  switch (mediaType) {
    case undefined:
    case null:
      return 'document';
    case 'sticker':
      return 'sticker';
    case 'voice_message':
      return 'voice';
    case 'video_message':
      return 'video-note';
    case 'animation':
      return 'animation';
    case 'video_file':
      return 'video';
    case 'audio_file':
      return 'audio';
    default:
      return 'other';
  }
}
