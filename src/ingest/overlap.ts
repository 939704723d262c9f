// The same chat exported twice: victims re-export a chat as a case goes on, or hand over both the
// .txt and the .zip of one export. Each message is kept once, with every source that holds it.
//
// When two chats are one: the same victim and platform, and
// - both read by a reader with stable chat ids (Telegram JSON): the same chat id; every message with
//   the same message id is the same message;
// - otherwise (WhatsApp, whose exports carry no ids; Telegram HTML, which names no chat; HTML beside
//   JSON): the messages themselves. A copy is a message with the same minute, sender identity, kind
//   and text, or, where both give the platform's message id, the same id with the same minute and
//   text (a service line: the same id; HTML gives its lines no time, and words them otherwise); the
//   n-th copy of a repeated message matches the n-th. The chats are one when copies make up at
//   least half of the smaller of the two (and at least three messages, or all of a smaller chat):
//   two different chats of one victim do not share half their messages to the minute. The .txt and
//   .zip of one export share all of them, and so do the JSON and HTML exports of one chat.
// Decided inside the new export's transaction, before its phone numbers are read.
import type { CaseHandle } from '../store/case.js';
import { compareChats, exportChats, hasEarlierMessages, mergeCopies, type RowRange } from '../store/overlap.js';
import type { Platform } from '../model.js';
import type { Reader } from '../readers/reader.js';
import { READERS } from '../readers/registry.js';

/** Share of the smaller chat that copies must make up for two WhatsApp chats to be one. */
export const MIN_SHARED_SHARE = 0.5;
/** Copies needed at least (unless the smaller chat is smaller still and all copied). */
export const MIN_SHARED = 3;


/** What one chat of a new export shared with a chat already in the case. */
export interface Overlap {
  /** The chat id the case keeps, and the earliest export that holds it. */
  chatId: string;
  chatName: string;
  firstPath: string;
  /** Messages of the new export already in the case (kept once, with the new source added). */
  shared: number;
  /** Messages of the new export's chat that were new. */
  fresh: number;
}

/** True when two WhatsApp chats of `a` and `b` messages sharing `shared` copies are one chat. */
export function isSameChat(shared: number, a: number, b: number): boolean {
  const smaller = Math.min(a, b);
  if (shared === 0) return false;
  if (shared < Math.min(MIN_SHARED, smaller)) return false;
  return shared >= MIN_SHARED_SHARE * smaller;
}

/**
 * Finds the chats of a new export (already written, not committed) that an earlier export of the
 * same victim holds, and keeps each shared message once. Returns what overlapped.
 */
export function mergeOverlaps(handle: CaseHandle, exportId: number, rows: RowRange | null, victim: string, platform: Platform, reader: Reader): Overlap[] {
  const out: Overlap[] = [];
  if (rows === null || !hasEarlierMessages(handle, victim, platform, rows.first)) return out;
  const stableReader = (name: string): boolean => READERS.find((r) => r.name === name)?.stableChatIds ?? false;
  for (const chat of exportChats(handle, rows)) {
    const candidates = compareChats(handle, exportId, rows, chat.chatId, victim, platform, reader.stableChatIds, stableReader);
    // Chats known by their ids are one by their ids; others by the share of copies.
    const best = candidates.find((c) => (c.byId ? c.pairs.length > 0 : isSameChat(c.pairs.length, chat.messages, c.held)));
    if (best === undefined) continue;
    mergeCopies(handle, exportId, rows, chat.chatId, best, best.pairs);
    out.push({
      chatId: best.chatId,
      chatName: best.chatName,
      firstPath: best.firstPath,
      shared: best.pairs.length,
      fresh: chat.messages - best.pairs.length,
    });
  }
  return out;
}
