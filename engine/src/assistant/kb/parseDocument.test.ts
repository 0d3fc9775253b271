import { describe, expect, it } from 'vitest';
import { chunkingConfigSchema } from '../config.js';
import { chunkDocument, splitLong } from './chunkDocument.js';
import { parseDocument } from './parseDocument.js';

const md = `---
title: Assigning Pods to Nodes
description: How to constrain a {{< glossary_tooltip text="Pod" term_id="pod" >}} to nodes.
weight: 20
---

<!-- overview -->
You can constrain a {{< glossary_tooltip text="Pod" term_id="pod" >}} to run on particular {{< glossary_tooltip term_id="node" >}}s.

{{< feature-state for_k8s_version="v1.27" state="beta" >}}

## Node affinity {#node-affinity}

{{< note >}}
Affinity is more expressive than nodeSelector.
{{< /note >}}

{{% code_sample file="pods/pod-with-node-affinity.yaml" %}}

\`\`\`shell
# not a heading inside code
kubectl get nodes --show-labels
\`\`\`

### Weights

See [the scheduler](/docs/concepts/scheduling/) for **weights**.
`;

describe('parseDocument (Markdown)', () => {
  const includes: Record<string, string> = {
    'pods/pod-with-node-affinity.yaml': 'apiVersion: v1\nkind: Pod\n',
  };
  const doc = parseDocument(md, 'markdown', { fallbackTitle: 'x', resolveInclude: (f) => includes[f] });

  it('reads front matter title and description', () => {
    expect(doc.title).toBe('Assigning Pods to Nodes');
    expect(doc.description).toBe('How to constrain a Pod to nodes.');
    expect(doc.frontMatter.weight).toBe(20);
  });

  it('expands shortcodes: tooltips keep text, includes inline the file, markers vanish', () => {
    const all = doc.sections.map((s) => s.text).join('\n');
    expect(all).toContain('You can constrain a Pod to run on particular nodes.');
    expect(all).toContain('(feature state: beta since v1.27)');
    expect(all).toContain('kind: Pod');
    expect(all).toContain('Affinity is more expressive than nodeSelector.');
    expect(all).not.toMatch(/\{\{|<!--/);
  });

  it('splits by headings with explicit anchors and never at a # inside code', () => {
    const affinity = doc.sections.find((s) => s.headings.join('>') === 'Node affinity');
    expect(affinity?.anchor).toBe('node-affinity');
    expect(affinity?.text).toContain('# not a heading inside code');
    const weights = doc.sections.find((s) => s.headings.join('>') === 'Node affinity>Weights');
    expect(weights?.anchor).toBe('weights');
    expect(weights?.text).toBe('See the scheduler for weights.');
  });

  it('rejects broken front matter with a clear message', () => {
    expect(() =>
      parseDocument('---\ntitle: [unclosed\n---\nbody', 'markdown', { fallbackTitle: 'x' }),
    ).toThrow(/broken front matter/);
    expect(() =>
      parseDocument('---\ntitle: x\nbody without end', 'markdown', { fallbackTitle: 'x' }),
    ).toThrow(/never closed/);
  });
});

describe('parseDocument (HTML and text)', () => {
  it('uses <title>, headings as sections, drops scripts and tags, decodes entities', () => {
    const html = `<html><head><title>Ops guide</title><script>alert(1)</script></head><body>
      <h1>Ops guide</h1><p>Intro &amp; scope.</p><h2>Restarting</h2><p>Use <code>kubectl rollout restart</code>.</p>
      <pre>kubectl get pods</pre></body></html>`;
    const doc = parseDocument(html, 'html', { fallbackTitle: 'x' });
    expect(doc.title).toBe('Ops guide');
    const restarting = doc.sections.find((s) => s.headings.at(-1) === 'Restarting');
    expect(restarting?.text).toContain('Use kubectl rollout restart.');
    expect(restarting?.text).toContain('kubectl get pods');
    expect(doc.sections.map((s) => s.text).join(' ')).not.toContain('alert(1)');
    expect(doc.sections[0]!.text).toContain('Intro & scope.');
  });

  it('treats plain text as one section titled by the file name', () => {
    const doc = parseDocument('just text', 'text', { fallbackTitle: 'notes' });
    expect(doc).toMatchObject({ title: 'notes', sections: [{ headings: [], text: 'just text' }] });
  });
});

describe('chunkDocument', () => {
  const config = chunkingConfigSchema.parse({ maxChars: 300, overlapChars: 80, minChars: 40 });

  it('keeps heading path, anchor URL and page title on every chunk, and overlaps long sections', () => {
    const paragraphs = Array.from(
      { length: 8 },
      (_, i) => `Paragraph ${i} says something about probes and restarts number ${i}.`,
    );
    const doc = parseDocument(
      `---\ntitle: Probes\n---\n## Liveness\n\n${paragraphs.join('\n\n')}\n`,
      'markdown',
      {
        fallbackTitle: 'x',
      },
    );
    const chunks = chunkDocument(doc, { path: 'probes.md', source: 's', url: 'https://x/probes/' }, config);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c).toMatchObject({
        title: 'Probes',
        section: 'Liveness',
        url: 'https://x/probes/#liveness',
        path: 'probes.md',
      });
      expect(c.text.length).toBeLessThanOrEqual(300 + 80);
    }
    // The overlap repeats the end of a chunk at the start of the next.
    const lastOfFirst = chunks[0]!.text.split('\n\n').at(-1)!;
    expect(chunks[1]!.text.startsWith(lastOfFirst)).toBe(true);
    // Every paragraph is somewhere.
    for (const p of paragraphs) expect(chunks.some((c) => c.text.includes(p))).toBe(true);
  });

  it('merges a section shorter than minChars into the next one', () => {
    const doc = parseDocument('## A\n\nshort\n\n## B\n\n' + 'long enough text '.repeat(5), 'markdown', {
      fallbackTitle: 't',
    });
    const chunks = chunkDocument(doc, { path: 'p.md', source: 's' }, config);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text).toContain('short');
    expect(chunks[0]!.text).toContain('long enough text');
  });

  it('cuts a single over-long paragraph at sentence ends', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence ${i} is here.`).join(' ');
    const pieces = splitLong(text, 120, 0);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(120);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toContain('Sentence 29 is here.');
  });
});
