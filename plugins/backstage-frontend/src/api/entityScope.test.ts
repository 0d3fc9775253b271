import { isEntityIncident } from './entityScope';
import type { IncidentDto } from './types';

function incident(services: string[], namespaces: Array<string | undefined>): IncidentDto {
  return {
    id: 'inc-1',
    status: 'open',
    title: 't',
    severity: 'critical',
    openedAt: '2026-12-06T10:00:00Z',
    updatedAt: '2026-12-06T10:00:00Z',
    services,
    truncatedAlerts: 0,
    alerts: namespaces.map((namespace, i) => ({
      fingerprint: `fp${i}`,
      status: 'firing',
      labels: { alertname: `A${i}`, ...(namespace ? { namespace } : {}) },
      annotations: {},
      startsAt: '2026-12-06T10:00:00Z',
      source: 'alertmanager',
      flapping: false,
      firstSeenAt: '2026-12-06T10:00:00Z',
      lastSeenAt: '2026-12-06T10:00:00Z',
      reason: { kind: 'opened', detail: 'opened' },
    })),
  };
}

describe('isEntityIncident', () => {
  const scope = { namespace: 'shop', names: ['cart'] };

  it.each([
    ['one of its services, in its namespace', incident(['cart', 'checkout'], ['shop']), true],
    ['another service only', incident(['checkout'], ['shop']), false],
    ['its service name in another namespace', incident(['cart'], ['payments']), false],
    ['alerts without a namespace label (the service decides)', incident(['cart'], [undefined]), true],
    ['a cascade across namespaces that reaches its namespace', incident(['cart'], ['edge', 'shop']), true],
  ])('%s -> %s', (_, item, expected) => {
    expect(isEntityIncident(scope, item)).toBe(expected);
  });

  it('takes any namespace when the entity names none (the engine default)', () => {
    expect(isEntityIncident({ names: ['cart'] }, incident(['cart'], ['payments']))).toBe(true);
  });
});
