import { describe, expect, it } from 'vitest';
import { assistantConfigSchema } from '../../config.js';
import { LsaEmbedder } from '../../embedders/LsaEmbedder.js';
import { indexedText, type Chunk } from '../../kb/Chunk.js';
import { KnowledgeIndex } from '../KnowledgeIndex.js';
import { tokenize } from '../tokenize.js';
import { generatedPage } from './generatedPage.js';
import { pageCoverage } from './pageCoverage.js';
import { PageReranker } from './PageReranker.js';
import { phraseInHeadings } from './phraseInHeadings.js';
import { phraseInPassage } from './phraseInPassage.js';
import { containsPhrase, type RerankCandidate, type RerankQuery } from './RerankFeature.js';
import { RERANK_FEATURES, type RerankWeights } from './rerankFeatures.js';
import { titleInQuestion } from './titleInQuestion.js';
import { questionForm } from '../questionForm.js';
import { questionFormKind } from './questionFormKind.js';

const terms = (text: string) => tokenize(text).join(' ');

function query(text: string, idf: Record<string, number> = {}): RerankQuery {
  const base = tokenize(text);
  return {
    terms: [...new Set(base)],
    phrases: base.slice(1).map((t, i) => `${base[i]} ${t}`),
    contextTerms: [],
    idf: (t) => idf[t] ?? 1,
  };
}

function page(over: Partial<RerankCandidate> & { title?: string } = {}): RerankCandidate {
  return {
    kind: 'concept',
    titleTerms: new Set(tokenize(over.title ?? '')),
    headingText: terms(over.title ?? ''),
    passageText: '',
    matchedTerms: new Set(),
    ...over,
  };
}

describe('rerank features', () => {
  it('finds word pairs as whole words only', () => {
    expect(containsPhrase('safely drain node', 'drain node')).toBe(true);
    expect(containsPhrase('safely drain nodes', 'drain node')).toBe(false);
    expect(containsPhrase('redrain node', 'drain node')).toBe(false);
  });

  it('phrase in the best passage counts pairs that stand together, not scattered words', () => {
    const q = query('drain node before maintenance');
    const together = page({ passageText: terms('Use kubectl drain node to evict pods before maintenance') });
    const scattered = page({ passageText: terms('A node can drain slowly; maintenance is before noon') });
    // "before" is a stop word: the pairs are "drain node" and "node maintenance".
    expect(phraseInPassage.score(q, together)).toBeCloseTo(1 / 2, 10);
    expect(phraseInPassage.score(q, scattered)).toBe(0);
    expect(phraseInPassage.needs).toEqual(['passageText']);
  });

  it('page coverage weights the terms found in the page by IDF', () => {
    const q = query('pod disruption budget', { pod: 0.5, disruption: 3, budget: 2.5 });
    expect(pageCoverage.score(q, page({ matchedTerms: new Set(['pod']) }))).toBeCloseTo(0.5 / 6, 10);
    expect(pageCoverage.score(q, page({ matchedTerms: new Set(['disruption', 'budget']) }))).toBeCloseTo(
      5.5 / 6,
      10,
    );
  });

  it('whole title in the question needs a title of two or more terms', () => {
    const q = query('kubeadm init flag for the pod network cidr');
    expect(titleInQuestion.score(q, page({ title: 'kubeadm init' }))).toBe(1);
    expect(titleInQuestion.score(q, page({ title: 'kubeadm join' }))).toBe(0);
    expect(titleInQuestion.score(q, page({ title: 'Pods' }))).toBe(0);
  });

  it('phrase in headings and the generated-page prior', () => {
    const q = query('pod disruption budget for zookeeper');
    expect(
      phraseInHeadings.score(q, page({ title: 'Specifying a Disruption Budget for your Application' })),
    ).toBeCloseTo(1 / 3, 10);
    expect(generatedPage.score(q, page({ kind: 'generated' }))).toBe(-1);
    expect(generatedPage.score(q, page({ kind: 'task' }))).toBe(0);
  });
});

