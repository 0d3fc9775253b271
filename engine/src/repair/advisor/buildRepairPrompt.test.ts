import { describe, expect, it } from 'vitest';
import type { Finding } from '../types.js';
import { choicePrompt, proposalPrompt } from './buildRepairPrompt.js';

const finding: Finding = {
  fingerprint: 'f1',
  type: 'CrashLoopBackOff',
  object: { kind: 'Pod', namespace: 'shop', name: 'cart-1' },
  owners: [
    { kind: 'ReplicaSet', namespace: 'shop', name: 'cart-abc' },
    { kind: 'Deployment', namespace: 'shop', name: 'cart' },
  ],
  workload: { kind: 'Deployment', namespace: 'shop', name: 'cart' },
  evidence: {
    statuses: ['container app: waiting CrashLoopBackOff (restarts 9)'],
    events: [],
    logTail: [
      'connecting to postgres://cart:hunter2@db:5432/cart',
      'Authorization: Bearer abcdefghijklmnop1234',
    ],
  },
  since: '2025-03-01T11:00:00Z',
  heldSeconds: 3600,
  severity: 'critical',
  message: 'cart-1 crash-loops',
  details: {},
};

describe('buildRepairPrompt', () => {
  it('sends the evidence without secrets and without the clock, so the same condition gives the same prompt', () => {
    const p = proposalPrompt(finding);
    expect(p.prompt).toContain('Finding: CrashLoopBackOff (critical) on Pod/shop/cart-1');
    expect(p.prompt).not.toContain('hunter2');
    expect(p.prompt).not.toContain('abcdefghijklmnop1234');
    expect(proposalPrompt({ ...finding, heldSeconds: 7200 })).toEqual(p);
    expect(p.system).toContain('"raise-memory-limit"');
  });

  it('numbers the rules candidates from 1, one per rule', () => {
    const base = {
      mode: 'approve' as const,
      ruleVersion: 1,
      findingFingerprint: 'f1',
      reason: 'r',
      params: {},
    };
    const pod = (name: string) => ({
      ...base,
      type: 'restart-pod' as const,
      target: { kind: 'Pod', namespace: 'shop', name },
      ruleId: 'a',
    });
    const p = choicePrompt(finding, [
      { ruleId: 'a', actions: [pod('cart-1'), pod('cart-2')] },
      {
        ruleId: 'b',
        actions: [
          { ...base, type: 'rollback', target: finding.workload, params: { toRevision: 3 }, ruleId: 'b' },
        ],
      },
    ]);
    // One rule's actions (two pods within its blast radius) are one candidate.
    expect(p.prompt).toMatch(
      /1\. restart-pod on Pod\/cart-1 params \{\}; restart-pod on Pod\/cart-2 params \{\} \(rule a: r\)/,
    );
    expect(p.prompt).toMatch(/2\. rollback on Deployment\/cart params \{"toRevision":3\} \(rule b: r\)/);
  });
});
