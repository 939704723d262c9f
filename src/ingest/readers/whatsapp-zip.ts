// WhatsApp "Export chat" archive (.zip): `_chat.txt` (or the single .txt) plus media, read in place
// from the archive with bounded inflation. Attachments resolve to `archive.zip!entry`.
import type { Warning } from '../../model.js';
import { InputError } from '../../util/errors.js';
import type { Reader } from '../reader.js';
import { fileStem } from '../whatsapp/chat-name.js';
import { readChatText } from '../whatsapp/chat-reader.js';
import { looksLikeChatZip } from '../whatsapp/sniff.js';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../whatsapp/zip-archive.js';
import type { ZipLimits } from '../whatsapp/zip-archive.js';
import { ZipMedia } from '../whatsapp/zip-media.js';

/** The entry holding the chat text: `_chat.txt`, else the only `.txt` (or only `WhatsApp….txt`). */
function chatEntry(archive: ZipArchive): string {
  const texts = [...archive.entries.keys()].filter((n) => /\.txt$/i.test(n));
  const base = (n: string): string => n.slice(n.lastIndexOf('/') + 1);
  const pick =
    texts.find((n) => n === '_chat.txt') ??
    (texts.filter((n) => base(n) === '_chat.txt').length === 1 ? texts.find((n) => base(n) === '_chat.txt') : undefined) ??
    (texts.length === 1 ? texts[0] : undefined) ??
    (texts.filter((n) => /^whatsapp/i.test(base(n))).length === 1 ? texts.find((n) => /^whatsapp/i.test(base(n))) : undefined);
  if (pick !== undefined) return pick;
  throw new InputError(
    archive.file,
    texts.length === 0
      ? 'the archive holds no .txt chat text'
      : `the archive holds several .txt files and none is _chat.txt: ${texts.slice(0, 5).join(', ')}`,
    {},
    'a WhatsApp export zip contains _chat.txt or "WhatsApp Chat with X.txt"; pass the .txt itself if you extracted it',
  );
}

/** A zip reader with its own bomb limits (tests lower them). */
export function createWhatsappZipReader(limits: Readonly<ZipLimits> = DEFAULT_ZIP_LIMITS): Reader {
  return {
    name: 'whatsapp-zip',
    platform: 'whatsapp',
    ownsFolder: false,
    description: 'WhatsApp "Export chat" archive (.zip with _chat.txt and media)',
    sniff(head: Buffer, fileName: string): boolean {
      return looksLikeChatZip(head, fileName);
    },
    async *read(input, options) {
      const archive = await ZipArchive.open(input.absPath, input.displayPath, limits);
      try {
        const entry = chatEntry(archive);
        const media = new ZipMedia(archive);
        const warnings: Warning[] = archive.unusable.map((u) => ({
          file: input.displayPath,
          code: 'zip-entry-unusable',
          message: `entry ${JSON.stringify(u.name)} is not used: ${u.reason}`,
        }));
        yield* readChatText(
          {
            reader: 'whatsapp-zip',
            file: input.displayPath,
            sha256: input.sha256,
            entry,
            open: async () => archive.read(entry, limits.maxChatBytes),
            nameSources: [input.displayPath, entry],
            fallbackName: fileStem(input.displayPath),
            resolveMedia: (mention) => media.resolve(mention),
            resolveMediaNow: (mention) => media.resolveNow(mention),
            warnings,
          },
          options,
        );
      } finally {
        archive.close();
      }
    },
  };
}

export const whatsappZipReader: Reader = createWhatsappZipReader();
