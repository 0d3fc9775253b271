/**
 * Abbreviations a collection defines for itself, learned from its text (never from questions):
 * - parenthetical definitions, "PersistentVolumeClaim (PVC)", "Role-based access control (RBAC)": the shortest run of
 *   words (camelCase parts counted as words) before the parentheses whose initials spell the abbreviation;
 * - alias tables, "| `services` | `svc` | ...": a short cell right after a longer single-word cell whose letters it
 *   takes in order, starting with the same letter (kubectl's short names: svc, pvc, ns, hpa, deploy).
 * Maps the lower-cased abbreviation to the long forms seen, most frequent first.
 */
export function learnAbbreviations(texts: Iterable<string>): Map<string, string[]> {
  const counts = new Map<string, Map<string, number>>();
  const add = (abbr: string, long: string) => {
    const a = abbr.toLowerCase();
    if (a.length < 2 || a.length > 6 || long.toLowerCase() === a) return;
    const forms = counts.get(a) ?? new Map<string, number>();
    forms.set(long, (forms.get(long) ?? 0) + 1);
    counts.set(a, forms);
  };
  for (const text of texts) {
    for (const m of text.matchAll(PARENTHETICAL)) {
      const long = definedBy(m[1]!, m[2]!.replace(/s$/, ''));
      if (long) add(m[2]!.replace(/s$/, ''), long);
    }
    if (text.includes('|'))
      for (const line of text.split('\n')) if (line.includes('|')) aliasCells(line, add);
  }
  const out = new Map<string, string[]>();
  for (const [abbr, forms] of counts) {
    out.set(
      abbr,
      [...forms.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([f]) => f),
    );
  }
  return out;
}

const PARENTHETICAL = /([A-Za-z][A-Za-z-]*(?:\s+[A-Za-z][A-Za-z-]*){0,6})\s+\(([A-Z][A-Z0-9]{1,5}s?)\)/g;
const LINK_WORDS = new Set(['and', 'of', 'for', 'the', 'to', 'in', 'on']);

/** The shortest trailing run of words whose initials (camelCase parts and hyphenated words counted) spell abbr. */
function definedBy(phrase: string, abbr: string): string | undefined {
  const words = phrase.split(/\s+/);
  const target = abbr.toLowerCase();
  for (let start = words.length - 1; start >= 0 && start >= words.length - 7; start--) {
    const run = words.slice(start);
    const initials = run
      .flatMap((w) => w.split('-'))
      .filter((w) => w && !LINK_WORDS.has(w.toLowerCase()))
      .flatMap((w) => w.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [])
      .map((p) => (/^[A-Z]{2,}$/.test(p) ? p.toLowerCase() : p[0]!.toLowerCase()))
      .join('');
    if (initials === target) return run.join(' ');
    if (initials.length > target.length) return undefined;
  }
  return undefined;
}

function aliasCells(line: string, add: (abbr: string, long: string) => void): void {
  const cells = line.split('|').map((c) => c.replace(/[`*]/g, '').trim());
  for (let i = 0; i + 1 < cells.length; i++) {
    const long = cells[i]!;
    if (!/^[a-z][a-z.]{5,40}$/.test(long)) continue;
    for (const short of cells[i + 1]!.split(',').map((s) => s.trim())) {
      if (
        /^[a-z]{2,6}$/.test(short) &&
        short.length < long.length &&
        isSubsequence(short, long) &&
        short[0] === long[0]
      ) {
        add(short, long);
      }
    }
  }
}

function isSubsequence(short: string, long: string): boolean {
  let j = 0;
  for (let i = 0; i < long.length && j < short.length; i++) if (long[i] === short[j]) j++;
  return j === short.length;
}
