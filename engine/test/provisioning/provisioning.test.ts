import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { requireBinary } from '../support/index.js';

const provisioning = resolve(import.meta.dirname, '..', '..', '..', 'provisioning');

describe('provisioning', () => {
  it('has a Prometheus config and rules that promtool accepts', () => {
    const promtool = requireBinary('/usr/bin/promtool', 'prometheus');
    const output = execFileSync(
      promtool,
      ['check', 'config', resolve(provisioning, 'prometheus', 'prometheus.yml')],
      {
        encoding: 'utf8',
      },
    );
    expect(output).toMatch(/SUCCESS: 8 rules found/);
  });

  it('has Kubernetes manifests that parse, with RBAC for reading workloads and holding the repair lease', () => {
    // The kustomize base (test/provisioning/kubernetes.test.ts validates it and its overlays in depth).
    const base = resolve(provisioning, 'kubernetes', 'base');
    const text = readdirSync(base)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .map((f) => readFileSync(resolve(base, f), 'utf8'))
      .join('\n---\n');
    const docs = parseAllDocuments(text)
      .filter((d) => d.contents !== null)
      .map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS() as {
          kind: string;
          metadata: { name: string };
          rules?: Array<{ resources: string[]; verbs: string[] }>;
        };
      });
    const kinds = docs.map((d) => d.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['ServiceAccount', 'ClusterRole', 'Deployment', 'Service', 'ConfigMap']),
    );
    const read = docs.find((d) => d.metadata.name === 'aicloudops-engine-read')!;
    expect(read.rules!.some((r) => r.resources.includes('pods/log') && r.verbs.includes('get'))).toBe(true);
    const leases = docs.find((d) => d.metadata.name === 'aicloudops-engine-leases')!;
    expect(leases.rules![0]!.verbs).toContain('update');
  });
});
