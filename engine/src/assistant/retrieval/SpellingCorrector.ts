/**
 * Corrects a query word the collection never uses to the collection's most frequent word within one edit (insert,
 * delete, substitute or swap two neighbours: "deploymnet", "kubeclt", "namepsace"). The vocabulary is the collection's
 * own words, so nothing outside it is needed. Lookup by shared single deletions (the SymSpell idea, Garbe 2012), then
 * an exact Damerau check; hand-written because the npm spell checkers ship an English dictionary, not ours.
 */
export class SpellingCorrector {
  private readonly frequency = new Map<string, number>();
  private readonly byDeletion = new Map<string, string[]>();

  /** Words shorter than this are never corrected (too many neighbours: pod/pods/pid). */
  static readonly MIN_LENGTH = 5;

  constructor(texts: Iterable<string>, minCount = 3) {
    const counts = new Map<string, number>();
    for (const text of texts) {
      for (const w of text.toLowerCase().match(/[a-z]{5,30}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    for (const [word, n] of counts) {
      if (n < minCount) continue;
      this.frequency.set(word, n);
      for (const d of deletions(word)) {
        const list = this.byDeletion.get(d);
        if (list) list.push(word);
        else this.byDeletion.set(d, [word]);
      }
    }
  }

  has(word: string): boolean {
    return this.frequency.has(word.toLowerCase());
  }

  /** The correction of a word, or undefined when it is known, too short, or has no close neighbour. */
  correct(word: string): string | undefined {
    const w = word.toLowerCase();
    if (w.length < SpellingCorrector.MIN_LENGTH || !/^[a-z]+$/.test(w) || this.frequency.has(w))
      return undefined;
    const candidates = new Set<string>();
    for (const key of [w, ...deletions(w)]) for (const c of this.byDeletion.get(key) ?? []) candidates.add(c);
    if (this.frequency.has(w.slice(0, -1))) candidates.add(w.slice(0, -1));
    let best: string | undefined;
    let bestCount = 0;
    for (const c of candidates) {
      const n = this.frequency.get(c) ?? 0;
      if (n > bestCount && damerauWithinOne(w, c)) {
        best = c;
        bestCount = n;
      }
    }
    return best;
  }
}

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** True when a and b differ by at most one insertion, deletion, substitution or adjacent swap. */
export function damerauWithinOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
