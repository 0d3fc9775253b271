import { applyMasks, compileMasks, WILDCARD, type MaskRule } from './masking.js';

/**
 * Streaming log template mining after Drain (He et al., ICWS 2017): a line is masked, split into tokens, routed
 * through a fixed-depth prefix tree (token count, then the first tokens) to a small list of clusters, and joins the
 * most similar cluster when enough tokens agree; otherwise it starts a new one. Joining turns differing tokens into
 * `<*>`. One pass, bounded work per line, so it keeps up with a live log stream.
 */

export interface DrainOptions {
  /** Fraction of equal (non-wildcard) tokens a line needs to join a cluster. */
  similarityThreshold: number;
  /** Tree depth including the root and the length level; depth - 2 leading tokens are used for routing. */
  depth: number;
  /** Children per tree node before new tokens are routed to a shared wildcard child. */
  maxChildren: number;
  /**
   * Similarity needed when the line differs from the template in a plain word (letters only): such words are
   * usually constants (`initialization` vs `finalization`), so turning one into `<*>` needs more agreement elsewhere.
   * Defaults to similarityThreshold (plain Drain).
   */
  wordSimilarityThreshold?: number;
  masks?: MaskRule[];
  /**
   * Tokens made only of `<*>` and punctuation (`<*>:<*>`, `(<*>)`, `<<*>`) become `<*>`, and a run of `<*>` one `<*>`:
   * a value is one `<*>` whatever its shape or number of parts (`00:02` vs `<1 sec`, `1190 bytes (1.16 KB)` vs
   * `403 bytes`), so the lines of one event have the same tokens (Proxifier's `close` event: GA 0.025 -> 0.503).
   */
  collapseWildcards?: boolean;
  /**
   * `groups()` joins templates of different lengths whose tokens align when a `<*>` that only took values may stand
   * for any number of value tokens (`sizes <*> <*> done` and `sizes <*> done` without collapsing): the events
   * Drain's length-first tree cannot bring together. Off by default: with collapsing on it did not change the mean.
   */
  mergeAcrossLengths?: boolean;
  /**
   * After mining, a `<*>` that only ever took a few distinct words (at most this many, e.g. `Started` / `Paused`,
   * `HTTPS` / `SOCKS5`) is read as a constant: `groupKey` splits the cluster by it. Variables that are words (user
   * names, hosts) take many values. 0 turns it off.
   */
  splitWordValues?: number;
  /**
   * A line that matches nothing in its leaf may join a cluster of the same length in another branch when this
   * fraction of tokens agree (0 = off): the leading token it was routed on was a variable. (Routing every token
   * with punctuation as a variable instead, tried for the same lines, cut OpenStack from 0.946 to 0.437 and
   * HealthApp from 0.983 to 0.762: leaves got crowded and similar events merged.)
   */
  crossLeafSimilarity?: number;
}

/** Defaults of the options beyond Drain's own (chosen by leave-one-system-out; see bench/log-parsing.bench.ts). */
export const DRAIN_DEFAULTS: Required<
  Pick<DrainOptions, 'collapseWildcards' | 'mergeAcrossLengths' | 'splitWordValues' | 'crossLeafSimilarity'>
> = {
  crossLeafSimilarity: 0,
  splitWordValues: 3,
  collapseWildcards: true,
  mergeAcrossLengths: false,
};

export interface LogCluster {
  id: number;
  tokens: string[];
  size: number;
  /**
   * Per position: every token seen there was a value (no letters, e.g. `<*>`, `12:30`), not a word or `key=value`.
   * Only a value `<*>` may stand for a varying number of tokens when templates are merged across lengths.
   */
  valueOnly: boolean[];
  /**
   * The template as shown, when it differs from `tokens` (collapsing): the first line's masked tokens, turned into
   * `<*>` where later lines of the same shown length differ. Lines of another shown length differ only in values.
   */
  shown?: string[];
  /** Per position, the distinct words seen there while they are few and all words (see `splitWordValues`). */
  words?: Array<Set<string> | undefined>;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: LogCluster[];
}

const HAS_DIGIT = /\d/;
const PLAIN_WORD = /^[A-Za-z]+[.,:;]?$/;
const ALNUM = /[A-Za-z0-9]/;
const LETTER = /[A-Za-z]/;
/** A word that may name a kind of event rather than a value: letters (and a trailing digit run), maybe punctuated. */
const WORD_VALUE = /^[A-Za-z][A-Za-z_-]*\d*[.,:;]?$/;

export class Drain {
  private readonly root = new Map<number, TreeNode>();
  private readonly all: LogCluster[] = [];
  /** Clusters by token count, for the second chance across leaves (`crossLeafSimilarity`). */
  private readonly byLength = new Map<number, LogCluster[]>();
  private readonly masks: MaskRule[];
  private readonly routingDepth: number;

