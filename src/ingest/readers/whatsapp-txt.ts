// WhatsApp "Export chat" text (.txt), Android or iOS, in any locale. Attachments named in the
// text are looked up in the folder of the .txt.
import { createReadStream } from 'node:fs';
import type { Reader } from '../reader.js';
import { CHUNK_BYTES, decodeHead } from '../whatsapp/lines.js';
import { readChatText } from '../whatsapp/chat-reader.js';
import { fileStem } from '../whatsapp/chat-name.js';
import { FolderMedia } from '../whatsapp/folder-media.js';
import { looksLikeChatText } from '../whatsapp/sniff.js';

export const whatsappTxtReader: Reader = {
  name: 'whatsapp-txt',
  platform: 'whatsapp',
  // A .txt is often dropped among other evidence: files beside it stay evidence of their own.
  ownsFolder: false,
  description: 'WhatsApp "Export chat" text (.txt), Android or iOS, any locale',
  sniff(head: Buffer): boolean {
    return looksLikeChatText(decodeHead(head));
  },
  read(input, options) {
    const media = new FolderMedia(input.absPath, input.displayPath);
    return readChatText(
      {
        reader: 'whatsapp-txt',
        file: input.displayPath,
        sha256: input.sha256,
        entry: null,
        open: async () => createReadStream(input.absPath, { flags: 'r', highWaterMark: CHUNK_BYTES }),
        nameSources: [input.displayPath],
        fallbackName: fileStem(input.displayPath),
        resolveMedia: (mention) => media.resolve(mention),
      },
      options,
    );
  },
};
