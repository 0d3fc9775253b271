import { describe, expect, it } from 'vitest';
import { LsaEmbedder } from '../embedders/LsaEmbedder.js';
import { Bm25Index, topK } from './Bm25Index.js';
import { ExactVectorIndex } from './ExactVectorIndex.js';
import { HnswVectorIndex } from './HnswVectorIndex.js';
import { randomizedSvd, symmetricEigen } from './randomizedSvd.js';
import { seededRandom } from '../../util/seededRandom.js';
import { reciprocalRankFusion } from './reciprocalRankFusion.js';
import { stem, tokenize } from './tokenize.js';
import { Bm25fIndex } from './Bm25fIndex.js';
import { pageKind } from './KnowledgeIndex.js';
import { learnAbbreviations } from './learnAbbreviations.js';
import { QueryAnalyzer } from './QueryAnalyzer.js';
import { damerauWithinOne, SpellingCorrector } from './SpellingCorrector.js';

describe('tokenize', () => {
  it('splits identifiers, drops stop words and stems', () => {
    expect(tokenize('The CrashLoopBackOff of kube-proxy')).toEqual([
      'crash',
      'loop',
      'back',
      'crashloopbackof',
      'kube',
      'proxy',
      'kubeproxy',
    ]);
    expect(tokenize('nodeSelector SSDs')).toEqual(['node', 'selector', 'nodeselector', 'ssd']);
    expect(stem('scheduling')).toBe(stem('scheduled'));
    expect(stem('schedules')).toBe(stem('schedule'));
    expect(stem('policies')).toBe('policy');
  });
});

describe('Bm25Index', () => {
  const docs = [
    'pod restarts crash loop',
    'node pressure eviction',
    'pod pod pod scheduling',
    'certificate expiry tls',
  ];
  const index = new Bm25Index(0.9, 0.4);
  index.build(docs);

  it('matches the Okapi BM25 formula', () => {
    // Reference: Robertson-Sparck Jones idf with +1 (Lucene), avgdl over token counts after stop-word removal.
    const lengths = docs.map((d) => tokenize(d).length);
    const avg = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    const idf = Math.log(1 + (4 - 2 + 0.5) / (2 + 0.5));
    const score = (tf: number, len: number) => (idf * tf * 1.9) / (tf + 0.9 * (1 - 0.4 + (0.4 * len) / avg));
    const hits = index.search('pod', 10);
    expect(hits.map((h) => h.index)).toEqual([2, 0]);
    expect(hits[0]!.score).toBeCloseTo(score(3, lengths[2]!), 5);
    expect(hits[1]!.score).toBeCloseTo(score(1, lengths[0]!), 5);
  });

  it('filters and returns nothing for unknown terms', () => {
    expect(index.search('pod', 10, (i) => i !== 2).map((h) => h.index)).toEqual([0]);
    expect(index.search('zebra', 10)).toEqual([]);
  });
});

describe('topK and RRF', () => {
  it('topK equals a full sort', () => {
    const random = seededRandom(3);
    const scores = Array.from({ length: 5000 }, () => random());
    const expected = [...scores.keys()].sort((a, b) => scores[b]! - scores[a]!).slice(0, 25);
    expect(topK(scores.keys(), (i) => scores[i]!, 25).map((h) => h.index)).toEqual(expected);
  });

  it('fuses by reciprocal rank', () => {
    const fused = reciprocalRankFusion(
      [
        { items: [1, 2, 3], weight: 1 },
        { items: [3, 1], weight: 1 },
      ],
      60,
    );
    expect(fused[0]!.index).toBe(1);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 10);
    expect(fused.map((f) => f.index)).toEqual([1, 3, 2]);
  });
});

