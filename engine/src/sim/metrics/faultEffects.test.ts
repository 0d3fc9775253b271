import { describe, expect, it } from 'vitest';
import type { Fault } from '../faults.js';
import { SHOP_SERVICES } from '../shop.js';
import { HEALTHY, OWN_EFFECTS, podStates, type PodRef } from './faultEffects.js';

const pods: PodRef[] = SHOP_SERVICES.flatMap((s) =>
  Array.from({ length: s.replicas }, (_, i) => ({
    service: s.name,
    pod: `${s.name}-${i}`,
    node: `node-${(i % 3) + 1}`,
  })),
);
const fault = (f: Partial<Fault> & Pick<Fault, 'type' | 'service'>): Fault => ({
  id: 'f',
  namespace: 'shop',
  startedAt: 0,
  ...f,
});

describe('podStates', () => {
  it('leaves every pod healthy without faults', () => {
    for (const state of podStates([], SHOP_SERVICES, pods).values()) expect(state).toEqual(HEALTHY);
  });

  it('applies the own effect to every pod of the faulty service', () => {
    const states = podStates([fault({ type: 'cpu-hog', service: 'ads' })], SHOP_SERVICES, pods);
    for (const pod of ['ads-0', 'ads-1']) {
      for (const [field, value] of Object.entries(OWN_EFFECTS['cpu-hog'])) {
        expect(states.get(pod)![field as keyof typeof HEALTHY], `${pod} ${field}`).toBeCloseTo(value, 12);
      }
    }
    expect(states.get('cart-0')).toEqual(HEALTHY);
  });

  it('weakens errors hop by hop towards the callers', () => {
    const states = podStates([fault({ type: 'crash-loop', service: 'payment' })], SHOP_SERVICES, pods);
    const e = (pod: string) => states.get(pod)!.errorDelta;
    expect(e('payment-0')).toBeCloseTo(OWN_EFFECTS['crash-loop'].errorDelta, 12);
    expect(e('checkout-0')).toBeCloseTo(0.5 * e('payment-0'), 12);
    expect(e('frontend-0')).toBeCloseTo(0.5 * e('checkout-0'), 12);
    expect(e('cart-0')).toBe(0);
  });

  it('takes down the pods on a NotReady node and loads their siblings', () => {
    const states = podStates(
      [fault({ type: 'node-not-ready', service: 'cart', node: 'node-2' })],
      SHOP_SERVICES,
      pods,
    );
    expect(states.get('cart-1')!.errorDelta).toBeGreaterThan(0.5); // node-2
    expect(states.get('cart-0')!.congestionFactor).toBeGreaterThan(1); // survivor on node-1
    expect(states.get('email-0')!.errorDelta).toBe(0); // email has one pod, on node-1, and calls nobody
  });

  it('falls back to half the faulty service pods for an unknown node', () => {
    const states = podStates(
      [fault({ type: 'node-not-ready', service: 'frontend', node: 'elsewhere' })],
      SHOP_SERVICES,
      pods,
    );
    const down = ['frontend-0', 'frontend-1', 'frontend-2'].filter((p) => states.get(p)!.errorDelta > 0.5);
    expect(down).toHaveLength(1);
  });
});
