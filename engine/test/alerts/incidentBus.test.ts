import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IncidentBus, type IncidentEvent } from '../../src/alerts/IncidentBus.js';
import { RedisStore } from '../../src/store/RedisStore.js';
import { startRedis, type RedisServer } from '../support/index.js';

const event = (id: string, type = 'updated'): IncidentEvent => ({
  type,
  incident: {
    id,
    status: 'open',
    title: `incident ${id}`,
    severity: 'critical',
    services: ['checkout'],
    alertCount: 1,
  },
  at: '2026-12-06T23:00:00.000Z',
});

describe('IncidentBus on Redis pub/sub', () => {
  let redis: RedisServer;
  let publisher: RedisStore;
  let subscriber: RedisStore;
  beforeAll(async () => {
    redis = await startRedis();
    publisher = new RedisStore({ url: redis.url, keyPrefix: 'bus:' });
    subscriber = new RedisStore({ url: redis.url, keyPrefix: 'bus:' });
  }, 30_000);
  afterAll(async () => {
    await publisher?.close();
    await subscriber?.close();
    await redis?.stop();
  });

  it('hands a subscriber on another connection every event of one step, in order, and single events of older replicas', async () => {
    const received: IncidentEvent[] = [];
    const unsubscribe = await new IncidentBus(subscriber).subscribe((e) => received.push(e));
    try {
      const step = Array.from({ length: 50 }, (_, i) => event(`inc-${i}`));
      new IncidentBus(publisher).publish(...step);
      new IncidentBus(publisher).publish();
      // A replica of the previous version publishes one event per message.
      await publisher.publish('alerts:incident-events', JSON.stringify(event('inc-old', 'opened')));
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(51);
      expect(received).toEqual([...step, event('inc-old', 'opened')]);
    } finally {
      await unsubscribe();
    }
  }, 30_000);
});
