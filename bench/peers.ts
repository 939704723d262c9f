// The peers of the end-to-end benchmark, each run as a process of its own: parse-only time of the
// same file, no store, no phones, no hashing. Prints the number of messages read.
//   node dist/bench/peers.js json FILE   readFileSync + JSON.parse of a Telegram single-chat export
//   node dist/bench/peers.js wcp FILE    whatsapp-chat-parser's parseString of a WhatsApp .txt
import { readFileSync } from 'node:fs';

const [kind, file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: peers.js json|wcp FILE');
if (kind === 'json') {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { messages: unknown[] };
  console.log(doc.messages.length);
} else if (kind === 'wcp') {
  const { parseString } = await import('whatsapp-chat-parser');
  console.log(parseString(readFileSync(file, 'utf8')).length);
} else {
  throw new Error(`unknown peer ${kind}`);
}
