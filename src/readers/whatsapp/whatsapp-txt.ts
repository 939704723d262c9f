// WhatsApp "Export chat" text (.txt), Android or iOS, in any locale. Attachments named in the
// text are looked up in the folder of the .txt.
import { closeSync, openSync, readSync } from 'node:fs';
import { readLength, wholeFile, type InputFile, type Reader } from '../reader.js';
import { CHUNK_BYTES, decodeHead } from './lines.js';
import { readChatText } from './chat-reader.js';
import { fileStem } from './chat-name.js';
import { FolderMedia } from '../kit/folder-media.js';
import { looksLikeChatText } from './sniff.js';
import { WHATSAPP, WHATSAPP_CAPABILITIES, WHATSAPP_READS, whatsappMessageId } from './platform.js';

/**
 * The file in chunks of CHUNK_BYTES, read with blocking reads: a chunk takes far less time to read
 * than to parse, and each asynchronous read would wait for a thread-pool round trip besides. A chunk
 * is no bigger than what is left of the file's `size` (and a little more, should it have grown): a
 * folder of thousands of short chats allocated a MiB for each, and the garbage collector ran
 * for a third of the ingest to keep up. A file whose head is all of it is not read again.
 */
async function* readChunks(input: InputFile): AsyncGenerator<Buffer> {
  const whole = wholeFile(input);
  if (whole !== null) {
    yield whole;
    return;
  }
  const { absPath: path, size } = input;
  const fd = openSync(path, 'r');
  try {
    let position = 0;
    for (;;) {
      const want = readLength(size, position, CHUNK_BYTES);
      const chunk = Buffer.allocUnsafe(want);
      const n = readSync(fd, chunk, 0, want, null);
      if (n === 0) return;
      position += n;
      yield n === want ? chunk : chunk.subarray(0, n);
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
        open: async () => readChunks(input),
        nameSources: [input.displayPath],
        fallbackName: fileStem(input.displayPath),
        resolveMedia: (mention) => media.resolve(mention),
        resolveMediaNow: (mention) => media.resolveNow(mention),
      },
      options,
    );
  },
};
