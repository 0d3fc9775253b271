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
}

export interface LogCluster {
  id: number;
  tokens: string[];
  size: number;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: LogCluster[];
}

const HAS_DIGIT = /\d/;
const PLAIN_WORD = /^[A-Za-z]+[.,:;]?$/;

export class Drain {
  private readonly root = new Map<number, TreeNode>();
  private readonly all: LogCluster[] = [];
  private readonly masks: MaskRule[];
  private readonly routingDepth: number;

  constructor(private readonly options: DrainOptions) {
    this.masks = options.masks ?? compileMasks();
    this.routingDepth = Math.max(1, options.depth - 2);
  }

  /** Masked tokens of a line, as the tree sees them. */
  tokenize(line: string): string[] {
    const masked = applyMasks(line, this.masks).trim();
    return masked.length === 0 ? [] : masked.split(/\s+/);
  }

  /** Adds a line and returns the cluster it joined or started. */
  add(line: string): LogCluster {
    const tokens = this.tokenize(line);
    const leaf = this.leafFor(tokens, true)!;
    const match = this.bestMatch(leaf.clusters, tokens);
    if (match) {
      const template = match.tokens;
      for (let i = 0; i < template.length; i++) {
        if (template[i] !== tokens[i] && template[i] !== WILDCARD) template[i] = WILDCARD;
      }
      match.size++;
      return match;
    }
    const cluster: LogCluster = { id: this.all.length + 1, tokens: tokens.slice(), size: 1 };
    leaf.clusters.push(cluster);
    this.all.push(cluster);
    return cluster;
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
    return cluster.tokens.join(' ');
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
    const needed = bestWordDiff
      ? Math.max(this.options.similarityThreshold, this.options.wordSimilarityThreshold ?? 0)
      : this.options.similarityThreshold;
    return best && bestSim >= needed ? best : undefined;
  }
}
