// The same chat exported twice: victims re-export a chat as a case goes on, or hand over both the
// .txt and the .zip of one export. Each message is kept once, with every source that holds it.
//
// When two chats are one: the same victim and platform, and
// - a platform with stable chat ids (Telegram): the same chat id; every message with the same
//   message id is the same message;
// - WhatsApp, whose exports carry no ids: the messages themselves. A copy is a message with the
//   same minute, sender identity, kind and text (the n-th copy of a repeated message matching the
//   n-th). The chats are one when copies make up at least half of the smaller of the two (and at
//   least three messages, or all of a smaller chat): two different chats of one victim do not share
//   half their messages to the minute. The .txt and .zip of one export share all of them.
// Decided inside the new export's transaction, before its phone numbers are read.
import type { CaseHandle } from '../store/case.js';
import { compareChats, exportChats, mergeCopies, type RowRange } from '../store/overlap.js';
import type { Platform } from '../model.js';
import { platformInfo } from '../readers/registry.js';

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
export function mergeOverlaps(handle: CaseHandle, exportId: number, rows: RowRange | null, victim: string, platform: Platform): Overlap[] {
  const out: Overlap[] = [];
  if (rows === null) return out;
  // Platforms whose chat ids are the same in every export of a chat (Telegram) match by message id.
  const stable = platformInfo(platform).stableChatIds;
  for (const chat of exportChats(handle, rows)) {
    const candidates = compareChats(handle, exportId, rows, chat.chatId, victim, platform, stable);
    const best = candidates.find((c) => (stable ? c.pairs.length > 0 : isSameChat(c.pairs.length, chat.messages, c.held)));
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
