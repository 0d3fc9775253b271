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
  { pattern: /(?<![\w.])\/?\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?![\w.])/g, replacement: WILDCARD, needsDigit: true, needs: ['.'] },
  // host:port
  { pattern: /(?<=[\s=(]|^)[a-zA-Z][\w.-]*\.[a-zA-Z][\w-]*:\d{2,5}\b/g, replacement: WILDCARD, needsDigit: true, needs: [':', '.'] },
  // hexadecimal 0x... and long hex ids
  { pattern: /\b0[xX][0-9a-fA-F]+\b/g, replacement: WILDCARD, needsDigit: true },
  { pattern: /\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b/g, replacement: WILDCARD, needsDigit: true },
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
  // identifiers made of a word prefix and digits joined by _ or - (blk_-123, job_1445_0001, attempt_1_m_2)
  { pattern: /\b[a-zA-Z]+(?:[_-]+-?\d+)+(?:[_-]+[a-zA-Z]+(?:[_-]+\d+)+)*\b/g, replacement: WILDCARD, needsDigit: true },
  // numbers, signed or with units glued on (12, -3, 4.5, 100ms, 2GB, 8%)
  { pattern: /(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[a-zA-Z%]{1,3})?(?![\w.])/g, replacement: WILDCARD, needsDigit: true },
];

export function compileMasks(extra: Array<{ pattern: string; replacement: string }> = []): MaskRule[] {
  return [...extra.map((m) => ({ pattern: new RegExp(m.pattern, 'g'), replacement: m.replacement })), ...DEFAULT_MASKS];
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
