// What test/phone-lib-builds.test.ts asks each build of libphonenumber-js (in its own process and in
// a child): the numbers of each line, and each line's start read as one number, under four regions.
import type { extractPhones, normalizePhone } from '../src/phone/index.js';

const REGIONS = ['RU', 'DE', 'US', null] as const;

export function readAll(lines: readonly string[], extract: typeof extractPhones, normalize: typeof normalizePhone): unknown[] {
  return lines.flatMap((line) => REGIONS.map((region) => [extract(line, { region }), normalize(line.slice(0, 40), { region })]));
}
