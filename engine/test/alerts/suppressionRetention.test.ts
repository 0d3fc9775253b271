import { describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';
import type { Store } from '../../src/store/Store.js';

/**
 * Suppression windows end: an expired one is listed (status `expired`) for Alertmanager's default retention of expired
 * silences, 120 h after it ended, then forgotten; it is never checked against an alert again once over. A restart that
 * replays the log (windows, their expiries, deliveries) ends in the same state as the engine that wrote it.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-01T09:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('suppression windows after they end: listed for 120 h, then forgotten, the same after a replay', () => {
  function engine(store: Store, clock: { now: number }, suppressions: unknown[] = []): AlertService {
    return new AlertService({
      store,
      config: alertsConfigSchema.parse({
        autoRca: false,
        suppressions,
        pagingRules: [{ matchers: [], page: true }],
      }),
      edges: async () => [],
      now: () => clock.now,
    });
  }
  const windowFor = (service: string, startsAt: number, endsAt: number) => ({
    kind: 'maintenance',
    matchers: [`service="${service}"`],
    startsAt: iso(startsAt),
    endsAt: iso(endsAt),
    reason: service,
  });
  /** The mute of a new firing alert of `service`, as its incident lists it. */
  async function muteOf(service: AlertService, labels: Record<string, string>) {
    const result = await service.ingestGeneric({ alerts: [{ labels }] });
    const incident = await service.getIncident(result.incidents[0]!);
    return incident.alerts.find((a) => a.labels.service === labels.service)!.muted;
  }

  it('lists an ended window as expired for 120 h, forgets it after, and a current window still mutes', async () => {
    const store = new MemoryStore();
    const clock = { now: T0 };
    const config = [windowFor('config-old', T0 - 2 * DAY, T0 - DAY)];
    const live = engine(store, clock, config);
    await live.start({ tick: false });
    const search = await live.addSuppression(windowFor('search', T0, T0 + HOUR));
    const cart = await live.addSuppression(windowFor('cart', T0, T0 + 2 * HOUR));
    clock.now = T0 + 30 * 60_000;
    expect(await muteOf(live, { alertname: 'Down', service: 'cart', n: '1' })).toMatchObject({
      kind: 'maintenance',
    });
    await live.expireSuppression(cart.id);

    // A day on: both ended, both listed as expired (one ended early by DELETE), and neither mutes.
    clock.now = T0 + DAY;
    expect((await live.suppressions()).map((w) => [w.reason, w.status])).toEqual([
      ['config-old', 'expired'],
      ['search', 'expired'],
      ['cart', 'expired'],
    ]);
    expect(await muteOf(live, { alertname: 'Down', service: 'search', n: '2' })).toBeUndefined();

    // Six days on: every one of them ended more than 120 h ago. A new window mutes; the old ones are gone.
    clock.now = T0 + 6 * DAY;
    const payments = await live.addSuppression(windowFor('payments', clock.now - HOUR, clock.now + HOUR));
    expect(await muteOf(live, { alertname: 'Down', service: 'payments', n: '3' })).toMatchObject({
      kind: 'maintenance',
      detail: expect.stringContaining(payments.id),
    });
    const listed = await live.suppressions();
    expect(listed.map((w) => [w.id, w.status])).toEqual([[payments.id, 'active']]);
    await expect(live.expireSuppression(search.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(live.state.suppressions().map((w) => w.id)).toEqual([payments.id]);
    live.stop();

    // A restart replays every window and expiry of the log: the same list, the same mutes, the old ones not kept.
    const replayed = engine(store, clock, config);
    await replayed.start({ tick: false });
    expect(await replayed.suppressions()).toEqual(listed);
    expect(await muteOf(replayed, { alertname: 'Down', service: 'payments', n: '4' })).toMatchObject({
      kind: 'maintenance',
    });
    expect(await muteOf(replayed, { alertname: 'Down', service: 'cart', n: '5' })).toBeUndefined();
    expect(replayed.state.suppressions().map((w) => w.id)).toEqual([payments.id]);
    replayed.stop();
  });
});
