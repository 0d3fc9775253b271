import { describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { labelsFingerprint } from '../../src/alerts/fingerprint.js';
import { configSchema } from '../../src/config/schema.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

/**
 * The inhibition stage keeps its sources indexed by their `equal` values, and only while they fire; a restart rebuilds
 * the index by replaying the log. The replay must mute what the live run muted, across a source that resolved and a
 * graph change that gave a `job`-named source a service (and so a new key).
 */
const alerts = configSchema.parse({ alerts: { autoRca: false, topologyRefreshSeconds: 60 } }).alerts;
const T0 = Date.parse('2026-01-05T10:00:00Z');

const labels = {
  paymentsCritical: { alertname: 'HighErrorRate', severity: 'critical', namespace: 'shop', job: 'payments' },
  paymentsWarning: { alertname: 'HighErrorRate', severity: 'warning', namespace: 'shop', job: 'payments' },
  ordersWarning: { alertname: 'HighErrorRate', severity: 'warning', namespace: 'shop', job: 'orders' },
  cartCritical: { alertname: 'HighLatency', severity: 'critical', namespace: 'shop', service: 'cart' },
  cartWarning: { alertname: 'HighLatency', severity: 'warning', namespace: 'shop', service: 'cart' },
  searchMaintenance: { alertname: 'Maintenance', severity: 'none', namespace: 'shop', service: 'search' },
  searchCritical: { alertname: 'HighLatency', severity: 'critical', namespace: 'shop', service: 'search' },
};
type Name = keyof typeof labels;

const body = (names: Name[], status: 'firing' | 'resolved' = 'firing') => ({
  alerts: names.map((name) => ({
    labels: labels[name],
    status,
    startsAt: new Date(T0 - 60_000).toISOString(),
    ...(status === 'resolved' ? { endsAt: new Date(T0 + 80_000).toISOString() } : {}),
  })),
});

/** Each alert's mute reason (or '-') at `at`, by name. */
const mutesOf = (service: AlertService, at: number) =>
  Object.fromEntries(
    (Object.keys(labels) as Name[]).map((name) => {
      const mute = service.state.muteOf(service.state.alerts.get(labelsFingerprint(labels[name]))!, at);
      return [name, mute ? `${mute.kind}: ${mute.detail}` : '-'];
    }),
  );

describe('inhibition after a restart', () => {
  it('a replay of the log mutes what the live run muted', async () => {
    const store = new MemoryStore();
    let clock = T0;
    let graph: Array<{ from: string; to: string }> = [];
    const start = async () => {
      const service = new AlertService({ store, config: alerts, edges: async () => graph, now: () => clock });
      await service.start({ tick: false });
      return service;
    };

    const live = await start();
    await live.ingestGeneric(body(['paymentsCritical', 'cartCritical', 'searchMaintenance']));
    clock = T0 + 10_000;
    await live.ingestGeneric(body(['paymentsWarning', 'ordersWarning', 'cartWarning', 'searchCritical']));
    // Without a graph `job` names no service: the payments critical has none, like the orders warning.
    expect(mutesOf(live, clock).ordersWarning).toMatch(/^inhibited: critical mutes warning/);

    graph = [{ from: 'checkout', to: 'payments' }];
    clock = T0 + 61_000;
    await live.tick();
    clock = T0 + 90_000;
    await live.ingestGeneric(body(['cartCritical'], 'resolved'));
    const before = mutesOf(live, clock);
    expect(before).toMatchObject({
      paymentsWarning: expect.stringMatching(/^inhibited: critical mutes warning/),
      ordersWarning: '-',
      cartWarning: '-',
      searchCritical: expect.stringMatching(/^inhibited: maintenance of the service/),
    });
    live.stop();

    const replayed = await start();
    expect(mutesOf(replayed, clock)).toEqual(before);
    replayed.stop();
  }, 30_000);
});
