/**
 * Which pages hold a term: per term, the ascending ids of the pages one of whose passages holds it, derived from the
 * passage postings. The reranker asks this for ~50 candidate pages x the question's terms per query; answering it from
 * the passage postings (a binary search per passage of each candidate page) cost 2.7 of 9.4 ms per query at 100k
 * chunks in rag-scale and grew with the pages' sizes. Here it is one binary search per page and term, whatever the
 * collection's size; the lists hold at most as many entries as the passage postings (usually far fewer).
 */
export class PageTermIndex {
  private readonly pages = new Map<string, Int32Array>();

  constructor(postings: Iterable<[string, Int32Array]>, pageOf: Int32Array, pageCount: number) {
    const seen = new Int32Array(pageCount).fill(-1);
    let termNo = 0;
    const buffer: number[] = [];
    for (const [term, docs] of postings) {
      buffer.length = 0;
      for (let i = 0; i < docs.length; i++) {
        const p = pageOf[docs[i]!]!;
        if (seen[p] !== termNo) {
          seen[p] = termNo;
          buffer.push(p);
        }
      }
      termNo++;
      this.pages.set(term, Int32Array.from(buffer).sort());
    }
  }

  has(term: string, page: number): boolean {
    const list = this.pages.get(term);
    if (!list) return false;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = list[mid]!;
      if (p === page) return true;
      if (p < page) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}
