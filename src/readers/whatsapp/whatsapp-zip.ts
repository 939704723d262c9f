// WhatsApp "Export chat" archive (.zip): `_chat.txt` (or the single .txt) plus media, read in place
// from the archive with bounded inflation. Attachments resolve to `archive.zip!entry`.
//
// Every chat text in the archive is read, each as a chat of its own: a WhatsApp export holds one,
// so a second one (a duplicate `_chat.txt`, another `WhatsApp Chat with X.txt`) is something the
// investigator must see, not something to choose between. The chat text the export itself names
// (`_chat.txt`, else the only .txt) is read first and keeps the ids an ordinary export has; the
// others are read after it, in archive order, with their entry's place in their ids. A .txt that a
// message attaches is a document, not a chat; one that neither reads as a chat nor is attached is
// reported as not read. Duplicate entry names are reported, and each entry is known by its
// designation (`name#N`, see zip-archive.ts).
import type { ReaderEvent, Warning } from '../../model.js';
import { InputError } from '../../util/errors.js';
import type { Reader } from '../reader.js';
import { fileStem } from './chat-name.js';
import { readChatText } from './chat-reader.js';
import { decodeHead } from './lines.js';
import { looksLikeChatText, looksLikeChatZip } from './sniff.js';
import { WHATSAPP, WHATSAPP_CAPABILITIES, WHATSAPP_READS, whatsappMessageId } from './platform.js';
import { DEFAULT_ZIP_LIMITS, ZipArchive } from '../kit/zip-archive.js';
import type { ZipLimits } from '../kit/zip-archive.js';
import { ZipMedia } from '../kit/archive-media.js';

/** Bytes of a .txt entry read to decide whether it is a chat text. */
const SNIFF_BYTES = 64 * 1024;

const baseOf = (n: string): string => n.slice(n.lastIndexOf('/') + 1);

/**
 * The chat text the export names, when exactly one entry fits: `_chat.txt`, else `…/_chat.txt`,
 * else the only `.txt`, else the only `WhatsApp….txt`; null when none or several do.
 */
function mainChatEntry(archive: ZipArchive, texts: string[]): string | null {
  const nameOf = (d: string): string => archive.names.get(d)!;
  const root = archive.byName.get('_chat.txt');
  if (root !== undefined) return root.length === 1 ? root[0]! : null;
  const nested = texts.filter((d) => baseOf(nameOf(d)) === '_chat.txt');
  if (nested.length > 0) return nested.length === 1 ? nested[0]! : null;
  if (texts.length === 1) return texts[0]!;
  const named = texts.filter((d) => /^whatsapp/i.test(baseOf(nameOf(d))));
  return named.length === 1 ? named[0]! : null;
}

const warningEvent = (warning: Warning): ReaderEvent => ({ type: 'warning', warning });

/** A zip reader with its own bomb limits (tests lower them). */
export function createWhatsappZipReader(limits: Readonly<ZipLimits> = DEFAULT_ZIP_LIMITS): Reader {
  return {
    name: 'whatsapp-zip',
    platform: WHATSAPP,
    folderMarker: null,
    stableChatIds: false,
    messageId: whatsappMessageId,
    capabilities: WHATSAPP_CAPABILITIES,
    reads: WHATSAPP_READS,
    description: 'WhatsApp "Export chat" archive (.zip with _chat.txt and media)',
    sniff(head: Buffer, fileName: string): boolean {
      return looksLikeChatZip(head, fileName);
    },
    async *read(input, options) {
      const archive = await ZipArchive.open(input.absPath, input.displayPath, limits);
      try {
        const file = input.displayPath;
        const texts = [...archive.entries.keys()].filter((d) => /\.txt$/i.test(archive.names.get(d)!));
        const main = mainChatEntry(archive, texts);
        const media = new ZipMedia(archive);
        const containerWarnings: Warning[] = [
          ...archive.unusable.map((u) => ({ file, code: 'zip-entry-unusable', message: `entry ${JSON.stringify(u.name)} is not used: ${u.reason}` })),
          ...archive.duplicates.map((d) => ({
            file,
            code: 'zip-duplicate-entry',
            message:
              `the archive holds ${d.designations.length} entries named ${JSON.stringify(d.name)} ` +
              `(entries ${d.designations.map((x) => archive.indexes.get(x)).join(', ')} of its directory); ` +
              `each is read on its own, as ${d.designations.map((x) => JSON.stringify(x)).join(', ')}; none is taken for another`,
          })),
        ];
        const chats: string[] = [];
        const notRead: Warning[] = [];
        for (const entry of main === null ? texts : [main, ...texts.filter((d) => d !== main)]) {
          if (entry !== main) {
            // A .txt a message attaches is a document of that chat.
            if (media.referenced.has(entry)) continue;
            if (!looksLikeChatText(decodeHead(await archive.head(entry, SNIFF_BYTES)))) {
              notRead.push({
                file,
                code: 'zip-text-not-read',
                message: `entry ${JSON.stringify(entry)} is a .txt that no message attaches and that does not read as a WhatsApp chat: not read`,
              });
              continue;
            }
          }
          const first = chats.length === 0;
          const name = archive.names.get(entry)!;
          chats.push(entry);
          yield* readChatText(
            {
              reader: 'whatsapp-zip',
              file,
              sha256: input.sha256,
              entry,
              open: async () => archive.read(entry, limits.maxChatBytes),
              // The zip's name names the chat it was exported for; another chat text is named by its own entry.
              nameSources: entry === main ? [file, name] : [name, file],
              fallbackName: entry === main ? fileStem(file) : `${fileStem(file)} (${entry})`,
              resolveMedia: (mention) => media.resolve(mention),
              resolveMediaNow: (mention) => media.resolveNow(mention),
              warnings: first ? containerWarnings : [],
              ...(entry === main ? {} : { chatTag: `e${archive.indexes.get(entry)}` }),
              omitExport: !first,
            },
            options,
          );
        }
        if (chats.length === 0) {
          throw new InputError(
            file,
            texts.length === 0
              ? 'the archive holds no .txt chat text'
              : `the archive holds ${texts.length === 1 ? 'a .txt that does not' : 'several .txt files and none'} read${texts.length === 1 ? 's' : ''} as a WhatsApp chat: ${texts.slice(0, 5).join(', ')}`,
            {},
            'a WhatsApp export zip contains _chat.txt or "WhatsApp Chat with X.txt"; pass the .txt itself if you extracted it',
          );
        }
        for (const w of media.warnings) yield warningEvent(w);
        for (const w of notRead) yield warningEvent(w);
        if (chats.length > 1) {
          yield warningEvent({
            file,
            code: 'zip-several-chats',
            message:
              `the archive holds ${chats.length} chat texts, each read as a chat of its own: ${chats.map((c) => JSON.stringify(c)).join(', ')}; ` +
              'a WhatsApp export holds one, so the archive was put together or altered after the export',
          });
        }
      } finally {
        archive.close();
      }
    },
  };
}

export const whatsappZipReader: Reader = createWhatsappZipReader();