describe('question form', () => {
  it('reads how-to and what-is forms from the words the tokenizer drops', () => {
    expect(questionForm('need to patch the OS tonight, how do I move all the pods off it first?')).toBe(
      'how-to',
    );
    expect(questionForm('steps to rotate the kubelet certificate')).toBe('how-to');
    expect(questionForm('What is Container runtime interface (CRI) in Kubernetes?')).toBe('what-is');
    expect(questionForm("why can't i kubectl get users")).toBe('what-is');
    expect(questionForm('podAntiAffinity vs topologySpreadConstraints for spreading replicas?')).toBe(
      'what-is',
    );
    expect(questionForm('kubectl flag to print the generated yaml')).toBeUndefined();
    expect(questionForm('whyml and reversus words')).toBeUndefined();
  });
  it('rewards the page kind that answers the form, and nothing without a form', () => {
    const howTo = { ...query('move pods off a node'), form: 'how-to' as const };
    const whatIs = { ...query('pod disruption'), form: 'what-is' as const };
    expect(questionFormKind.score(howTo, page({ kind: 'task' }))).toBe(1);
    expect(questionFormKind.score(howTo, page({ kind: 'concept' }))).toBe(0);
    expect(questionFormKind.score(whatIs, page({ kind: 'concept' }))).toBe(1);
    expect(questionFormKind.score(whatIs, page({ kind: 'task' }))).toBe(0);
    expect(questionFormKind.score(query('move pods off a node'), page({ kind: 'task' }))).toBe(0);
  });
});

