/**
 * A word-to-word translation model trained on the corpus alone (IBM Model 1, Brown et al. 1993, as Berger & Lafferty
 * 1999 use it for retrieval): pairs of query-like text (a passage's page title and heading) and the passage's body.
 * EM learns t(q | w), the chance that a heading word q is "said" for a body word w; a query word can then reach
 * passages that use other words for it ("evict" -> "drain"). Hand-written: no maintained JavaScript package trains
 * Model 1, and the sparse typed-array EM below is ~100 lines.
 */

export interface TranslationPair {
  /** Query-like side (stemmed terms), e.g. a page title and section heading. */
  query: string[];
  /** Passage side (stemmed terms), e.g. the body under that heading. */
  passage: string[];
}

export interface TranslationOptions {
  /** EM iterations. */
  iterations: number;
  /** Translations below this probability are dropped after training (memory, noise). */
  minProbability: number;
  /** A passage word must occur in at least this many pairs' passages to be a source (rare words overfit). */
  minPassageFrequency: number;
  /** At most this many distinct passage words per pair, the rarest first (bounds training cost on long passages). */
  maxPassageTerms: number;
}

export const DEFAULT_TRANSLATION_OPTIONS: TranslationOptions = {
  iterations: 5,
  minProbability: 0.005,
  minPassageFrequency: 3,
  maxPassageTerms: 150,
};

/** Source id 0 is the empty word: it absorbs query words no passage word explains. */
const NULL = 0;

export class TranslationModel {
  /** Per query word: passage words with t(q | w), best first. */
  private readonly table = new Map<string, Array<{ term: string; p: number }>>();
  /** Per passage word: the share of pairs whose passage holds it (P(w) for Bayes' rule in expansions). */
  private readonly passagePrior = new Map<string, number>();

  private constructor() {}

