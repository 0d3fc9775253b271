import { describe, expect, it } from 'vitest';
import { calibrateHeadroom } from './calibrateHeadroom.js';
import { configWith } from '../testing.js';

const config = configWith().autoscale;

describe('headroom calibration', () => {
  it('picks the largest headroom whose replay costs no more replica-hours than the reactive HPA', () => {
    // Three surges an hour long; a perfect point forecast.
    const demand = Array.from({ length: 120 }, (_, i) => (Math.floor(i / 12) % 3 === 1 ? 300 : 100));
    const cal = calibrateHeadroom(
      {
        start: 0,
        stepSeconds: 300,
        demand,
        from: 1,
        to: 119,
        capacityPerReplica: 50,
        forecast: (o) => [1, 2, 3].map((h) => demand[Math.min(demand.length - 1, o + h)]!),
      },
      config,
    );
    const chosen = cal.trials.find((t) => t.headroom === cal.headroom)!;
    expect(chosen.result.replicaHours).toBeLessThanOrEqual(cal.hpa.replicaHours);
    const richer = cal.trials.filter((t) => t.headroom > cal.headroom);
    for (const t of richer) expect(t.result.replicaHours).toBeGreaterThan(cal.hpa.replicaHours);
    expect(chosen.result.underMinutes).toBeLessThan(cal.hpa.underMinutes);
  });
});
