// DiscordChatExporter's JSON export of one channel or DM (`--format Json`): `guild`, `channel`,
// `dateRange`, `exportedAt`, then `messages` (streamed one at a time with the kit's JSON scanner:
// channels run to millions of messages) and `messageCount`. Each message: `id` (a snowflake
// string, beyond 2^53: never a number here), `type` (Default, Reply, GuildMemberJoin,
// ChannelPinnedMessage, Call…), `timestamp` and `timestampEdited` (ISO 8601 with the exporter's
// offset, or UTC with --utc), `content`, `author` {id, name, discriminator ("0000" for new-style
// names), nickname (the server's), isBot}, `attachments` [{id, url, fileName, fileSizeBytes}]
// (`url` a CDN address, or a path beside the JSON when exported with --media), `reference`
// {messageId} for replies.
// Authors are known by their user id (`discord:<id>`); the name shown is the server nickname, else
// the user name.
import type { MediaRef, MessageKind, ParsedMessage, ReaderEvent, TimeInfo } from '../../model.js';
import { InputError } from '../../util/errors.js';
import { isoUtc } from '../../util/time.js';
import { formatPath, JsonScanError, scanJsonFile, type JsonPath, type ScanAction } from '../kit/json-scanner.js';
import { pumpOfBatches, PumpedEvents } from '../kit/events.js';
import { isObject, str } from '../kit/json-values.js';
import { mediaKindOfName } from '../kit/media.js';
import { TreeMedia } from '../kit/tree-media.js';
import type { InputFile, ReadOptions, Reader } from '../reader.js';
import { DISCORD, discordMessageId } from './platform.js';

const CHANNEL_TYPES = /"type"\s*:\s*"(?:GuildTextChat|GuildVoiceChat|GuildCategory|GuildNewsChat|GuildNewsThread|GuildPublicThread|GuildPrivateThread|GuildForum|GuildStageVoice|GuildDirectory|DirectTextChat|DirectGroupTextChat)"/;

