import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../apiserver/ObjectStore.js';
import { PodRoster, type RosterPod } from './PodRoster.js';

const pod = (name: string, phase = 'Running', nodeName = 'sim-node-1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop', labels: { app: 'cart' } },
  spec: nodeName ? { nodeName } : {},
  status: { phase },
});

/** Each slot's shares at t, summed over the pods carrying it then. */
function slotTotals(pods: readonly RosterPod[], t: number, slots: number): number[] {
  const totals = new Array<number>(slots).fill(0);
  for (const p of pods)
    for (const part of p.parts) if (part.from <= t && t < part.to) totals[part.slot]! += part.share;
  return totals;
}

describe('PodRoster', () => {
  it('keeps every slot carried exactly once while pods come and go, and records when each ran', () => {
    const store = new ObjectStore();
    let now = 1000;
    store.create('/pods', pod('cart-a'));
    store.create('/pods', pod('cart-b'));
    store.create('/pods', pod('cart-pending', 'Pending', ''));
    const roster = new PodRoster({
      store,
      namespace: 'shop',
      services: [{ name: 'cart', replicas: 2 }],
      now: () => now,
    });
    expect(roster.pods().map((p) => p.name)).toEqual(['cart-a', 'cart-b']);
    expect(slotTotals(roster.pods(), 0, 2)).toEqual([1, 1]);

    now = 1100; // A third pod: it shares a slot, the others keep theirs.
    store.create('/pods', pod('cart-c'));
    expect(slotTotals(roster.pods(), 1100, 2)).toEqual([1, 1]);
    expect(roster.pods().find((p) => p.name === 'cart-c')!.start).toBe(1100);

    now = 1200; // Two leave: the last one carries both slots.
    store.delete('/pods', 'shop', 'cart-a');
    const b = store.get('/pods', 'shop', 'cart-b')!;
    store.update('/pods', { ...b, status: { phase: 'Failed' } });
    const pods = roster.pods();
    expect(slotTotals(pods, 1200, 2)).toEqual([1, 1]);
    expect(slotTotals(pods, 1150, 2)).toEqual([1, 1]);
    expect(pods.find((p) => p.name === 'cart-a')!.end).toBe(1200);
    expect(pods.find((p) => p.name === 'cart-c')!.parts.filter((p) => p.to === Infinity)).toHaveLength(2);

    now = 1300; // The pending pod is scheduled and starts: it takes a slot from the one carrying two.
    const pending = store.get('/pods', 'shop', 'cart-pending')!;
    store.update('/pods', { ...pending, spec: { nodeName: 'sim-node-2' }, status: { phase: 'Running' } });
    const later = roster.pods();
    expect(slotTotals(later, 1300, 2)).toEqual([1, 1]);
    expect(later.find((p) => p.name === 'cart-pending')).toMatchObject({ node: 'sim-node-2', start: 1300 });
    roster.stop();
  });
});
