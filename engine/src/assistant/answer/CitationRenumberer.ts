/**
 * Renumbers citation markers ("[3]") so an answer cites 1..n in order of first use, whatever numbers the passages had
 * when retrieved. Works on a token stream: a marker split across tokens ("[1" then "2]") is held back until it closes,
 * so what is streamed is exactly the final text. Markers naming no known passage are dropped (a model may invent one).
 * Passages `sameAs` maps to another (two overlapping chunks of one page section, see sameSectionAliases) share that
 * one's number, so a section is one citation; a marker right after the same marker ("[2][2]") is dropped.
 */
export class CitationRenumberer {
  private readonly mapping = new Map<number, number>();
  private pending = '';
  /** The number of the marker the emitted text ends with, if it ends with one. */
  private lastMarker: number | undefined;

  constructor(
    private readonly known: ReadonlySet<number>,
    private readonly sameAs: ReadonlyMap<number, number> = new Map(),
  ) {}

  /** Text safe to emit now. */
  push(text: string): string {
    const all = this.pending + text;
    // Hold back an unfinished marker at the end: "[" or "[12".
    const open = /\[\d{0,3}$/.exec(all);
    this.pending = open ? open[0] : '';
    return this.rewrite(open ? all.slice(0, open.index) : all);
  }

  /** The rest, at the end of the stream. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  /** Original passage number (of a section's passages, the one they are the same as) -> new number, by first use. */
  get order(): Array<{ from: number; to: number }> {
    return [...this.mapping.entries()].map(([from, to]) => ({ from, to }));
  }

  private rewrite(text: string): string {
    let out = '';
    let last = 0;
    for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
      const before = text.slice(last, match.index);
      last = match.index + match[0].length;
      if (before) this.lastMarker = undefined;
      out += before;
      const n = Number(match[1]);
      if (!this.known.has(n)) continue;
      const key = this.sameAs.get(n) ?? n;
      let to = this.mapping.get(key);
      if (to === undefined) {
        to = this.mapping.size + 1;
        this.mapping.set(key, to);
      }
      if (this.lastMarker === to) continue;
      out += `[${to}]`;
      this.lastMarker = to;
    }
    const rest = text.slice(last);
    if (rest) this.lastMarker = undefined;
    return out + rest;
  }
}

/**
 * Passages that are the same citation as an earlier one: later passages of a page section (overlapping chunks of one
 * section) mapped to the section's first passage, for CitationRenumberer's `sameAs`.
 */
export function sameSectionAliases(
  passages: ReadonlyArray<{ n: number; chunk: { path: string; section: string; source?: string } }>,
): Map<number, number> {
  const first = new Map<string, number>();
  const aliases = new Map<number, number>();
  for (const p of passages) {
    const key = JSON.stringify([p.chunk.source ?? '', p.chunk.path, p.chunk.section]);
    const seen = first.get(key);
    if (seen === undefined) first.set(key, p.n);
    else aliases.set(p.n, seen);
  }
  return aliases;
}

/** Renumbers a whole text at once (the extractive answer); see CitationRenumberer. */
export function renumberCitations(
  text: string,
  known: ReadonlySet<number>,
): { text: string; order: Array<{ from: number; to: number }> } {
  const r = new CitationRenumberer(known);
  const out = r.push(text) + r.flush();
  return { text: out, order: r.order };
}