function sniff(head: Buffer): boolean {
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  return /^\{\s*"guild"\s*:\s*\{/.test(text) && /"channel"\s*:\s*\{/.test(text) && CHANNEL_TYPES.test(text);
}

function select(path: JsonPath): ScanAction {
  if (path.length === 0) return 'descend';
  if (path.length === 1) return path[0] === 'messages' ? 'descend' : path[0] === 'guild' || path[0] === 'channel' ? 'value' : 'skip';
  if (path.length === 2 && path[0] === 'messages') return 'value';
  return 'skip';
}

type Json = Record<string, unknown>;

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 instant as DCE writes it (`2023-05-02T13:15:00.123+03:00`). */
function timeOf(value: unknown): TimeInfo | null {
  const text = str(value);
  const m = text === null ? null : ISO.exec(text);
  if (m === null) return null;
  const ms = Date.parse(text!);
  if (Number.isNaN(ms)) return null;
  return { utc: isoUtc(ms), local: m[3] === 'Z' ? null : m[1]!, basis: 'instant', zone: m[3] === 'Z' ? null : m[3]! };
}

const SERVICE_TYPES = new Set(['RecipientAdd', 'RecipientRemove', 'ChannelNameChange', 'ChannelIconChange', 'ChannelPinnedMessage', 'GuildMemberJoin', 'ThreadCreated', 'ThreadStarterMessage']);

class DceRead {
  private readonly media: TreeMedia;
  private chatId = '';
  private chatName = '';
  private guild: Json | null = null;
  private opened = false;
  private readonly warnings: ReaderEvent[] = [];

  constructor(
    private readonly input: InputFile,
    private readonly options: ReadOptions,
  ) {
    this.media = new TreeMedia(input.absPath, input.displayPath);
  }

  async *batches(): AsyncGenerator<ReaderEvent[], void, undefined> {
    let out: ReaderEvent[] = [];
    try {
      for await (const ev of scanJsonFile(this.input, { select, progress: this.options.progress })) {
        if (ev.kind !== 'value') continue;
        if (ev.path.length === 1 && ev.path[0] === 'guild') this.guild = isObject(ev.value) ? ev.value : null;
        else if (ev.path.length === 1 && ev.path[0] === 'channel') out.push(...this.open(ev.value, ev.offset));
        else if (ev.path[0] === 'messages') {
          if (!this.opened) throw new InputError(this.input.displayPath, 'messages come before "channel" (not a DiscordChatExporter export)', { offset: ev.offset });
          out.push(...(await this.message(ev.value, ev.offset, ev.length)));
          out.push(...this.warnings.splice(0));
          if (out.length >= 256) {
            yield out;
            out = [];
          }
        }
      }
    } catch (error) {
      if (!(error instanceof JsonScanError)) throw error;
      const where = error.path.length === 0 ? 'the top-level object' : formatPath(error.path);
      throw new InputError(
        this.input.displayPath,
        error.eof ? `unexpected end of file inside ${where}` : `invalid JSON in ${where}: expected ${error.expected}${error.found !== null ? `, found ${error.found}` : ''}`,
        { offset: error.offset },
        'the file is damaged or was cut short; export the channel again or use an intact copy',
      );
    }
    if (!this.opened) throw new InputError(this.input.displayPath, 'no "channel" object (not a DiscordChatExporter export)');
    if (out.length > 0) yield out;
  }

  private open(channel: unknown, offset: number): ReaderEvent[] {
    if (!isObject(channel) || str(channel.id) === null) throw new InputError(this.input.displayPath, '"channel" has no id (ids are strings in DiscordChatExporter exports)', { offset });
    this.opened = true;
    this.chatId = `discord:${str(channel.id)}`;
    const guildName = this.guild === null ? null : str(this.guild.name);
    const name = str(channel.name) ?? str(channel.id)!;
    this.chatName = guildName !== null && guildName !== 'Direct Messages' ? `${guildName} / ${name}` : name;
    return [
      { type: 'export', info: { platform: 'discord', reader: 'discord-dce-json', ownerKey: null, ownerName: null, ownerPhoneRaw: null, facts: guildName === null ? {} : { guild: guildName } } },
      { type: 'chat', chat: { id: this.chatId, name: this.chatName, platform: 'discord', type: str(channel.type) ?? 'unknown' } },
    ];
  }

  private async message(raw: unknown, offset: number, length: number): Promise<ReaderEvent[]> {
    const file = this.input.displayPath;
    if (!isObject(raw) || str(raw.id) === null) {
      return [{ type: 'warning', warning: { file, offset, code: 'discord-message', message: 'a message without a string id was left out (snowflakes are strings: a number loses digits)' } }];
    }
    const id = str(raw.id)!;
    const author = isObject(raw.author) ? raw.author : null;
    const authorId = author === null ? null : str(author.id);
    const userName = author === null ? null : str(author.name);
    const discriminator = author === null ? null : str(author.discriminator);
    const nickname = author === null ? null : str(author.nickname);
    const type = str(raw.type) ?? 'Default';
    const time = timeOf(raw.timestamp) ?? { utc: null, local: null, basis: 'instant' as const, zone: null };
    if (time.utc === null) this.warnings.push({ type: 'warning', warning: { file, offset, code: 'discord-time', message: `message ${id} has no readable timestamp; it is kept without a time` } });
    const edited = timeOf(raw.timestampEdited);
    const media: MediaRef[] = [];
    for (const a of Array.isArray(raw.attachments) ? raw.attachments : []) {
      if (!isObject(a)) continue;
      const name = str(a.fileName) ?? '';
      const url = str(a.url) ?? '';
      const size = typeof a.fileSizeBytes === 'number' ? a.fileSizeBytes : null;
      const kind = mediaKindOfName(name);
      if (url === '' || /^https?:\/\//i.test(url)) {
        // Exported without --media: the file stayed on Discord's servers.
        media.push({ kind, name, path: null, sha256: null, size, missing: 'not-included', mime: null });
        continue;
      }
      let relative = url;
      try {
        relative = decodeURIComponent(url);
      } catch {
        // a `%` that is not an escape: the path as written
      }
      const resolved = await this.media.resolve({ kind, value: relative, fileName: name, declaredSize: size, mime: null });
      if (resolved.problem !== null) this.warnings.push({ type: 'warning', warning: { file, offset, code: resolved.problem.code, message: resolved.problem.message } });
      media.push(resolved.media);
    }
    const kind: MessageKind = type === 'Call' ? 'call' : SERVICE_TYPES.has(type) ? 'service' : media.length > 0 ? 'media' : 'text';
    const reference = isObject(raw.reference) ? str(raw.reference.messageId) : null;
    const shownName = nickname ?? userName ?? '';
    const message: ParsedMessage = {
      platform: 'discord',
      kind,
      chat: { id: this.chatId, name: this.chatName },
      sender:
        authorId === null
          ? null
          : {
              key: `discord:${authorId}`,
              name: shownName,
              raw: userName === null ? null : discriminator !== null && discriminator !== '0000' && discriminator !== '0' ? `${userName}#${discriminator}` : userName,
              phone: null,
            },
      outgoing: null,
      time,
      edited: edited !== null,
      editedAt: edited?.utc ?? null,
      text: str(raw.content) ?? '',
      markedPhones: [],
      links: [],
      media,
      forwarded: false,
      forwardedFrom: null,
      replyTo: reference,
      action: kind === 'service' ? type : null,
      location: null,
      contact: null,
      source: { file, sha256: this.input.sha256, offset, length, messageId: id },
    };
    return [{ type: 'message', message }];
  }
}

export const discordDceJsonReader: Reader = {
  name: 'discord-dce-json',
  platform: DISCORD,
  folderMarker: null,
  // Channel and message ids are Discord's: a channel exported twice is recognised by them.
  stableChatIds: true,
  messageId: discordMessageId,
  capabilities: { accountIds: true, phones: false, zones: true, media: true, forwards: false },
  reads: 'Discord exports (DiscordChatExporter JSON and CSV)',
  description: 'DiscordChatExporter JSON export of a channel or DM: user ids (snowflakes), nicknames, attachments',
  sniff,
  read(input: InputFile, options: ReadOptions): AsyncGenerator<ReaderEvent> {
    return new PumpedEvents(pumpOfBatches(new DceRead(input, options).batches()));
  },
};
