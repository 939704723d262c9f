// One page of a Telegram Desktop HTML export (`messages.html`, `messages2.html`…), as tdesktop's
// HTML writer (export_output_html.cpp) lays it out, read with htmlparser2 as it streams in:
// - the chat's name in `div.page_header div.text.bold`; links to the previous and next page
//   (`a.pagination`) before and after the messages;
// - a message is `div.message.default#message<ID>`: `div.pull_right.date.details[title]` (the time,
//   `dd.MM.yyyy HH:mm:ss` with ` UTC+03:00` since v3.7.6), `div.from_name`, then a reply
//   (`div.reply_to` linking to `#go_to_message<ID>`), a forward (`div.forwarded.body` with the
//   original author's `div.from_name`), media (`div.media_wrap`), `div.text`;
// - a follow-up message of the same sender carries the `joined` class and no `from_name`: the reader
//   carries the sender forward;
// - service lines are `div.message.service` with the text in `div.body.details`; day separators are
//   service lines with negative ids (`message-1`), not messages.
// The writer puts every tag on a line of its own and text at column 0, and writes a newline in a text
// as `<br>`: a raw newline in a text is layout, not content.
import { Parser } from 'htmlparser2';
import type { MediaKind } from '../../model.js';

/** An attachment block of a message as the page writes it. */
export interface HtmlMedia {
  kind: MediaKind | 'contact' | 'location' | 'call' | 'poll';
  /** The link to the file, relative to the page's folder; null when the export left the file out. */
  href: string | null;
  /** `div.title.bold` (a file name, `Photo`, `Voice message`, a contact's name…). */
  title: string | null;
  /** `div.description`: why the file was left out, or a venue's address. */
  description: string | null;
  /** `div.status.details`: size, duration, a contact's phone, a location's coordinates. */
  status: string | null;
}

/** A message block of a page, as written (nothing decided yet but what the markup says). */
export interface HtmlRecord {
  /** The number after `message` in its id (may be negative: migrated messages). */
  id: string;
  /** 1-based line of the message's opening tag. */
  line: number;
  service: boolean;
  /** `joined`: no from_name; the sender is the previous message's. */
  joined: boolean;
  /** The date div's title (`20.01.2022 18:16:05 UTC+03:00`); null when missing. */
  date: string | null;
  /** `div.from_name` without layout, as written (tdesktop leaves a space after a name without last name). */
  fromName: string | null;
  forwarded: boolean;
  /** The original author's name in a forward, as written. */
  forwardedFrom: string | null;
  /** The id of the message replied to (`#go_to_message123`, or on another page), or a service line's (pinned). */
  replyTo: string | null;
  /** The text (or a service line's), `<br>` as newlines. */
  text: string;
  /** Links of the text whose target is not the text shown (a hidden href). */
  links: { text: string; href: string }[];
  /** Numbers the text marks as phone numbers (`tel:` links), as written. */
  phones: string[];
  media: HtmlMedia[];
  /** A poll's question and answers (`div.media_poll`), as written. */
  poll: { question: string; answers: string[] } | null;
}

type Role =
  | 'message'
  | 'from'
  | 'forward'
  | 'forward-date'
  | 'reply'
  | 'text'
  | 'link'
  | 'service-body'
  | 'media'
  | 'media-title'
  | 'media-description'
  | 'media-status'
  | 'poll-question'
  | 'poll-answer'
  | 'header'
  | 'header-name'
  | 'pagination'
  | 'ignore';

interface Frame {
  tag: string;
  role: Role | null;
}

/** Classes of the media blocks that hold a file or stand for one, by their kind. */
const MEDIA_CLASSES: [string, HtmlMedia['kind']][] = [
  ['photo_wrap', 'photo'],
  ['sticker_wrap', 'sticker'],
  ['animated_wrap', 'animation'],
  ['video_file_wrap', 'video'],
  ['media_photo', 'photo'],
  ['media_voice_message', 'voice'],
  ['media_audio_file', 'audio'],
  ['media_file', 'document'],
  ['media_contact', 'contact'],
  ['media_location', 'location'],
  ['media_live_location', 'location'],
  ['media_venue', 'location'],
  ['media_call', 'call'],
  ['media_poll', 'poll'],
  ['media_video', 'video'],
];

const NO_CLASSES: ReadonlySet<string> = new Set();

/** The classes of a tag's `class` attribute. */
function classesOf(cls: string): ReadonlySet<string> {
  return cls === '' ? NO_CLASSES : new Set(cls.split(/\s+/));
}

function mediaKindOf(classes: ReadonlySet<string>): HtmlMedia['kind'] | null {
  for (const [name, kind] of MEDIA_CLASSES) if (classes.has(name)) return kind;
  return classes.has('media') ? 'other' : null;
}

/** The text of an element without the writer's layout: the newline after the opening tag, and the newline and indentation before the closing one. */
export function withoutLayout(raw: string): string {
  return raw.replace(/^\n/, '').replace(/\n *$/, '');
}

