// libphonenumber-js (max metadata), loaded on the first call rather than when threatlens starts:
// its metadata is the largest thing the phone code needs, and `--help` or a usage error needs none
// of it. The phone modules import these functions from here instead of from the package; each is
// the package's own function, called through one lookup.
//
// The package ships the same source built twice: for old engines (CommonJS, with a helper call for
// every object spread, class and loop) and for current ones (`libphonenumber-js/max/es6`), which
// finds the numbers of a text about a sixth faster. Code that knows it will read numbers loads the
// modern build ahead (loadPhoneLibrary: an ES module loads only asynchronously); a first call
// before that loads the CommonJS one at once. Both give the same answers.
import { createRequire } from 'node:module';
import type * as Lib from 'libphonenumber-js/max';

export type { CountryCode, PhoneNumber, PhoneNumberType } from 'libphonenumber-js/max';

let lib: typeof Lib | null = null;
let build: 'modern' | 'commonjs' | null = null;
const load = (): typeof Lib => {
  if (lib === null) {
    lib = createRequire(import.meta.url)('libphonenumber-js/max') as typeof Lib;
    build = 'commonjs';
  }
  return lib;
};

/** Which build of the library this thread has loaded, if any. */
export function phoneLibraryBuild(): 'modern' | 'commonjs' | null {
  return build;
}

/**
 * Loads the library now, its modern build, rather than on the first call (the phone thread as it
 * starts, ingest before it reads, a reader once a sender looks like a number). Nothing when a build
 * is loaded already; should the modern one fail to load, the CommonJS one is loaded instead.
 */
export async function loadPhoneLibrary(): Promise<void> {
  if (lib !== null) return;
  try {
    const modern = (await import('libphonenumber-js/max/es6')) as unknown as typeof Lib;
    if (lib === null) {
      lib = modern;
      build = 'modern';
    }
  } catch {
    load();
  }
}

export const getCountries: typeof Lib.getCountries = () => load().getCountries();
export const getCountryCallingCode: typeof Lib.getCountryCallingCode = (country) => load().getCountryCallingCode(country);
export const isSupportedCountry: typeof Lib.isSupportedCountry = (country) => load().isSupportedCountry(country);
export const findPhoneNumbersInText = ((...args: unknown[]) =>
  (load().findPhoneNumbersInText as (...a: unknown[]) => unknown)(...args)) as typeof Lib.findPhoneNumbersInText;
export const searchPhoneNumbersInText = ((...args: unknown[]) =>
  (load().searchPhoneNumbersInText as (...a: unknown[]) => unknown)(...args)) as typeof Lib.searchPhoneNumbersInText;
export const parsePhoneNumberFromString = ((...args: unknown[]) =>
  (load().parsePhoneNumberFromString as (...a: unknown[]) => unknown)(...args)) as typeof Lib.parsePhoneNumberFromString;
export const validatePhoneNumberLength = ((...args: unknown[]) =>
  (load().validatePhoneNumberLength as (...a: unknown[]) => unknown)(...args)) as typeof Lib.validatePhoneNumberLength;
