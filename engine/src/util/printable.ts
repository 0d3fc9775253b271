// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_BUT_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escapeChar = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Text the engine (or anything that fed it: alert labels, annotations, names) sent, made safe to print on a terminal:
 * control characters (ESC sequences that clear the screen or recolour it, CR, newlines) and bidirectional overrides
 * are shown escaped (`\x1b`), so a label cannot rewrite what the terminal shows. For one field of a line; also every
 * field name the engine echoes in an error, since a label name arrives as sent.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/** As `printable`, but keeping newlines and tabs: for whole rendered blocks, where the CLI itself puts them. */
export function printableBlock(text: string): string {
  return text.replace(UNPRINTABLE_BUT_LINES, escapeChar);
}