describe('randomized SVD', () => {
  it('finds the eigenvalues of a symmetric matrix', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect([...values].sort((a, b) => a - b).map((v) => Number(v.toFixed(6)))).toEqual([1, 3, 5]);
  });

  it('recovers the leading singular values of a low-rank matrix', () => {
    // A = u1 s1 v1^T + u2 s2 v2^T with orthonormal u, v: singular values s1=5, s2=2.
    const rows = 6;
    const u1 = [1, 1, 1, 1, 1, 1].map((x) => x / Math.sqrt(6));
    const u2 = [1, -1, 1, -1, 1, -1].map((x) => x / Math.sqrt(6));
    const v1 = [1, 1, 0, 0].map((x) => x / Math.sqrt(2));
    const v2 = [0, 0, 1, 1].map((x) => x / Math.sqrt(2));
    const columns = [0, 1, 2, 3].map((j) => {
      const col = Array.from({ length: rows }, (_, i) => 5 * u1[i]! * v1[j]! + 2 * u2[i]! * v2[j]!);
      return { ids: Int32Array.from(col.keys()), weights: Float32Array.from(col) };
    });
    const { singularValues, u, k } = randomizedSvd({ rows, columns }, 2, { seed: 1 });
    expect(k).toBe(2);
    expect(singularValues[0]).toBeCloseTo(5, 4);
    expect(singularValues[1]).toBeCloseTo(2, 4);
    const first = Array.from({ length: rows }, (_, i) => u[i * 2]!);
    expect(Math.abs(first.reduce((s, x, i) => s + x * u1[i]!, 0))).toBeCloseTo(1, 4);
  });
});

describe('LSA embedder and vector indexes', () => {
  const texts = [
    'pod restarts crash loop back off exit code',
    'container crash loop restarts after exit',
    'node memory pressure eviction kubelet',
    'kubelet evicts pods under node memory pressure',
    'tls certificate expired handshake',
    'renew the expired tls certificate with cert manager',
  ];

  it('places co-occurring words close and survives serialisation', async () => {
    const lsa = new LsaEmbedder({ dimensions: 3, minDocFreq: 1, maxVocabulary: 1000, seed: 7 });
    await lsa.fit(texts);
    const q = await lsa.embedQuery('certificate handshake');
    const docs = await lsa.embedDocuments(texts);
    const sims = docs.map((d) => d.reduce((s, x, i) => s + x * q[i]!, 0));
    const best = sims.indexOf(Math.max(...sims));
    expect([4, 5]).toContain(best);
    // "cert manager renew" page shares no word with the query but the same topic.
    expect(sims[5]!).toBeGreaterThan(sims[0]!);
    const restored = new LsaEmbedder({ dimensions: 3, minDocFreq: 1, maxVocabulary: 1000, seed: 7 });
    await restored.restore(lsa.serialize());
    expect(Array.from(await restored.embedQuery('certificate handshake'))).toEqual(Array.from(q));
  });

  it('HNSW agrees with exact search and round-trips through bytes', () => {
    const random = seededRandom(11);
    const dims = 16;
    const n = 2000;
    const vectors = new Float32Array(n * dims);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let d = 0; d < dims; d++) norm += (vectors[i * dims + d] = random() - 0.5) ** 2;
      for (let d = 0; d < dims; d++) vectors[i * dims + d]! /= Math.sqrt(norm);
    }
    const params = { connectivity: 16, expansionAdd: 128, expansionSearch: 128 };
    const hnsw = HnswVectorIndex.deserialize(
      HnswVectorIndex.build(vectors, dims, params).serialize(),
      dims,
      params,
      vectors,
    );
    const exact = new ExactVectorIndex(vectors, dims);
    let agree = 0;
    let selfFound = 0;
    for (let q = 0; q < 50; q++) {
      const query = vectors.slice(q * 37 * dims, (q * 37 + 1) * dims);
      const truth = new Set(exact.search(query, 10).map((h) => h.index));
      agree += hnsw.search(query, 10).filter((h) => truth.has(h.index)).length;
      selfFound += +(hnsw.search(query, 1)[0]!.index === q * 37);
    }
    expect(agree / 500).toBeGreaterThan(0.9);
    // Approximate search, built on all cores (insertion order varies run to run): a stored vector is almost always
    // its own nearest neighbour, not always.
    expect(selfFound).toBeGreaterThanOrEqual(47);
    expect(hnsw.search(vectors.slice(0, dims), 5, (i) => i % 2 === 1).every((h) => h.index % 2 === 1)).toBe(
      true,
    );
  });
});