  static train(pairs: TranslationPair[], options: Partial<TranslationOptions> = {}): TranslationModel {
    const o = { ...DEFAULT_TRANSLATION_OPTIONS, ...options };
    const model = new TranslationModel();
    const df = new Map<string, number>();
    for (const pair of pairs) for (const w of new Set(pair.passage)) df.set(w, (df.get(w) ?? 0) + 1);
    const ids = new Map<string, number>([['', NULL]]);
    const names = [''];
    const id = (t: string) => {
      let i = ids.get(t);
      if (i === undefined) {
        i = names.length;
        ids.set(t, i);
        names.push(t);
      }
      return i;
    };
    // Sentences as id arrays: query words (with repeats) and distinct passage words plus NULL.
    const sentences: Array<{ q: Int32Array; w: Int32Array }> = [];
    for (const pair of pairs) {
      const source = [...new Set(pair.passage)]
        .filter((w) => (df.get(w) ?? 0) >= o.minPassageFrequency)
        .sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1))
        .slice(0, o.maxPassageTerms);
      if (source.length === 0 || pair.query.length === 0) continue;
      sentences.push({ q: Int32Array.from(pair.query.map(id)), w: Int32Array.from([NULL, ...source.map(id)]) });
    }
    const v = names.length;
    // Distinct (q, w) pairs as sorted numeric keys q * v + w, and per sentence the slot of each of its (q, w) cells.
    const keys: number[] = [];
    for (const s of sentences) for (const q of s.q) for (const w of s.w) keys.push(q * v + w);
    const sorted = Float64Array.from(keys).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
    const unique = sorted.subarray(0, n);
    const slots = sentences.map((s) => {
      const out = new Int32Array(s.q.length * s.w.length);
      let k = 0;
      for (const q of s.q) for (const w of s.w) out[k++] = binarySearch(unique, q * v + w);
      return out;
    });
    const sourceOf = new Int32Array(n);
    for (let i = 0; i < n; i++) sourceOf[i] = unique[i]! % v;

    const t = new Float64Array(n).fill(1);
    const counts = new Float64Array(n);
    const totals = new Float64Array(v);
    for (let iter = 0; iter < o.iterations; iter++) {
      counts.fill(0);
      totals.fill(0);
      sentences.forEach((s, si) => {
        const slot = slots[si]!;
        const m = s.w.length;
        for (let j = 0; j < s.q.length; j++) {
          let denominator = 0;
          for (let i = 0; i < m; i++) denominator += t[slot[j * m + i]!]!;
          for (let i = 0; i < m; i++) {
            const c = slot[j * m + i]!;
            const share = t[c]! / denominator;
            counts[c]! += share;
            totals[s.w[i]!]! += share;
          }
        }
      });
      for (let c = 0; c < n; c++) t[c] = counts[c]! / totals[sourceOf[c]!]!;
    }
    for (let c = 0; c < n; c++) {
      const w = sourceOf[c]!;
      if (w === NULL || t[c]! < o.minProbability) continue;
      const q = names[Math.floor(unique[c]! / v)]!;
      let row = model.table.get(q);
      if (!row) model.table.set(q, (row = []));
      row.push({ term: names[w]!, p: t[c]! });
    }
    for (const row of model.table.values()) row.sort((a, b) => b.p - a.p || (a.term < b.term ? -1 : 1));
    for (const [w, count] of df) if (count >= o.minPassageFrequency) model.passagePrior.set(w, count / pairs.length);
    return model;
  }

  /** t(q | w): the chance that passage word w is rendered as query word q. */
  probability(q: string, w: string): number {
    return this.table.get(q)?.find((x) => x.term === w)?.p ?? 0;
  }

  /** Passage words with t(q | w) above the training cut-off, best first. */
  sources(q: string): ReadonlyArray<{ term: string; p: number }> {
    return this.table.get(q) ?? [];
  }

  /**
   * The k passage words most likely behind query word q, other than q: P(w | q) ∝ t(q | w) P(w) (Bayes' rule),
   * normalised over q's translations so the weights sum to at most 1.
   */
  expansions(q: string, k: number): Array<{ term: string; weight: number }> {
    const row = this.table.get(q);
    if (!row) return [];
    const scored = row.map(({ term, p }) => ({ term, weight: p * (this.passagePrior.get(term) ?? 0) }));
    const total = scored.reduce((s, x) => s + x.weight, 0);
    if (total <= 0) return [];
    return scored
      .filter((x) => x.term !== q && x.weight > 0)
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
      .slice(0, k)
      .map((x) => ({ term: x.term, weight: x.weight / total }));
  }

  /**
   * Document expansion: the k query words a passage most likely answers that it does not contain,
   * P(q | d) = sum_w t(q | w) P(w | d) over the passage's words.
   */
  likelyQueryWords(passage: string[], k: number): Array<{ term: string; p: number }> {
    const reverse = this.reverseTable();
    const tf = new Map<string, number>();
    for (const w of passage) tf.set(w, (tf.get(w) ?? 0) + 1);
    const mass = new Map<string, number>();
    for (const [w, c] of tf) for (const { term, p } of reverse.get(w) ?? []) if (!tf.has(term)) mass.set(term, (mass.get(term) ?? 0) + (p * c) / passage.length);
    return [...mass.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, k)
      .map(([term, p]) => ({ term, p }));
  }

  private reverse: Map<string, Array<{ term: string; p: number }>> | undefined;

  /** Per passage word: the query words it translates to, with t(q | w). */
  private reverseTable(): Map<string, Array<{ term: string; p: number }>> {
    if (!this.reverse) {
      this.reverse = new Map();
      for (const [q, row] of this.table) {
        for (const { term, p } of row) {
          let list = this.reverse.get(term);
          if (!list) this.reverse.set(term, (list = []));
          list.push({ term: q, p });
        }
      }
    }
    return this.reverse;
  }

  /** Query words the model knows. */
  get size(): number {
    return this.table.size;
  }
}

function binarySearch(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = sorted[mid]!;
    if (x === key) return mid;
    if (x < key) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error('translation model: missing pair');
}
