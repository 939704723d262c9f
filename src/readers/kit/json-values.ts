// Reading values of a parsed JSON export whose shape is the exporter's, not ours: checks that say
// what a value is without throwing, for every JSON reader.

/** A JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value when it is a string, else null. */
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
