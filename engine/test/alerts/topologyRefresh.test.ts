import { describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { configSchema } from '../../src/config/schema.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

/**
 * The service graph alerts group along is read again every `topologyRefreshSeconds`, and each new graph is logged
 * before it is used: a call path that appears while the engine runs joins later alerts, and a restart replays the
 * log along the graph in force at each point, even if the graph it reads at start is another one.
 */
const alerts = configSchema.parse({ alerts: { autoRca: false, topologyRefreshSeconds: 60 } }).alerts;
const T0 = Date.parse('2026-01-05T10:00:00Z');

const body = (service: string, alertname: string, startsAt: number) => ({
  alerts: [
    {
      labels: { alertname, service, severity: 'critical' },
      status: 'firing',
      startsAt: new Date(startsAt).toISOString(),
    },
  ],
});

/** Each incident's id, services and alert count, as the pipeline holds them (the API reads the store's copy). */
const incidentsOf = (service: AlertService) =>
  [...service.state.incidents.values()]
    .map((i) => ({ id: i.id, services: [...i.services].sort(), alerts: i.members.length }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe('alert grouping along a service graph that changes', () => {
  it('adopts a new edge at the next refresh and replays along the logged graph after a restart', async () => {
    const store = new MemoryStore();
    let clock = T0;
    let graph: Array<{ from: string; to: string }> = [];
    const service = (edges: () => Promise<Array<{ from: string; to: string }>>) =>
      new AlertService({ store, config: alerts, edges, now: () => clock });

    const live = service(async () => graph);
    await live.start({ tick: false });
    const first = await live.ingestGeneric(body('checkout', 'HighErrorRate', T0 - 30_000));
    // Two call paths appear. Within the refresh interval they are not read yet (payment's alert opens its own
    // incident); after it, an alert on shipping joins checkout's along its edge.
    graph = [
      { from: 'checkout', to: 'payment' },
      { from: 'checkout', to: 'shipping' },
    ];
    clock = T0 + 30_000;
    await live.tick();
    expect((await live.ingestGeneric(body('payment', 'HighLatency', T0 - 30_000))).incidents).not.toEqual(
      first.incidents,
    );
    clock = T0 + 61_000;
    await live.tick();
    expect((await live.ingestGeneric(body('shipping', 'HighLatency', T0 - 30_000))).incidents).toEqual(
      first.incidents,
    );
    const before = incidentsOf(live);
    expect(before.find((i) => i.id === first.incidents[0])).toMatchObject({
      services: ['checkout', 'shipping'],
      alerts: 2,
    });
    live.stop();

    // Restart with the graph gone (e.g. the metrics source unreachable at start): the replay still joins as above.
    graph = [];
    const replayed = service(async () => graph);
    await replayed.start({ tick: false });
    expect(incidentsOf(replayed)).toEqual(before);
    replayed.stop();
  }, 30_000);
});