/** The message id a reply link points to (`#go_to_message123`, `messages2.html#go_to_message123`). */
function replyTarget(href: string): string | null {
  const m = /#go_to_message(-?\d+)$/.exec(href);
  return m === null ? null : m[1]!;
}

/**
 * Reads a page as it streams in (write() its text in pieces, then end()); the messages complete so
 * far are taken with take(). `records` of a page hold only what its markup says.
 */
export class HtmlPageParser {
  /** The chat's name in the page header, without layout; null until read. */
  chatName: string | null = null;
  /** The href of the link to the next page, if any. */
  nextPage: string | null = null;
  /** The page's own `</html>` was read: tdesktop closes every page, so a page without it was cut short. */
  complete = false;
  /** Whether a message came before the first pagination link (a first page has none before its messages). */
  private messagesSeen = false;
  private readonly parser: Parser;
  private readonly stack: Frame[] = [];
  private current: HtmlRecord | null = null;
  private readonly done: HtmlRecord[] = [];
  /** Text gathered for the innermost capturing element. */
  private buffer = '';
  private linkHref: string | null = null;
  private linkText = '';
  private mediaOpen: HtmlMedia | null = null;
  private paginationHref: string | null = null;
  private paginationText = '';
  /** Global index of each line start, for line numbers (grows as text comes in). */
  private readonly lineStarts: number[] = [0];
  private fed = 0;