  private readonly options: DrainOptions;

  constructor(options: DrainOptions) {
    this.options = { ...DRAIN_DEFAULTS, ...withoutUndefined(options) };
    this.masks = options.masks ?? compileMasks();
    this.routingDepth = Math.max(1, this.options.depth - 2);
  }

  /** Masked tokens of a line, as the tree sees them. */
  tokenize(line: string): string[] {
    return this.split(line).tokens;
  }

  /**
   * A line's tokens as the tree sees them, and as a template shows them: collapsing (`collapseWildcards`) is for
   * matching only; templates keep the punctuation around values (`(<*>)`, `<*>:<*>`), as people and the Loghub
   * ground truth write them (measured: showing collapsed templates cut PA on the 16 systems from 0.59 to 0.45).
   */
  split(line: string): { tokens: string[]; shown: string[] } {
    const masked = applyMasks(line, this.masks).trim();
    if (masked.length === 0) return { tokens: [], shown: [] };
    const shown = masked.split(/\s+/);
    const tokens = this.options.collapseWildcards && masked.includes(WILDCARD) ? collapseWildcards(shown) : shown;
    return { tokens, shown };
  }

  /** Adds a line and returns the cluster it joined or started. */
  add(line: string): LogCluster {
    const { tokens, shown } = this.split(line);
    return this.addTokens(tokens, shown);
  }

  /**
   * Adds a line already split by `split` (lets a caller mask once and mine with several settings); `shown` defaults
   * to the tokens themselves.
   */
  addTokens(tokens: string[], shown: string[] = tokens): LogCluster {
    const leaf = this.leafFor(tokens, true)!;
    let match = this.bestMatch(leaf.clusters, tokens);
    if (!match && this.options.crossLeafSimilarity) {
      // Second chance: a cluster of the same length in another branch that agrees almost everywhere (the routing
      // token was a variable: `com.apple.x.daily: scheduler_evaluate_activity told me ...`). It joins this leaf too,
      // so the next such line finds it without the scan.
      match = this.bestMatch(this.byLength.get(tokens.length) ?? [], tokens, this.options.crossLeafSimilarity);
      if (match) leaf.clusters.push(match);
    }
    if (match) {
      const template = match.tokens;
      const valueOnly = match.valueOnly;
      for (let i = 0; i < template.length; i++) {
        const token = tokens[i]!;
        if (template[i] === token) continue;
        if (template[i] !== WILDCARD) template[i] = WILDCARD;
        if (valueOnly[i] && token !== WILDCARD && LETTER.test(token)) valueOnly[i] = false;
      }
      match.size++;
      if (match.words) this.noteWords(match, tokens);
      if (match.shown) generalizeShown(match, shown);
      return match;
    }
    const valueOnly = tokens.map((t) => t === WILDCARD || !LETTER.test(t));
    const cluster: LogCluster = { id: this.all.length + 1, tokens: tokens.slice(), size: 1, valueOnly };
    if (shown !== tokens) cluster.shown = shown.slice();
    if (this.options.splitWordValues! > 0) {
      cluster.words = tokens.map((t) => (WORD_VALUE.test(t) ? new Set([t]) : undefined));
    }
    leaf.clusters.push(cluster);
    this.all.push(cluster);
    if (this.options.crossLeafSimilarity) {
      const same = this.byLength.get(tokens.length);
      if (same) same.push(cluster);
      else this.byLength.set(tokens.length, [cluster]);
    }
    return cluster;
  }

  /** Records the words of a line that joined `cluster`; called after its template was updated. */
  private noteWords(cluster: LogCluster, tokens: string[]): void {
    const words = cluster.words!;
    for (let i = 0; i < words.length; i++) {
      const seen = words[i];
      // A position still constant holds the word the set started with: nothing new (the common case, no regex).
      if (!seen || cluster.tokens[i] !== WILDCARD) continue;
      const token = tokens[i]!;
      if (seen.has(token)) continue;
      if (!WORD_VALUE.test(token) || seen.size >= this.options.splitWordValues!) words[i] = undefined;
      else seen.add(token);
    }
  }

  /**
   * The final event of a line: its cluster's group (`groups()`), refined by the words it has where its template
   * has a few-valued `<*>` (`splitWordValues`). Same key, same event.
   */
  groupKey(cluster: LogCluster, tokens: string[], groups: number[]): string {
    let key = String(groups[cluster.id]);
    const words = cluster.words;
    if (!words) return key;
    for (let i = 0; i < words.length; i++) {
      if (cluster.tokens[i] === WILDCARD && words[i] && words[i]!.size >= 2) key += ' ' + tokens[i];
    }
    return key;
  }

