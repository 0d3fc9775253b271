import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_SET, generateAlertStream, type GeneratedStream } from '../../bench/alerts/generateAlertStream.js';

interface Sent {
  labels: Record<string, string>;
  startsAt: string;
  fingerprint: string;
}

/** Per real incident: its alerts (first delivery of each fingerprint), read only from the stream as a scorer would. */
function incidents(stream: GeneratedStream): Map<string, Sent[]> {
  const byIncident = new Map<string, Map<string, Sent>>();
  for (const d of stream.deliveries) {
    for (const alert of (d.payload as { alerts: Sent[] }).alerts) {
      const truth = d.truth[alert.fingerprint];
      if (!truth) continue;
      const alerts = byIncident.get(truth) ?? new Map<string, Sent>();
      if (!alerts.has(alert.fingerprint)) alerts.set(alert.fingerprint, alert);
      byIncident.set(truth, alerts);
    }
  }
  return new Map([...byIncident].map(([id, alerts]) => [id, [...alerts.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt))]));
}

describe('generateAlertStream', () => {
  it('keeps the committed small streams reproducible from their seeds', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../../bench/alerts/streams/small-1/alerts.jsonl'), 'utf8');
    const stream = generateAlertStream(1, 'small');
    expect(stream.deliveries.map((d) => JSON.stringify(d)).join('\n') + '\n').toBe(committed);
  });

  it('has the hub and concurrent shapes in the development set', () => {
    expect(DEV_SET).toEqual(expect.arrayContaining([['hub', 1], ['hub', 2], ['concurrent', 1], ['concurrent', 2]]));
    expect(DEV_SET).toHaveLength(16);
  });

  it('hub: a few shared services that most services call', () => {
    const { topology } = generateAlertStream(1, 'hub');
    const callers = new Map<string, Set<string>>();
    for (const [from, to] of topology.edges) callers.set(to, (callers.get(to) ?? new Set()).add(from));
    const calling = new Set(topology.edges.map(([from]) => from));
    const hubs = [...callers].filter(([, c]) => c.size >= calling.size * 0.3);
    expect(hubs.length).toBeGreaterThanOrEqual(3);
  });

  it('concurrent: independent failures begin within 5 min of another incident, on a service next to its root', () => {
    for (const seed of [1, 2]) {
      const stream = generateAlertStream(seed, 'concurrent');
      const neighbours = new Set(stream.topology.edges.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
      const roots = [...incidents(stream)].map(([id, alerts]) => ({ id, service: alerts.find((a) => a.labels.service)?.labels.service, at: Date.parse(alerts[0]!.startsAt) }));
      const pairs = roots.flatMap((a) => roots.filter((b) => a.id < b.id && a.service && b.service && neighbours.has(`${a.service}|${b.service}`) && Math.abs(a.at - b.at) <= 5 * 60_000).map((b) => [a, b] as const));
      expect(pairs.length).toBeGreaterThanOrEqual(3);
    }
  });
});