  constructor() {
    this.parser = new Parser(
      {
        onopentag: (name, attrs) => this.open(name, attrs),
        ontext: (text) => this.text(text),
        onclosetag: (name, implied) => {
          if (name === 'html' && !implied) this.complete = true;
          this.close(name);
        },
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
  }

  write(text: string): void {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(this.fed + i + 1);
    this.fed += text.length;
    this.parser.write(text);
  }

  end(): void {
    this.parser.end();
  }

  /** The messages completed since the last take(). */
  take(): HtmlRecord[] {
    return this.done.splice(0);
  }

  private lineOf(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private within(role: Role): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.role === role) return true;
    return false;
  }

  /** The innermost role that gathers text (links gather into their text element too). */
  private capturing(): Role | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const role = this.stack[i]!.role;
      if (role === null || role === 'link' || role === 'message' || role === 'media' || role === 'header') continue;
      return role;
    }
    return null;
  }

  private open(tag: string, attrs: Record<string, string>): void {
    const classes = classesOf(attrs.class ?? '');
    let role: Role | null = null;
    const msg = this.current;
    if (tag === 'br') {
      if (msg !== null && (this.capturing() === 'text' || this.capturing() === 'service-body')) {
        this.buffer += '\n';
        if (this.linkHref !== null) this.linkText += '\n';
      }
      return; // void element: no close event to pair
    }
    if (tag === 'div' && classes.has('message') && attrs.id?.startsWith('message') === true) {
      const id = attrs.id.slice('message'.length);
      const service = classes.has('service');
      if (!/^-?\d+$/.test(id) || (service && id.startsWith('-'))) role = 'ignore'; // a day separator
      else {
        role = 'message';
        this.messagesSeen = true;
        this.current = {
          id,
          line: this.lineOf(this.parser.startIndex),
          service,
          joined: classes.has('joined'),
          date: null,
          fromName: null,
          forwarded: false,
          forwardedFrom: null,
          replyTo: null,
          text: '',
          links: [],
          phones: [],
          media: [],
          poll: null,
        };
      }
    } else if (msg === null) {
      if (tag === 'div' && classes.has('page_header')) role = 'header';
      else if (tag === 'div' && classes.has('text') && this.within('header') && this.chatName === null) role = 'header-name';
      else if (tag === 'a' && classes.has('pagination')) {
        role = 'pagination';
        this.paginationHref = attrs.href ?? '';
        this.paginationText = '';
      }
    } else if (this.within('ignore')) {
      role = 'ignore';
    } else if (tag === 'div' && classes.has('date') && classes.has('details') && !this.within('forward')) {
      if (msg.date === null && attrs.title !== undefined) msg.date = attrs.title;
    } else if (tag === 'span' && classes.has('date') && this.within('from')) {
      role = 'forward-date';
    } else if (tag === 'div' && classes.has('from_name')) {
      role = 'from';
    } else if (tag === 'div' && classes.has('forwarded') && classes.has('body')) {
      role = 'forward';
      msg.forwarded = true;
    } else if (tag === 'div' && classes.has('reply_to')) {
      role = 'reply';
    } else if (tag === 'a' && this.within('reply')) {
      msg.replyTo ??= replyTarget(attrs.href ?? '');
    } else if (tag === 'div' && classes.has('body') && classes.has('details') && msg.service) {
      role = 'service-body';
    } else if (tag === 'div' && classes.has('text') && !this.within('media')) {
      role = 'text';
    } else if (tag === 'a' && (this.within('text') || this.within('service-body'))) {
      role = 'link';
      this.linkHref = attrs.href ?? '';
      this.linkText = '';
    } else if ((tag === 'a' || tag === 'div') && this.mediaOpen === null && mediaKindOf(classes) !== null && !this.within('text')) {
      role = 'media';
      this.mediaOpen = { kind: mediaKindOf(classes)!, href: tag === 'a' && attrs.href !== undefined && attrs.href !== '' ? attrs.href : null, title: null, description: null, status: null };
    } else if (this.within('media') && tag === 'div' && classes.has('question')) {
      role = 'poll-question';
    } else if (this.within('media') && tag === 'div' && classes.has('answer')) {
      role = 'poll-answer';
    } else if (this.within('poll-answer') && tag === 'span') {
      role = 'ignore'; // the votes
    } else if (this.within('media') && tag === 'div' && classes.has('title')) {
      role = 'media-title';
    } else if (this.within('media') && tag === 'div' && classes.has('description')) {
      role = 'media-description';
    } else if (this.within('media') && tag === 'div' && classes.has('status')) {
      role = 'media-status';
    } else if (
      (tag === 'div' && (classes.has('signature') || classes.has('userpic_wrap'))) ||
      (tag === 'span' && classes.has('reactions')) ||
      (tag === 'table' && classes.has('bot_buttons_table'))
    ) {
      role = 'ignore';
    }
    if (role !== null && role !== 'message' && role !== 'link' && role !== 'media' && role !== 'header' && role !== 'ignore' && role !== 'pagination' && role !== 'forward-date') {
      this.buffer = '';
    }
    this.stack.push({ tag, role });
  }

  private text(text: string): void {
    if (this.within('ignore')) return;
    if (this.within('pagination')) {
      this.paginationText += text;
      return;
    }
    const role = this.capturing();
    if (role === null || role === 'forward-date' || role === 'reply' || role === 'forward') return;
    this.buffer += text;
    if (this.linkHref !== null) this.linkText += text;
  }

  private close(tag: string): void {
    // Pop to the matching element (htmlparser2 closes implied ones itself; this is a guard).
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at]!.tag !== tag) at--;
    if (at < 0) return;
    while (this.stack.length > at + 1) this.stack.pop();
    const frame = this.stack.pop()!;
    const msg = this.current;
    switch (frame.role) {
      case 'header-name':
        this.chatName = withoutLayout(this.buffer);
        break;
      case 'pagination': {
        const label = this.paginationText.trim().toLowerCase();
        // The link before the messages goes back (a first page has none: sniffing tells them apart).
        const back = label.startsWith('previous') || (!this.messagesSeen && !label.startsWith('next'));
        if (!back) this.nextPage = this.paginationHref;
        this.paginationHref = null;
        break;
      }
      case 'from':
        if (msg === null) break;
        if (this.within('forward')) msg.forwardedFrom = withoutLayout(this.buffer).replace(/ $/, '');
        else msg.fromName = withoutLayout(this.buffer);
        break;
      case 'text':
      case 'service-body':
        if (msg !== null) msg.text = withoutLayout(this.buffer);
        break;
      case 'link': {
        const href = this.linkHref ?? '';
        const shown = this.linkText;
        this.linkHref = null;
        // A link to another message of the export (a pinned one) names it; a link whose target is the
        // text shown (a bare URL, a mention, a phone) hides nothing.
        const target = replyTarget(href);
        if (msg !== null && target !== null) msg.replyTo ??= target;
        else if (msg !== null && href.startsWith('tel:')) msg.phones.push(href.slice(4));
        else if (msg !== null && href !== '' && !shownIsTarget(shown, href)) msg.links.push({ text: shown, href });
        break;
      }
      case 'media-title':
      case 'media-description':
      case 'media-status':
        if (this.mediaOpen !== null) {
          const value = withoutLayout(this.buffer).trim();
          if (frame.role === 'media-title') this.mediaOpen.title = value;
          else if (frame.role === 'media-description') this.mediaOpen.description = value;
          else this.mediaOpen.status = value;
        }
        break;
      case 'poll-question':
        if (msg !== null) msg.poll = { question: withoutLayout(this.buffer), answers: [] };
        break;
      case 'poll-answer':
        if (msg?.poll != null) msg.poll.answers.push(withoutLayout(this.buffer).replace(/^- /, '').replace(/ $/, ''));
        break;
      case 'media':
        if (msg !== null && this.mediaOpen !== null) msg.media.push(this.mediaOpen);
        this.mediaOpen = null;
        break;
      case 'message':
        if (msg !== null) this.done.push(msg);
        this.current = null;
        break;
      default:
        break;
    }
  }
}

/** Whether a link shows its own target: a URL as written, `@name` for t.me/name, a number for tel:. */
function shownIsTarget(shown: string, href: string): boolean {
  if (shown === href) return true;
  if (href.startsWith('tel:') && href.slice(4) === shown) return true;
  if (href.startsWith('mailto:') && href.slice(7) === shown) return true;
  if (shown.startsWith('@') && /^https?:\/\/t\.me\//i.test(href) && href.replace(/^https?:\/\/t\.me\//i, '').toLowerCase() === shown.slice(1).toLowerCase()) return true;
  return false;
}