  /** The template of a line's event (`groupKey`): the group's template, with the line's word where it was split. */
  eventTemplate(cluster: LogCluster, tokens: string[], groups: number[]): string {
    const words = cluster.words;
    const split = words?.some((w, i) => cluster.tokens[i] === WILDCARD && w && w.size >= 2);
    if (!split) return Drain.template(this.all[groups[cluster.id]! - 1]!);
    return cluster.tokens.map((t, i) => (t === WILDCARD && words![i] && words![i]!.size >= 2 ? tokens[i] : t)).join(' ');
  }

  /** The cluster a line would join, without learning from it. */
  match(line: string): LogCluster | undefined {
    const tokens = this.tokenize(line);
    const leaf = this.leafFor(tokens, false);
    return leaf ? this.bestMatch(leaf.clusters, tokens) : undefined;
  }

  clusters(): LogCluster[] {
    return this.all;
  }

  cluster(id: number): LogCluster | undefined {
    return this.all[id - 1];
  }

  static template(cluster: LogCluster): string {
    return (cluster.shown ?? cluster.tokens).join(' ');
  }

  /**
   * The event group of every cluster, indexed by cluster id (index 0 unused): the id of the cluster that stands for
   * its group. Without `mergeAcrossLengths` every cluster is its own group. With it, clusters whose templates align
   * (see `alignsAcrossLengths`) are joined, transitively; the largest cluster of a group stands for it.
   */
  groups(): number[] {
    const parent = Array.from({ length: this.all.length + 1 }, (_, i) => i);
    if (this.options.mergeAcrossLengths) {
      const find = (i: number): number => {
        while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
        return i;
      };
      for (const [a, b] of this.alignedPairs()) {
        const ra = find(a.id);
        const rb = find(b.id);
        if (ra === rb) continue;
        // The larger cluster's id stands for the group (its template is the one most lines were written with).
        if (this.all[ra - 1]!.size >= this.all[rb - 1]!.size) parent[rb] = ra;
        else parent[ra] = rb;
      }
      for (let i = 1; i < parent.length; i++) parent[i] = find(i);
    }
    return parent;
  }

  /** Pairs of clusters of different lengths that align; only pairs sharing their first token (or a `<*>` there) are compared. */
  private *alignedPairs(): Generator<[LogCluster, LogCluster]> {
    const byFirst = new Map<string, LogCluster[]>();
    const wildFirst: LogCluster[] = [];
    for (const c of this.all) {
      if (c.tokens.length === 0 || c.tokens.length > MAX_ALIGN_TOKENS) continue;
      const first = c.tokens[0]!;
      if (first === WILDCARD) wildFirst.push(c);
      else byFirst.set(first, [...(byFirst.get(first) ?? []), c]);
    }
    const all = [...byFirst.values()].flat();
    const compare = function* (list: LogCluster[], others: LogCluster[], same: boolean): Generator<[LogCluster, LogCluster]> {
      for (let i = 0; i < list.length; i++) {
        for (let j = same ? i + 1 : 0; j < others.length; j++) {
          const a = list[i]!;
          const b = others[j]!;
          if (a.tokens.length !== b.tokens.length && alignsAcrossLengths(a, b)) yield [a, b];
        }
      }
    };
    for (const list of byFirst.values()) yield* compare(list, list, true);
    yield* compare(wildFirst, wildFirst, true);
    yield* compare(wildFirst, all, false);
  }

  private leafFor(tokens: string[], create: boolean): TreeNode | undefined {
    let node: TreeNode | undefined = this.root.get(tokens.length);
    if (!node) {
      if (!create) return undefined;
      node = { children: new Map(), clusters: [] };
      this.root.set(tokens.length, node);
    }
    const levels = Math.min(this.routingDepth, tokens.length);
    for (let i = 0; i < levels; i++) {
      const raw = tokens[i]!;
      // Tokens with digits or a masked part are likely variables: routing on them would scatter one template over
      // many branches (`10.0.0.1` and `10.0.0.1,10.0.0.2` are both addresses).
      const key = HAS_DIGIT.test(raw) || raw.includes(WILDCARD) ? WILDCARD : raw;
      let next: TreeNode | undefined = node.children.get(key);
      if (!next) {
        if (!create) {
          next = node.children.get(WILDCARD);
          if (!next) return undefined;
        } else {
          const childKey = node.children.size < this.options.maxChildren ? key : WILDCARD;
          next = node.children.get(childKey);
          if (!next) {
            next = { children: new Map(), clusters: [] };
            node.children.set(childKey, next);
          }
        }
      }
      node = next;
    }
    return node;
  }

