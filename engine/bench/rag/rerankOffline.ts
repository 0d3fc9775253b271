/**
 * Reranker experiments, step 2: scores reranker weights over the candidates recorded by captureCandidates.ts without
 * searching again (the recorded final rankings are reproduced exactly first). Learning to rank from the corpus alone:
 * coordinate ascent on the feature weights, maximising the mean of Hit@5 and MRR on the pseudo-queries (section
 * headings and first sentences, target their page); the development sets only score the result, per set and half.
 *   node --import tsx bench/rag/rerankOffline.ts /tmp/capture.json [pseudo-heading,pseudo-sentence]
 */
import { readFileSync } from 'node:fs';

interface Candidate {
  path: string;
  score: number;
  f: number[];
}
interface Captured {
  set: string;
  half: string;
  relevant: string[];
  final: string[];
  cands: Candidate[];
}
type Weights = Record<string, number>;

const [file = '/tmp/capture.json', trainOn = 'pseudo-heading,pseudo-sentence'] = process.argv.slice(2);
const capture = JSON.parse(readFileSync(file, 'utf8')) as {
  features: string[];
  weights: Weights;
  records: Captured[];
};
const { features, records } = capture;

/** The PageReranker's arithmetic: fused score over the best one plus the weighted features. */
function ranked(r: Captured, w: Weights): string[] {
  const top = r.cands[0]?.score || 1;
  return r.cands
    .map((c) => ({
      path: c.path,
      v: c.score / top + features.reduce((s, name, j) => s + (w[name] ?? 0) * c.f[j]!, 0),
    }))
    .sort((a, b) => b.v - a.v)
    .map((x) => x.path);
}
function scores(rs: Captured[], rank: (r: Captured) => string[]): { hit5: number; mrr: number } {
  let hit5 = 0;
  let mrr = 0;
  for (const r of rs) {
    const k = rank(r)
      .slice(0, 10)
      .findIndex((p) => r.relevant.includes(p));
    if (k >= 0 && k < 5) hit5++;
    if (k >= 0) mrr += 1 / (k + 1);
  }
  return { hit5: hit5 / rs.length, mrr: mrr / rs.length };
}
const group = (name: string) =>
  records.filter(
    (r) => r.set === name.split('/')[0] && (!name.includes('/') || r.half === name.split('/')[1]),
  );
const fmt = (s: { hit5: number; mrr: number }) => `${s.hit5.toFixed(3)}/${s.mrr.toFixed(3)}`;

const devGroups = ['glossary', 'glossary/even', 'glossary/odd', 'ops', 'ops/even', 'ops/odd'];
for (const g of devGroups) {
  const recorded = scores(group(g), (r) => r.final);
  const replayed = scores(group(g), (r) => ranked(r, capture.weights));
  if (fmt(recorded) !== fmt(replayed))
    throw new Error(`${g}: replay ${fmt(replayed)} differs from the search ${fmt(recorded)}`);
}

const train = trainOn.split(',').flatMap(group);
const objective = (w: Weights) => {
  const s = scores(train, (r) => ranked(r, w));
  return (s.hit5 + s.mrr) / 2;
};
// Features with a live context never fire on questions alone; the rest are searched from the default.
const tuned = features.filter((f) => !['contextInHeadings', 'runbookForContext'].includes(f));
let w = { ...capture.weights };
let best = objective(w);
console.log(`training on ${train.length} pseudo-queries (${trainOn}): default objective ${best.toFixed(4)}`);
for (const step of [0.2, 0.1, 0.05, 0.025]) {
  for (let improved = true; improved;) {
    improved = false;
    for (const name of tuned) {
      for (const d of [step, -step]) {
        const t = { ...w, [name]: Math.max(0, +(w[name]! + d).toFixed(4)) };
        const o = objective(t);
        if (o > best + 1e-4) [best, w, improved] = [o, t, true];
      }
    }
  }
}
console.log(`learned (objective ${best.toFixed(4)}): ${tuned.map((n) => `${n} ${w[n]}`).join(', ')}`);
for (const g of devGroups) {
  const [before, after] = [
    scores(group(g), (r) => ranked(r, capture.weights)),
    scores(group(g), (r) => ranked(r, w)),
  ];
  console.log(`${g.padEnd(14)} Hit@5/MRR default ${fmt(before)} -> learned ${fmt(after)}`);
}
