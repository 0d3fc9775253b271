import { describe, expect, it } from 'vitest';
import type { TrackedAlert } from '../types.js';
import type { PipelineState } from './AlertStage.js';
import {
  SUPPRESSION_RETENTION_MS,
  SuppressionWindowStage,
  type SuppressionWindow,
} from './SuppressionWindowStage.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-07T12:00:00Z');
const STATE = {} as PipelineState;
const alert = (service: string) =>
  ({ labels: { alertname: 'HighErrorRate', service } }) as unknown as TrackedAlert;
const window = (id: string, startsAt: number, endsAt: number, service = 'search'): SuppressionWindow => ({
  id,
  kind: 'maintenance',
  matchers: [`service="${service}"`],
  startsAt,
  endsAt,
  reason: '',
});

describe('SuppressionWindowStage: ended windows leave the matching path, and the stage after the retention', () => {
  it('checks an alert against the current windows only, and forgets those ended more than 120 h ago', () => {
    const stage = new SuppressionWindowStage();
    // A long-running engine's history: 5,000 windows that ended weeks ago, each of which matched this alert.
    for (let i = 0; i < 5_000; i++)
      stage.add(window(`old-${i}`, NOW - 30 * DAY, NOW - 20 * DAY + i * 60_000));
    stage.add(window('yesterday', NOW - 2 * DAY, NOW - DAY));
    stage.add(window('now', NOW - HOUR, NOW + HOUR, 'cart'));

    expect(stage.mute!(alert('search'), STATE, NOW)).toBeUndefined();
    expect(stage.mute!(alert('cart'), STATE, NOW)).toMatchObject({
      kind: 'maintenance',
      detail: 'maintenance window now',
    });
    expect(stage.matchingCount).toBe(1);
    // Ended within the retention: still listed (as expired), as Alertmanager keeps an expired silence.
    expect(stage.list().map((w) => w.id)).toEqual(['yesterday', 'now']);

    // The retention runs out for `yesterday`; a window replayed from a log after that is not taken back.
    const later = NOW - DAY + SUPPRESSION_RETENTION_MS;
    expect(stage.mute!(alert('cart'), STATE, later)).toBeUndefined();
    stage.add(window('old-1', NOW - 30 * DAY, NOW - 20 * DAY));
    expect(stage.list().map((w) => w.id)).toEqual(['now']);
    expect(stage.matchingCount).toBe(0);
  });

  it('drops a window ended early (expire) from matching, keeps it listed, and mutes up to its new end', () => {
    const stage = new SuppressionWindowStage();
    stage.add(window('w', NOW - HOUR, NOW + HOUR));
    expect(stage.mute!(alert('search'), STATE, NOW)).toBeDefined();
    expect(stage.expire('w', NOW + 60_000)).toMatchObject({ endsAt: NOW + 60_000, expiredAt: NOW + 60_000 });
    // Judged a moment before its new end (a read's clock a little ahead of a batch's): still muted.
    expect(stage.mute!(alert('search'), STATE, NOW + 30_000)).toBeDefined();
    expect(stage.mute!(alert('search'), STATE, NOW + HOUR)).toBeUndefined();
    expect(stage.matchingCount).toBe(0);
    expect(stage.list()).toEqual([expect.objectContaining({ id: 'w', expiredAt: NOW + 60_000 })]);
    expect(stage.expire('w', NOW + 6 * DAY)).toBeUndefined();
    expect(stage.list()).toEqual([]);
  });
});
