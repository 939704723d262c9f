// DiscordChatExporter's CSV export (`--format Csv`, CsvMessageWriter.cs): the header
// `AuthorID,Author,Date,Content,Attachments,Reactions`, every cell quoted. Authors by user id
// (`discord:<id>`, the same identity as in its JSON exports), shown as `name#1234` or `name`; dates
// ISO 8601 with the exporter's offset (`2023-09-23T13:15:48.3790000+03:00`; some versions wrote a
// locale's `10/6/2023 12:37 AM` instead, which is reported by row: export as JSON). The CSV names no
// message or channel id (its maintainer calls it deprecated for automation): rows cite their line,
// and attachments are listed as links, their files not linked.
import type { ReaderEvent } from '../../model.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import { csvBatches, TableRead } from '../table/table.js';
import { tableMessageId } from '../table/platform.js';
import { DISCORD } from './platform.js';

const HEADER = 'AuthorID,Author,Date,Content,Attachments,Reactions';

export const discordDceCsvReader: Reader = {
  name: 'discord-dce-csv',
  platform: DISCORD,
  folderMarker: null,
  stableChatIds: false,
  messageId: tableMessageId,
  capabilities: { accountIds: true, phones: false, zones: true, media: false, forwards: false },
  reads: 'Discord exports (DiscordChatExporter JSON and CSV)',
  description: 'DiscordChatExporter CSV export of a channel or DM: user ids, dates with offset (no message ids)',
  sniff(head: Buffer): boolean {
    const text = head.toString('utf8').replace(/^\uFEFF/, '');
    return text.startsWith(`${HEADER}\n`) || text.startsWith(`${HEADER}\r\n`);
  },
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    const map = { senderId: 'AuthorID', sender: 'Author', time: 'Date', text: 'Content' };
    return new PumpedEvents(pumpOfBatches(csvBatches(input, new TableRead(input, options, map, 'discord-dce-csv', { platform: 'discord', accountKeyPrefix: 'discord:' }))));
  },
};
