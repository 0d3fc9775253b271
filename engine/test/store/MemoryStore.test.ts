import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import { createStore } from '../../src/store/createStore.js';
import { describeStoreContract } from './storeContract.js';

describeStoreContract('MemoryStore', async () => new MemoryStore());

describe('MemoryStore', () => {
  it('expires against the clock it is given', async () => {
    let now = 1_000;
    const store = new MemoryStore(() => now);
    await store.set('k', 'v', { ttlSeconds: 10 });
    now += 9_999;
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.get('k')).toBeNull();
  });

  it('is what createStore builds for kind memory, and refuses use after close', async () => {
    const store = await createStore({ kind: 'memory' });
    expect(store.kind).toBe('memory');
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((await store.check()).ok).toBe(false);
  });
});
