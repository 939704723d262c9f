// libphonenumber-js (max metadata), loaded on the first call rather than when threatlens starts:
// its metadata is the largest thing the phone code needs, and `--help` or a usage error needs none
// of it. The phone modules import these functions from here instead of from the package; each is
// the package's own function, called through one lookup.
import { createRequire } from 'node:module';
import type * as Lib from 'libphonenumber-js/max';

export type { CountryCode, PhoneNumber, PhoneNumberType } from 'libphonenumber-js/max';

let lib: typeof Lib | null = null;
const load = (): typeof Lib => (lib ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof Lib);

/** Loads the library now (a reader that will need it soon), rather than on the first call. */
export function loadPhoneLibrary(): void {
  load();
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