  private bestMatch(clusters: LogCluster[], tokens: string[], threshold = this.options.similarityThreshold): LogCluster | undefined {
    let best: LogCluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    let bestWordDiff = false;
    for (const cluster of clusters) {
      const template = cluster.tokens;
      let same = 0;
      let params = 0;
      let wordDiff = false;
      for (let i = 0; i < template.length; i++) {
        const t = template[i]!;
        if (t === WILDCARD) {
          params++;
          // A masked variable where the template has one is agreement: without this, a mostly masked line
          // (`GET <*> <*> <*>`) could never reach the threshold and would start a new template every time.
          if (tokens[i] === WILDCARD) same++;
        } else if (t === tokens[i]) same++;
        else if (!wordDiff && PLAIN_WORD.test(t) && PLAIN_WORD.test(tokens[i]!)) wordDiff = true;
      }
      const sim = template.length === 0 ? 1 : same / template.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) {
        best = cluster;
        bestSim = sim;
        bestParams = params;
        bestWordDiff = wordDiff;
      }
    }
    const needed = bestWordDiff ? Math.max(threshold, this.options.wordSimilarityThreshold ?? 0) : threshold;
    return best && bestSim >= needed ? best : undefined;
  }
}

function generalizeShown(cluster: LogCluster, shown: string[]): void {
  const template = cluster.shown!;
  if (template.length !== shown.length) return;
  for (let i = 0; i < template.length; i++) if (template[i] !== shown[i]) template[i] = WILDCARD;
}

/** Longest template compared across lengths: the alignment is quadratic in length. */
const MAX_ALIGN_TOKENS = 64;

/** Turns tokens made only of wildcards and punctuation (`<*>:<*>`, `(<*>)`) into `<*>`, and a run of `<*>` into one. */
export function collapseWildcards(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const wild = token === WILDCARD || (token.includes(WILDCARD) && !ALNUM.test(token.replaceAll(WILDCARD, '')));
    if (!wild) out.push(token);
    else if (out[out.length - 1] !== WILDCARD) out.push(WILDCARD);
  }
  return out;
}


/**
 * Whether two templates are one event written with a varying number of tokens: they align when every `<*>` may
 * stand for any number of value tokens (no letters; none included) of the other, every other token matches exactly
 * (measured: letting `<*>` take words joined `Failed password for <*>` with `... for invalid user <*>` and cut
 * OpenSSH's GA from 0.995 to 0.488), and at least
 * half of each template's constant tokens (and at least two) are matched rather than swallowed by a `<*>`. Dynamic
 * programming over prefixes: best count of matched constants, or -1 when the prefixes cannot align.
 */
export function alignsAcrossLengths(clusterA: LogCluster, clusterB: LogCluster): boolean {
  const a = clusterA.tokens;
  const b = clusterB.tokens;
  // A value `<*>` stands for any run of value tokens (possibly none); a `<*>` that took words must match one `<*>`.
  const flexA = (i: number) => a[i] === WILDCARD && clusterA.valueOnly[i]!;
  const flexB = (j: number) => b[j] === WILDCARD && clusterB.valueOnly[j]!;
  const n = a.length;
  const m = b.length;
  const constA = a.filter((t) => t !== WILDCARD).length;
  const constB = b.filter((t) => t !== WILDCARD).length;
  const need = Math.max(2, Math.ceil(constA / 2), Math.ceil(constB / 2));
  if (Math.min(constA, constB) < need) return false;
  // best[i][j]: most constants matched aligning a[0..i) with b[0..j).
  let prev = new Int32Array(m + 1).fill(-1);
  let cur = new Int32Array(m + 1);
  prev[0] = 0;
  for (let j = 1; j <= m; j++) prev[j] = flexB(j - 1) ? prev[j - 1]! : -1;
  for (let i = 1; i <= n; i++) {
    const ta = a[i - 1]!;
    cur.fill(-1);
    const fa = flexA(i - 1);
    cur[0] = fa ? prev[0]! : -1;
    for (let j = 1; j <= m; j++) {
      const tb = b[j - 1]!;
      let best = -1;
      if (ta === tb && prev[j - 1]! >= 0) best = prev[j - 1]! + (ta === WILDCARD ? 0 : 1);
      // a's <*> takes b's token (and maybe more before it), or stands for nothing.
      if (fa) best = Math.max(best, prev[j]!, flexB(j - 1) || (tb !== WILDCARD && !LETTER.test(tb)) ? Math.max(cur[j - 1]!, prev[j - 1]!) : -1);
      if (flexB(j - 1)) best = Math.max(best, cur[j - 1]!, fa || (ta !== WILDCARD && !LETTER.test(ta)) ? Math.max(prev[j]!, prev[j - 1]!) : -1);
      cur[j] = best;
    }
    [prev, cur] = [cur, prev];
  }
  return prev[m]! >= need;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