describe('Bm25fIndex', () => {
  it('matches the BM25F formula: per-field normalised, weighted frequencies saturated once', () => {
    const fields = [
      { name: 'title', weight: 2, b: 0 },
      { name: 'body', weight: 1, b: 0.75 },
    ];
    const docs = [
      ['Pod restarts', 'the pod restarts when the probe fails'],
      ['Node pressure', 'eviction under memory pressure of a pod'],
      ['Certificates', 'tls expiry'],
    ];
    const index = new Bm25fIndex(fields, 1.2);
    index.build(docs);
    const bodyLens = docs.map((d) => tokenize(d[1]!).length);
    const avgBody = bodyLens.reduce((a, b) => a + b, 0) / 3;
    const tf = (title: number, body: number, len: number) =>
      2 * title + body / (1 - 0.75 + (0.75 * len) / avgBody);
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const score = (t: number) => (idf * t * 2.2) / (t + 1.2);
    const hits = index.search([{ term: 'pod', weight: 1 }], 10);
    expect(hits.map((h) => h.index)).toEqual([0, 1]);
    expect(hits[0]!.score).toBeCloseTo(score(tf(1, 1, bodyLens[0]!)), 5);
    expect(hits[1]!.score).toBeCloseTo(score(tf(0, 1, bodyLens[1]!)), 5);
    // A query term's weight scales its contribution.
    expect(index.search([{ term: 'pod', weight: 0.5 }], 1)[0]!.score).toBeCloseTo(hits[0]!.score / 2, 5);
  });
});

describe('query processing learned from the corpus', () => {
  const corpus = [
    'A PersistentVolumeClaim (PVC) is a request for storage. Role-based access control (RBAC) regulates access.',
    '| `services` | `svc` | v1 | true | Service |\n| `namespaces` | `ns` | v1 | false | Namespace |',
    'Use a Deployment to roll out changes. The deployment controller. A deployment rollout. kubectl rollout undo.',
    'kubectl kubectl kubectl namespace namespace namespace',
  ];

  it('learns abbreviations from parenthetical definitions and alias tables', () => {
    const learned = learnAbbreviations(corpus);
    expect(learned.get('pvc')).toEqual(['PersistentVolumeClaim']);
    expect(learned.get('rbac')).toEqual(['Role-based access control']);
    expect(learned.get('svc')).toEqual(['services']);
    expect(learned.get('ns')).toEqual(['namespaces']);
    expect(learned.has('is')).toBe(false);
  });

  it('corrects a word the corpus never uses to its most frequent neighbour within one edit', () => {
    const speller = new SpellingCorrector(corpus);
    expect(speller.correct('deploymnet')).toBe('deployment');
    expect(speller.correct('kubeclt')).toBe('kubectl');
    expect(speller.correct('namepsace')).toBe('namespace');
    expect(speller.correct('deployment')).toBeUndefined();
    expect(speller.correct('zebra')).toBeUndefined();
    expect(damerauWithinOne('abcd', 'abdc')).toBe(true);
    expect(damerauWithinOne('abcd', 'badc')).toBe(false);
  });

  it('adds expansions and corrections with lower weights than the typed words', () => {
    const analyzer = new QueryAnalyzer(corpus, { abbreviationWeight: 0.5, correctionWeight: 0.8 });
    const q = analyzer.analyze('pvc stuck after deploymnet');
    const weight = (t: string) => q.terms.find((x) => x.term === t)?.weight;
    expect(weight('pvc')).toBe(1);
    expect(weight('persistentvolumeclaim')).toBe(0.5);
    expect(weight(tokenize('deployment')[0]!)).toBe(0.8);
    expect(q.expansions.map((e) => e.word)).toEqual(['pvc', 'deploymnet']);
    const off = new QueryAnalyzer(corpus, { abbreviationWeight: 0, correctionWeight: 0 }).analyze(
      'pvc stuck after deploymnet',
    );
    expect(off.expansions).toEqual([]);
  });
});

describe('pageKind', () => {
  it('reads the kind of a page from its source and path', () => {
    expect(pageKind({ path: 'crash-loop-backoff.md', source: 'runbooks' })).toBe('runbook');
    expect(
      pageKind({ path: 'content/en/docs/reference/kubectl/generated/kubectl_wait/_index.md', source: 'x' }),
    ).toBe('generated');
    expect(pageKind({ path: 'content/en/docs/reference/access-authn-authz/rbac.md', source: 'x' })).toBe(
      'reference',
    );
    expect(pageKind({ path: 'content/en/docs/tasks/run-application/configure-pdb.md', source: 'x' })).toBe(
      'task',
    );
    expect(pageKind({ path: 'content/en/docs/concepts/workloads/pods/_index.md', source: 'x' })).toBe(
      'concept',
    );
  });
});
