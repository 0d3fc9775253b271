import { describe, expect, it } from 'vitest';
import { ObjectStore } from './ObjectStore.js';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' } });

describe('ObjectStore and WatchHub', () => {
  it('assigns one monotonic resourceVersion across resources and replays history after a version', () => {
    const store = new ObjectStore();
    const a = store.create('/pods', pod('a'));
    const b = store.create('apps/deployments', { metadata: { name: 'd', namespace: 'ns' } });
    const a2 = store.update('/pods', { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    expect(Number(a2.metadata.resourceVersion)).toBeGreaterThan(Number(b.metadata.resourceVersion));
    const replay = store.hub.since(Number(a.metadata.resourceVersion))!;
    expect(replay.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED']);
    expect(replay[1]!.previous?.metadata.labels).toBeUndefined();
  });

  it('refuses a stale resourceVersion with Conflict and a duplicate name with AlreadyExists', () => {
    const store = new ObjectStore();
    const a = store.create('/pods', pod('a'));
    store.update('/pods', a);
    expect(() => store.update('/pods', a)).toThrow(/has been modified/);
    expect(() => store.create('/pods', pod('a'))).toThrow(/already exists/);
  });

  it('dry run answers without storing or publishing', () => {
    const store = new ObjectStore();
    const seen: string[] = [];
    store.hub.subscribe((e) => seen.push(e.type));
    const created = store.create('/pods', pod('a'), { dryRun: true });
    expect(created.metadata.uid).toBeTruthy();
    expect(store.get('/pods', 'ns', 'a')).toBeUndefined();
    expect(seen).toEqual([]);
  });

  it('reports versions older than the retained history as gone', () => {
    const store = new ObjectStore({ historyCapacity: 3 });
    for (let i = 0; i < 10; i++) store.create('/pods', pod(`p${i}`));
    expect(store.hub.since(2)).toBeUndefined();
    expect(store.hub.since(8)!.length).toBe(2);
  });
});
