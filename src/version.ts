import { readFileSync } from 'node:fs';

/** threatlens's own version, from package.json (recorded in every case and run manifest). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const TOOL = `threatlens ${VERSION}`;
