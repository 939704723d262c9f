// A JSON document of a few fields and long lists, written piece by piece: what the evidence manifest
// and the JSON listings are. Each list item is stringified on its own as it comes, so a list of
// tens of thousands of files is never held whole, neither as objects nor as one string.
import { escapeJsonText } from './sanitize.js';

/** A list of the document: its key, and its items in order (read once, as they are written). */
export type JsonList = readonly [key: string, items: Iterable<unknown>];

/**
 * The text of `JSON.stringify({ ...head, [key]: [...items], ... }, null, 2) + '\n'` in pieces, the
 * lists after the fields of `head` (which must have at least one) in the order given, with the
 * characters escapeJsonText escapes escaped: a terminal showing the file shows what it holds.
 */
export function* prettyJsonChunks(head: Record<string, unknown>, lists: readonly JsonList[]): Generator<string> {
  const headText = escapeJsonText(JSON.stringify(head, null, 2));
  if (!headText.endsWith('\n}')) throw new Error('prettyJsonChunks needs a head with at least one field');
  let pending = headText.slice(0, -2);
  for (const [key, items] of lists) {
    pending += `,\n  ${JSON.stringify(key)}: [`;
    let first = true;
    for (const item of items) {
      const text = escapeJsonText(JSON.stringify(item, null, 2));
      yield pending + (first ? '\n' : ',\n') + text.replace(/^/gm, '    ');
      pending = '';
      first = false;
    }
    if (!first) pending += '\n  ';
    pending += ']';
  }
  yield pending + '\n}\n';
}

/** The items of `items` as `f` makes them, one at a time. */
export function* mapped<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
