// WhatsApp "Export chat" text (.txt), Android or iOS, in any locale. Attachments named in the
// text are looked up in the folder of the .txt.
import { closeSync, openSync, readSync } from 'node:fs';
import type { Reader } from '../reader.js';
import { CHUNK_BYTES, decodeHead } from './lines.js';
import { readChatText } from './chat-reader.js';
import { fileStem } from './chat-name.js';
import { FolderMedia } from '../kit/folder-media.js';
import { looksLikeChatText } from './sniff.js';
import { WHATSAPP, WHATSAPP_CAPABILITIES, WHATSAPP_READS, whatsappMessageId } from './platform.js';

/**
 * The file in chunks of CHUNK_BYTES, read with blocking reads: a chunk takes far less time to read
 * than to parse, and each asynchronous read would wait for a thread-pool round trip besides.
 */
async function* readChunks(path: string): AsyncGenerator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) return;
      yield n === CHUNK_BYTES ? chunk : chunk.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

export const whatsappTxtReader: Reader = {
  name: 'whatsapp-txt',
  platform: WHATSAPP,
  // A .txt is often dropped among other evidence: files beside it stay evidence of their own.
  folderMarker: null,
  // Chat ids are made from the export's hash: two exports of one chat are matched by their messages.
  stableChatIds: false,
  messageId: whatsappMessageId,
  capabilities: WHATSAPP_CAPABILITIES,
  reads: WHATSAPP_READS,
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
        open: async () => readChunks(input.absPath),
        nameSources: [input.displayPath],
        fallbackName: fileStem(input.displayPath),
        resolveMedia: (mention) => media.resolve(mention),
        resolveMediaNow: (mention) => media.resolveNow(mention),
      },
      options,
    );
  },
};
