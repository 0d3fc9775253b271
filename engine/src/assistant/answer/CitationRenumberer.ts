/**
 * Renumbers citation markers ("[3]") so an answer cites 1..n in order of first use, whatever numbers the passages had
 * when retrieved. Works on a token stream: a marker split across tokens ("[1" then "2]") is held back until it closes,
 * so what is streamed is exactly the final text. Markers naming no known passage are dropped (a model may invent one).
 */
export class CitationRenumberer {
  private readonly mapping = new Map<number, number>();
  private pending = '';

  constructor(private readonly known: ReadonlySet<number>) {}

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

  /** Original passage number -> new number, in order of first use. */
  get order(): Array<{ from: number; to: number }> {
    return [...this.mapping.entries()].map(([from, to]) => ({ from, to }));
  }

  private rewrite(text: string): string {
    return text.replace(/\[(\d{1,3})\]/g, (_, digits: string) => {
      const n = Number(digits);
      if (!this.known.has(n)) return '';
      let to = this.mapping.get(n);
      if (to === undefined) {
        to = this.mapping.size + 1;
        this.mapping.set(n, to);
      }
      return `[${to}]`;
    });
  }
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
