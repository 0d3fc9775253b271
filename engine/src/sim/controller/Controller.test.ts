import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../apiserver/ObjectStore.js';
import { FaultLedger } from '../faults.js';
import { Controller } from './Controller.js';
import { rollingBounds, templateHash } from './DeploymentController.js';
import { bumpVersion, splitImage } from './faultRollouts.js';
import { parseQuantity } from './quantity.js';
import { seedShop } from './seedShop.js';

describe('Controller', () => {
  it('brings the seeded shop to all-ready and then stops writing', () => {
    const store = new ObjectStore();
    seedShop(store);
    const controller = new Controller({ store, ledger: new FaultLedger() });
    controller.step(6);
    const pods = store.list('/pods', 'shop');
    expect(pods).toHaveLength(21);
    const ready = (p: (typeof pods)[number]) =>
      ((p['status'] as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some(
        (c) => c.type === 'Ready' && c.status === 'True',
      );
    expect(pods.every(ready)).toBe(true);
    const version = store.resourceVersion;
    controller.step(5);
    expect(store.resourceVersion).toBe(version);
  });

  it('expires events an hour after they were last seen', () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new ObjectStore();
    seedShop(store);
    const controller = new Controller({ store, ledger: new FaultLedger(), clock: () => now });
    controller.step(6);
    const before = store.list('/events', 'shop').length;
    expect(before).toBeGreaterThan(50);
    now += 2 * 3600 * 1000;
    controller.step(60 - (controller.tick % 60));
    expect(store.list('/events', 'shop')).toHaveLength(0);
  });

  it('forgets the logs of pods deleted outright', () => {
    const store = new ObjectStore();
    seedShop(store);
    const controller = new Controller({ store, ledger: new FaultLedger() });
    controller.step(6);
    const pod = store.list('/pods', 'shop')[0]!;
    const container = (pod['spec'] as { containers: Array<{ name: string }> }).containers[0]!.name;
    expect(controller.logs.lines('shop', pod.metadata.name, container, false)!.length).toBeGreaterThan(0);
    store.delete('/pods', 'shop', pod.metadata.name);
    controller.step(60 - (controller.tick % 60));
    expect(controller.logs.lines('shop', pod.metadata.name, container, false)).toEqual([]);
    expect(controller.logs.lines('shop', pod.metadata.name, container, true)).toBeUndefined();
  });

  it('uses the same names for the same seed and different ones for another seed', () => {
    const names = (seed: number) => {
      const store = new ObjectStore();
      seedShop(store);
      new Controller({ store, ledger: new FaultLedger(), seed }).step(2);
      return store
        .list('/pods', 'shop')
        .map((p) => p.metadata.name)
        .sort();
    };
    expect(names(3)).toEqual(names(3));
    expect(names(3)).not.toEqual(names(4));
  });
});

describe('rollout arithmetic', () => {
  it('rounds maxSurge up and maxUnavailable down, and never lets both be zero', () => {
    const spec = (replicas: number, maxSurge?: number | string, maxUnavailable?: number | string) =>
      ({
        replicas,
        selector: {},
        template: { spec: {} },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } },
      }) as never;
    expect(rollingBounds(spec(2))).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(rollingBounds(spec(10))).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(rollingBounds(spec(4, 0, 0))).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(rollingBounds(spec(4, '50%', 1))).toEqual({ maxSurge: 2, maxUnavailable: 1 });
  });

  it('hashes templates independently of key order', () => {
    expect(templateHash({ a: 1, b: { c: [1, 2] } })).toBe(templateHash({ b: { c: [1, 2] }, a: 1 }));
    expect(templateHash({ a: 1 })).not.toBe(templateHash({ a: 2 }));
    // kubectl rollout undo sends the template back as Go marshals it: `creationTimestamp: null`, zero values omitted
    expect(
      templateHash({
        metadata: { labels: { app: 'x' }, creationTimestamp: null },
        spec: { probe: { delay: 0, port: 80 } },
      }),
    ).toBe(templateHash({ metadata: { labels: { app: 'x' } }, spec: { probe: { port: 80 } } }));
    expect(templateHash({ spec: { probe: { port: 80 } } })).not.toBe(
      templateHash({ spec: { probe: { port: 81 } } }),
    );
  });

  it('bumps image versions and parses quantities', () => {
    expect(splitImage('ghcr.io/x/y:1.4.2')).toEqual({ repo: 'ghcr.io/x/y', tag: '1.4.2' });
    expect(splitImage('localhost:5000/y')).toEqual({ repo: 'localhost:5000/y', tag: 'latest' });
    expect(bumpVersion('1.4.2')).toBe('1.4.3');
    expect(bumpVersion('latest')).toBe('latest-next');
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('abc')).toBeNaN();
  });
});