describe('PageReranker', () => {
  const q = query('kubeadm init flag for the pod network cidr');
  const pages = [
    page({ title: 'Creating a cluster with kubeadm' }),
    page({ title: 'kubeadm init', kind: 'generated' }),
  ];
  const fused = [
    { index: 0, score: 0.03 },
    { index: 1, score: 0.029 },
  ];

  it('adds weighted features to the score normalised by the best, within the depth only', () => {
    const weights = { titleInQuestion: 0.1, generatedPage: 0.05 };
    const scores = new PageReranker(RERANK_FEATURES, weights).rerank(q, fused, 2, (p) => pages[p]!);
    expect(scores.get(0)).toBeCloseTo(0.03, 10);
    expect(scores.get(1)).toBeCloseTo(0.03 * (0.029 / 0.03 + 0.1 - 0.05), 10);
    expect(scores.get(1)!).toBeGreaterThan(scores.get(0)!);
    const shallow = new PageReranker(RERANK_FEATURES, weights).rerank(q, fused, 1, (p) => pages[p]!);
    expect(shallow.get(1)).toBe(0.029);
  });

  it('gathers costly candidate fields only for an active feature that reads them', () => {
    expect(new PageReranker(RERANK_FEATURES, { titleInQuestion: 1 }).needs('matchedTerms')).toBe(false);
    expect(new PageReranker(RERANK_FEATURES, { pageCoverage: 1 }).needs('matchedTerms')).toBe(true);
    expect(new PageReranker(RERANK_FEATURES, { phraseInPassage: 1 }).needs('passageText')).toBe(true);
  });

  it('has one feature per name in the registry', () => {
    const names = RERANK_FEATURES.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('KnowledgeIndex with the reranker', () => {
  const doc = (path: string, title: string, texts: string[], source = 'docs'): Chunk[] =>
    texts.map((text, i) => ({
      id: `${path}#${i}`,
      path,
      title,
      section: i ? `Part ${i}` : '',
      text,
      source,
    }));
  const chunks = [
    ...doc('content/en/docs/reference/setup-tools/kubeadm/generated/kubeadm_init/_index.md', 'kubeadm init', [
      'Run this command in order to set up the control plane. Options: --pod-network-cidr string, the range of addresses.',
    ]),
    ...doc(
      'content/en/docs/setup/production-environment/tools/kubeadm/create-cluster-kubeadm.md',
      'Creating a cluster with kubeadm',
      [
        'Install a pod network add-on so your pods can talk. The pod network must not overlap host networks.',
        'Pass the pod network cidr flag when you run kubeadm init with a network plugin that needs it.',
      ],
    ),
    ...doc('content/en/docs/concepts/cluster-administration/networking.md', 'Cluster networking', [
      'Every pod gets its own address; the network model has no NAT between pods on different nodes.',
      'Network plugins implement the pod network; the cidr of pods is set on the control plane.',
    ]),
    ...doc('content/en/docs/tasks/administer-cluster/safely-drain-node.md', 'Safely drain a node', [
      'Use kubectl drain to evict pods from a node before maintenance such as a kernel upgrade.',
    ]),
  ];

  async function build(): Promise<KnowledgeIndex> {
    const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
    const lsa = new LsaEmbedder({ dimensions: 3, minDocFreq: 1, maxVocabulary: 1000, seed: 7 });
    await lsa.fit(chunks.map(indexedText));
    const vectors = new Float32Array(chunks.length * 3);
    (await lsa.embedDocuments(chunks.map(indexedText))).forEach((v, i) => vectors.set(v, i * 3));
    return new KnowledgeIndex(chunks, vectors, 3, lsa, config.retrieval);
  }

  it('puts the page the question names by its whole title first, which the first stage alone does not', async () => {
    const index = await build();
    const question = 'kubeadm init flag for the pod network cidr';
    const off = Object.fromEntries(RERANK_FEATURES.map((f) => [f.name, 0])) as RerankWeights;
    const firstStage = await index.withTuning({ rerank: off }).search(question, 5);
    const reranked = await index.search(question, 5);
    expect(firstStage[0]!.chunk.title).not.toBe('kubeadm init');
    expect(reranked[0]!.chunk.title).toBe('kubeadm init');
  });
});

describe('KnowledgeIndex with the question-form page kind', () => {
  const text =
    'Drain a node to evict its pods safely before maintenance; cordon marks the node unschedulable first.';
  const chunks: Chunk[] = [
    {
      id: 'c#0',
      path: 'content/en/docs/concepts/architecture/node-drain.md',
      title: 'Node drain',
      section: '',
      text,
      source: 'docs',
    },
    {
      id: 't#0',
      path: 'content/en/docs/tasks/administer-cluster/node-drain.md',
      title: 'Node drain',
      section: '',
      text,
      source: 'docs',
    },
    {
      id: 'o#0',
      path: 'content/en/docs/concepts/storage/volumes.md',
      title: 'Volumes',
      section: '',
      text: 'A volume outlives its container.',
      source: 'docs',
    },
  ];
  it('puts the task page first for "how do I" and the concept page for "what is" when the text cannot tell them apart', async () => {
    const config = assistantConfigSchema.parse({ embedder: { kind: 'lsa' } });
    const lsa = new LsaEmbedder({ dimensions: 2, minDocFreq: 1, maxVocabulary: 1000, seed: 7 });
    await lsa.fit(chunks.map(indexedText));
    const vectors = new Float32Array(chunks.length * 2);
    (await lsa.embedDocuments(chunks.map(indexedText))).forEach((v, i) => vectors.set(v, i * 2));
    const index = new KnowledgeIndex(chunks, vectors, 2, lsa, config.retrieval);
    const first = async (ix: KnowledgeIndex, q: string) => (await ix.search(q, 2))[0]!.chunk.path;
    expect(await first(index, 'how do I drain a node')).toContain('/tasks/');
    expect(await first(index, 'what is a node drain')).toContain('/concepts/');
    const off = index.withTuning({ rerank: { questionFormKind: 0 } });
    expect(await first(off, 'how do I drain a node')).toBe(await first(off, 'what is a node drain'));
  });
});
