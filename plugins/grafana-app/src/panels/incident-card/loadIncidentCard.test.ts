import { incident } from '../../test/opsFixtures';
import type { RcaCandidate, RcaResult } from '../../api/types';
import { alertCount, latestOpenIncident, topCauses } from './loadIncidentCard';
import { rootCauseHref } from './IncidentCardPanel';

const candidate = (service: string, score: number): RcaCandidate => ({
  service,
  signal: 'latency_p99',
  faultType: 'latency',
  score,
  evidence: { metrics: [], logs: [], events: [], changes: [] },
});

const rca = (candidates: RcaCandidate[], namespace?: string) =>
  ({ id: 'r1', namespace, candidates }) as unknown as RcaResult;

describe('incident card selection', () => {
  const older = incident('old', { openedAt: '2026-12-06T09:00:00Z', services: ['cart'] });
  const newer = incident('new', { openedAt: '2026-12-06T11:00:00Z', services: ['payment'] });
  const resolved = incident('done', { status: 'resolved', openedAt: '2026-12-06T12:00:00Z', services: ['cart'] });

  test('the latest open incident, whatever order the engine listed them in', () => {
    expect(latestOpenIncident([older, resolved, newer], '')?.id).toBe('new');
    expect(latestOpenIncident([newer, older], '')?.id).toBe('new');
  });

  test('a service narrows the choice; resolved incidents never count; nothing left is undefined', () => {
    expect(latestOpenIncident([older, resolved, newer], 'cart')?.id).toBe('old');
    expect(latestOpenIncident([older, resolved, newer], ' cart ')?.id).toBe('old');
    expect(latestOpenIncident([resolved], 'cart')).toBeUndefined();
    expect(latestOpenIncident([], '')).toBeUndefined();
  });

  test('causes ranked by score, cut to the option (at least one)', () => {
    const result = rca([candidate('a', 2), candidate('b', 113.4), candidate('c', 40)]);
    expect(topCauses(result, 2).map((c) => c.service)).toEqual(['b', 'c']);
    expect(topCauses(result, 0).map((c) => c.service)).toEqual(['b']);
    expect(topCauses(result, 10)).toHaveLength(3);
  });

  test('alerts counted with those the engine stopped listing', () => {
    expect(alertCount(incident('i', { truncatedAlerts: 5 }))).toBe(7);
  });

  test("the Root cause link opens the top cause's service in the analysis' namespace", () => {
    const i = incident('i');
    expect(rootCauseHref(i, candidate('cart', 3), rca([], 'prod'))).toBe(
      '/a/aicloudops-cloudops-app/root-cause?namespace=prod&service=cart'
    );
    // No analysis yet: the incident's first service, in its alerts' namespace.
    expect(rootCauseHref(i, undefined, undefined)).toBe(
      '/a/aicloudops-cloudops-app/root-cause?namespace=shop&service=payment'
    );
  });
});
