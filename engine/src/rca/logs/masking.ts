/**
 * Variable masking before template mining: values that are obviously variables (numbers, addresses, ids) are
 * replaced by `<*>` so lines differing only in them land in one template. The rules are generic on purpose, the same
 * for every system; configuration may prepend extra rules but the defaults are never tuned per log source.
 */

export interface MaskRule {
  pattern: RegExp;
  replacement: string;
  /** Cheap pre-checks: the rule is skipped unless the line contains a digit / every listed substring. */
  needsDigit?: boolean;
  needs?: string[];
}

export const WILDCARD = '<*>';

/** Order matters: specific shapes (UUIDs, IPs, URLs) before the general number rule eats their parts. */
export const DEFAULT_MASKS: MaskRule[] = [
  // UUIDs
  {
    pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    replacement: WILDCARD,
    needs: ['-'],
  },
  // URLs
  { pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s,;'"()<>]+/gi, replacement: WILDCARD, needs: ['://'] },
  // IPv4 with optional port
  {
    pattern: /(?<![\w.])\/?\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\w.])/g,
    replacement: WILDCARD,
    needsDigit: true,
    needs: ['.'],
  },
  // host:port
  {
    pattern: /(?<=[\s=(]|^)[a-zA-Z][\w.-]*\.[a-zA-Z][\w-]*:\d{2,5}\b/g,
    replacement: WILDCARD,
    needsDigit: true,
    needs: [':', '.'],
  },
  // hexadecimal 0x... and long hex ids
  { pattern: /\b0[xX][0-9a-fA-F]+\b/g, replacement: WILDCARD, needsDigit: true },
  {
    pattern: /\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g,
    replacement: WILDCARD,
    needsDigit: true,
  },
  // absolute file paths with at least two segments
  { pattern: /(?<=[\s=:([]|^)(?:\/[\w.@~+-]+){2,}\/?/g, replacement: WILDCARD, needs: ['/'] },
  // dates and times (2024-01-02, 12:34:56.789)
  {
    pattern: /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g,
    replacement: WILDCARD,
    needsDigit: true,
    needs: ['-'],
  },
  { pattern: /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, replacement: WILDCARD, needsDigit: true, needs: [':'] },
  // dates written with names (`Sun Jul 10 03:55:21 2005`, `Jul 10 2005`): after the time rule, so the time is `<*>`.
  // Without it a month or weekday name is a word that differs between lines of one event, and with collapsing the
  // date's parts no longer line up (measured with the defaults, without this rule: Linux GA 0.691 -> 0.236).
  {
    pattern:
      /\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]* )?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +\d{1,2}(?: <\*>)?(?: \d{4})?\b/g,
    replacement: WILDCARD,
    needsDigit: true,
  },
  // identifiers made of a word prefix and digits joined by _ or - (blk_-123, job_1445_0001, attempt_1_m_2)
  {
    pattern: /\b[a-zA-Z]+(?:[_-]+-?\d+)+(?:[_-]+[a-zA-Z]+(?:[_-]+\d+)+)*\b/g,
    replacement: WILDCARD,
    needsDigit: true,
  },
  // numbers, signed or with units glued on (12, -3, 4.5, 100ms, 2GB, 8%)
  {
    pattern: /(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[a-zA-Z%]{1,3})?(?![\w.])/g,
    replacement: WILDCARD,
    needsDigit: true,
  },
];

/**
 * A number followed by a unit as its own word (`1.16 KB`, `3 sec`, `12 bytes`): one value, so one `<*>`. Without it
 * the unit stays a token and the same event gets a different template wherever a writer prints a size with or
 * without its unit (Proxifier's `1190 bytes (1.16 KB) sent`; with the other defaults, off: Proxifier GA 1.000 ->
 * 0.526, Spark 0.999 -> 0.924).
 */
export const UNIT_MASK: MaskRule = {
  pattern:
    /(?<![\w.])[-+]?\d+(?:\.\d+)? (?:[KMGTPE]i?B|B|bytes?|[mun]?s|secs?|seconds?|mins?|minutes?|hours?|days?)(?![\w.])/g,
  replacement: WILDCARD,
  needsDigit: true,
  needs: [' '],
};

export interface MaskProfile {
  /** Mask `<number> <unit>` as one value. */
  units?: boolean;
}

/** The optional rules on by default (chosen by leave-one-system-out; see bench/log-parsing.bench.ts). */
export const DEFAULT_MASK_PROFILE: MaskProfile = { units: true };

export function compileMasks(
  extra: Array<{ pattern: string; replacement: string }> = [],
  profile: MaskProfile = DEFAULT_MASK_PROFILE,
): MaskRule[] {
  const optional = profile.units ? [UNIT_MASK] : [];
  // Optional rules go just before the generic number rule (the last default), after the specific shapes.
  const generic = DEFAULT_MASKS.slice(0, -1);
  const numbers = DEFAULT_MASKS[DEFAULT_MASKS.length - 1]!;
  return [
    ...extra.map((m) => ({ pattern: new RegExp(m.pattern, 'g'), replacement: m.replacement })),
    ...generic,
    ...optional,
    numbers,
  ];
}

const DIGIT = /\d/;

export function applyMasks(line: string, rules: MaskRule[]): string {
  let out = line;
  for (const rule of rules) {
    // Masks only ever remove digits and separators, so a check that fails on the current text stays failed.
    if (rule.needsDigit && !DIGIT.test(out)) continue;
    if (rule.needs && !rule.needs.every((n) => out.includes(n))) continue;
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replacement);
  }
  return out;
}
