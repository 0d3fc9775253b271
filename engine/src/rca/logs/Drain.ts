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
   * `403 bytes`), so the lines of one event have the same tokens (with the other defaults, turning it off: Proxifier
   * GA 1.000 -> 0.526, HPC 0.951 -> 0.905).
   */
  collapseWildcards?: boolean;
  /**
   * After mining, a `<*>` that only ever took a few distinct words (at most this many, e.g. `Started` / `Paused`,
   * `HTTPS` / `SOCKS5`) is read as a constant: `eventKey` splits the cluster by it. Variables that are words (user
   * names, hosts) take many values. 0 turns it off (with the other defaults: mean GA on 16 Loghub systems 0.951 ->
   * 0.902; OpenStack 0.946 -> 0.860, Mac 0.837 -> 0.744).
   */
  splitWordValues?: number;
}

/** Defaults of the options beyond Drain's own (chosen by leave-one-system-out; see bench/log-parsing.bench.ts). */
export const DRAIN_DEFAULTS: Required<Pick<DrainOptions, 'collapseWildcards' | 'splitWordValues'>> = {
  splitWordValues: 2,
  collapseWildcards: true,
};

export interface LogCluster {
  id: number;
  tokens: string[];
  size: number;
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
/** A word that may name a kind of event rather than a value: letters (and a trailing digit run), maybe punctuated. */
const WORD_VALUE = /^[A-Za-z][A-Za-z_-]*\d*[.,:;]?$/;

export class Drain {
  private readonly root = new Map<number, TreeNode>();
  private readonly all: LogCluster[] = [];
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
    const tokens =
      this.options.collapseWildcards && masked.includes(WILDCARD) ? collapseWildcards(shown) : shown;
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
    const match = this.bestMatch(leaf.clusters, tokens);
    if (match) {
      const template = match.tokens;
      for (let i = 0; i < template.length; i++) {
        if (template[i] !== tokens[i] && template[i] !== WILDCARD) template[i] = WILDCARD;
      }
      match.size++;
      if (match.words) this.noteWords(match, tokens);
      if (match.shown) generalizeShown(match, shown);
      return match;
    }
    const cluster: LogCluster = { id: this.all.length + 1, tokens: tokens.slice(), size: 1 };
    if (shown !== tokens) cluster.shown = shown.slice();
    if (this.options.splitWordValues! > 0) {
      cluster.words = tokens.map((t) => (WORD_VALUE.test(t) ? new Set([t]) : undefined));
    }
    leaf.clusters.push(cluster);
    this.all.push(cluster);
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
   * The final event of a line (once every line is in): its cluster, refined by the words it has where its template
   * has a few-valued `<*>` (`splitWordValues`). Same key, same event.
   */
  eventKey(cluster: LogCluster, tokens: string[]): string {
    let key = String(cluster.id);
    const words = cluster.words;
    if (!words) return key;
    for (let i = 0; i < words.length; i++) {
      if (cluster.tokens[i] === WILDCARD && words[i] && words[i]!.size >= 2) key += ' ' + tokens[i];
    }
    return key;
  }

  /** The template of a line's event (`eventKey`): its cluster's template, with the line's word where it was split. */
  eventTemplate(cluster: LogCluster, tokens: string[]): string {
    const words = cluster.words;
    const split = words?.some((w, i) => cluster.tokens[i] === WILDCARD && w && w.size >= 2);
    if (!split) return Drain.template(cluster);
    return cluster.tokens
      .map((t, i) => (t === WILDCARD && words![i] && words![i]!.size >= 2 ? tokens[i] : t))
      .join(' ');
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

  private bestMatch(clusters: LogCluster[], tokens: string[]): LogCluster | undefined {
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
    const threshold = this.options.similarityThreshold;
    const needed = bestWordDiff ? Math.max(threshold, this.options.wordSimilarityThreshold ?? 0) : threshold;
    return best && bestSim >= needed ? best : undefined;
  }
}

function generalizeShown(cluster: LogCluster, shown: string[]): void {
  const template = cluster.shown!;
  if (template.length !== shown.length) return;
  for (let i = 0; i < template.length; i++) if (template[i] !== shown[i]) template[i] = WILDCARD;
}

/** Turns tokens made only of wildcards and punctuation (`<*>:<*>`, `(<*>)`) into `<*>`, and a run of `<*>` into one. */
export function collapseWildcards(tokens: string[]): string[] {
  const out: string[] = [];
  for (const token of tokens) {
    const wild =
      token === WILDCARD || (token.includes(WILDCARD) && !ALNUM.test(token.replaceAll(WILDCARD, '')));
    if (!wild) out.push(token);
    else if (out[out.length - 1] !== WILDCARD) out.push(WILDCARD);
  }
  return out;
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
