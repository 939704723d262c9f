// Public API of the phone stage.
//
// Lookups (`messages --phone`, matching a sender to a number) compare E.164 strings on both sides:
// put the investigator's input through normalizePhone(input, { region }) with the case's region and
// compare `.e164` with the stored `Message.phones` / `SenderRef.phone`, which were produced by the
// same code. There is deliberately no "digit variants" helper: guessing '8…'/'7…'/10-digit forms is
// what normalizePhone already does, correctly, per region.
export type { PhoneFact } from './fact.js';
export { normalizePhone, looksLikePhone, splitExtension, type NormalizeOptions } from './normalize.js';
export { extractPhones, extractPhonesCapped, type PhoneMatch, type ExtractOptions, type CappedOptions, type CappedPhones } from './extract.js';
export { readTypedText, countUnreadNational, type TypedReading, type TypedOptions } from './typed.js';
export { inferRegion, mayHoldInternational, RegionTally, type InferredRegion } from './region.js';
export { phonesFromVCard } from './vcard.js';
export { toRegion, regionProblem, type RegionProblem } from './countries.js';
