import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEV_SET,
  ROBUSTNESS_SET,
  generateAlertStream,
  type GeneratedStream,
} from '../../bench/alerts/generateAlertStream.js';

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
  return new Map(
    [...byIncident].map(([id, alerts]) => [
      id,
      [...alerts.values()].sort((a, b) => a.startsAt.localeCompare(b.startsAt)),
    ]),
  );
}

describe('generateAlertStream', () => {
  it('keeps the committed small streams reproducible from their seeds', () => {
    const committed = readFileSync(
      resolve(import.meta.dirname, '../../bench/alerts/streams/small-1/alerts.jsonl'),
      'utf8',
    );
    const stream = generateAlertStream(1, 'small');
    expect(stream.deliveries.map((d) => JSON.stringify(d)).join('\n') + '\n').toBe(committed);
  });

  it('has the hub and concurrent shapes in the development set', () => {
    expect(DEV_SET).toEqual(
      expect.arrayContaining([
        ['hub', 1],
        ['hub', 2],
        ['concurrent', 1],
        ['concurrent', 2],
      ]),
    );
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
      const roots = [...incidents(stream)].map(([id, alerts]) => ({
        id,
        service: alerts.find((a) => a.labels.service)?.labels.service,
        at: Date.parse(alerts[0]!.startsAt),
      }));
      const pairs = roots.flatMap((a) =>
        roots
          .filter(
            (b) =>
              a.id < b.id &&
              a.service &&
              b.service &&
              neighbours.has(`${a.service}|${b.service}`) &&
              Math.abs(a.at - b.at) <= 5 * 60_000,
          )
          .map((b) => [a, b] as const),
      );
      expect(pairs.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps every development stream byte-identical (hashes of the files --dev-set wrote before the robustness families)', () => {
    const before: Record<string, string> = {
      'coarse-1': 'af6fcdd15faa5efa',
      'coarse-2': 'f0cd5c65d111707f',
      'concurrent-1': '9a9b5f99d9e8320c',
      'concurrent-2': '06b7cf8121ae9302',
      'default-1': '71d4ea4a84f5bfbd',
      'default-2': '9bcf5237fbda24c2',
      'hub-1': '3510f43b17583fa3',
      'hub-2': 'f61cc73663ca2ffb',
      'large-1': '8cc177892c1b6cc2',
      'large-2': '25402e6ad48dc58c',
      'noisy-1': '3af87779d79c8459',
      'noisy-2': '1a50db02f6736edf',
      'slow-1': '6d91c3c545e68358',
      'slow-2': 'fcddc3702dc0466c',
      'truncating-1': 'd58faf7c51d071cc',
      'truncating-2': 'b68e0c831011167c',
    };
    for (const [shape, seed] of DEV_SET) {
      const stream = generateAlertStream(seed, shape);
      const files =
        JSON.stringify(stream.topology, null, 1) +
        '\n' +
        stream.deliveries.map((d) => JSON.stringify(d)).join('\n') +
        '\n';
      expect(createHash('sha256').update(files).digest('hex').slice(0, 16), `${shape}-${seed}`).toBe(
        before[`${shape}-${seed}`],
      );
    }
  }, 60_000);

  describe('robustness families', () => {
    const alertsOf = (stream: GeneratedStream) => {
      const seen = new Map<string, Sent & { truth: string | null }>();
      for (const d of stream.deliveries)
        for (const a of (d.payload as { alerts: Sent[] }).alerts)
          if (!seen.has(a.fingerprint))
            seen.set(a.fingerprint, { ...a, truth: d.truth[a.fingerprint] ?? null });
      return [...seen.values()];
    };

    it('has five families of two seeds', () => {
      expect(ROBUSTNESS_SET).toHaveLength(10);
      expect(new Set(ROBUSTNESS_SET.map(([shape]) => shape))).toEqual(
        new Set(['delayed', 'relabelled', 'mirrored', 'resend', 'mixed']),
      );
    });

    it("delayed: a caller's alert begins minutes after its callee's (per-rule for: delays), unlike the base family", () => {
      // The longest gap, within one real incident, between a callee's first alert and a caller's that begins after it.
      const longestHop = (stream: GeneratedStream) => {
        const calls = new Set(stream.topology.edges.map(([a, b]) => `${a}|${b}`));
        let longest = 0;
        for (const [, alerts] of incidents(stream)) {
          const first = new Map<string, number>();
          for (const a of alerts)
            if (a.labels.service && !first.has(a.labels.service))
              first.set(a.labels.service, Date.parse(a.startsAt));
          for (const [caller, t] of first)
            for (const [callee, u] of first)
              if (calls.has(`${caller}|${callee}`) && t > u) longest = Math.max(longest, t - u);
        }
        return longest;
      };
      expect(longestHop(generateAlertStream(1, 'delayed'))).toBeGreaterThan(5 * 60_000);
      expect(longestHop(generateAlertStream(1, 'default'))).toBeLessThan(4 * 60_000);
    });

    it('relabelled: services named by several conventions, the scrape job on pod alerts, pod alerts without node, service alerts without namespace', () => {
      const alerts = alertsOf(generateAlertStream(1, 'relabelled'));
      const conventions = new Set(
        alerts
          .flatMap((a) => ['service', 'app', 'app_kubernetes_io_name'].filter((l) => a.labels[l]))
          .concat(alerts.some((a) => a.labels.job && !a.labels.pod && !a.labels.node) ? ['job'] : []),
      );
      expect(conventions).toEqual(new Set(['service', 'app', 'app_kubernetes_io_name', 'job']));
      expect(
        alerts.some((a) => a.labels.pod && a.labels.job === 'kube-state-metrics' && !a.labels.node),
      ).toBe(true);
      expect(
        alerts.some((a) => a.labels.alertname === 'HighErrorRate' && !a.labels.pod && !a.labels.namespace) ||
          alerts.some((a) => a.labels.alertname === 'HighLatency' && !a.labels.namespace),
      ).toBe(true);
    });

    it('mirrored: the same service names in two namespaces, each with its own incidents', () => {
      const alerts = alertsOf(generateAlertStream(1, 'mirrored'));
      const namespaces = new Map<string, Set<string>>();
      for (const a of alerts)
        if (a.labels.service && a.labels.namespace)
          namespaces.set(
            a.labels.service,
            (namespaces.get(a.labels.service) ?? new Set()).add(a.labels.namespace),
          );
      expect([...namespaces.values()].filter((n) => n.size > 1).length).toBeGreaterThan(5);
      const truths = new Set(alerts.map((a) => a.truth).filter(Boolean));
      expect([...truths].some((t) => t!.startsWith('S')) && [...truths].some((t) => t!.startsWith('I'))).toBe(
        true,
      );
    });

    it('resend: routes by severity, each with its own timing, named in the groupKey', () => {
      const stream = generateAlertStream(1, 'resend');
      const keys = new Set(
        stream.deliveries.map((d) => (d.payload as { groupKey: string }).groupKey.split(':{')[0]),
      );
      expect(keys).toEqual(new Set(['{}/{severity="critical"}', '{}/{severity="warning"}', '{}']));
    });
  });
});
