// Phone numbers in text the investigator typed or piped in (`phones TEXT`), no case needed.
import { readTypedText, type PhoneMatch } from '../phone/index.js';

/** A number found in free text (the pipeline filter), with where it was found. */
export interface FoundPhone {
  match: PhoneMatch;
  /** 1-based line and UTF-16 column in the input. */
  line: number;
  column: number;
}

export interface TextReading {
  found: FoundPhone[];
  /** Numbers written without + that were not read because no region was given. */
  unreadNational: number;
}

/**
 * Every number in `text`, one item per occurrence, with its line and column. A line that is
 * nothing but a number-shaped run that is not a valid number reports it too, with valid: false and
 * the reason (see readTypedText).
 */
export function phonesInText(text: string, region: string | null): TextReading {
  const found: FoundPhone[] = [];
  let unreadNational = 0;
  let line = 0;
  for (const lineText of text.split(/\r?\n/)) {
    line++;
    const reading = readTypedText(lineText, { region, reportInvalid: true });
    unreadNational += reading.unreadNational;
    for (const match of reading.matches) found.push({ match, line, column: match.start + 1 });
  }
  return { found, unreadNational };
}
