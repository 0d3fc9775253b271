import { describe, expect, it } from 'vitest';
import { rcaConfigSchema } from '../config.js';
import type { ChangeEvidence, IncidentWindow, KubeEventEvidence } from '../types.js';
import { analyzeKubernetes } from './analyzeKubernetes.js';

const settings = rcaConfigSchema.parse({}).kubernetes;
// Onset at 10 000 s; the slack before it is 300 s by default.
const window: IncidentWindow = { baselineStart: 6400, start: 10_000, end: 10_600 };
const event = (service: string, reason: string, time: number, count = 1): KubeEventEvidence => ({
  service,
  time,
  type: 'Warning',
  reason,
  message: reason,
  count,
  object: `Pod/${service}-1`,
});
const change = (service: string, kind: ChangeEvidence['kind'], time: number): ChangeEvidence => ({
  service,
  time,
  kind,
  description: kind,
});
const typeOf = (events: KubeEventEvidence[], changes: ChangeEvidence[] = []) =>
  analyzeKubernetes(events, changes, window, settings).get('cart')?.faultType;

describe('analyzeKubernetes', () => {
  it('takes the fault type from the reason that names the cause, however many symptom events there are', () => {
    expect(typeOf([event('cart', 'BackOff', 10_500, 80), event('cart', 'OOMKilled', 10_400, 3)])).toBe(
      'oom-killed',
    );
    expect(typeOf([event('cart', 'Failed', 10_500, 40), event('cart', 'ImagePullBackOff', 10_600)])).toBe(
      'image-pull-error',
    );
    expect(typeOf([event('cart', 'ErrImagePull', 10_100)])).toBe('image-pull-error');
    expect(typeOf([event('cart', 'FailedScheduling', 10_100, 25)], [change('cart', 'rollout', 10_000)])).toBe(
      'unschedulable',
    );
  });

  it('calls a crash loop that follows a rollout at the onset a bad rollout, and one without a rollout a crash loop', () => {
    expect(typeOf([event('cart', 'BackOff', 10_500, 20)], [change('cart', 'image', 9_900)])).toBe(
      'bad-rollout',
    );
    expect(typeOf([event('cart', 'BackOff', 10_500, 20)])).toBe('crash-loop');
    // A rollout 40 minutes before the onset is not what broke it now.
    expect(typeOf([event('cart', 'BackOff', 10_500, 20)], [change('cart', 'image', 7_600)])).toBe(
      'crash-loop',
    );
  });

  it('counts events and restarts that ended before the onset as history: little weight, no fault type', () => {
    const healed = analyzeKubernetes(
      [event('cart', 'OOMKilled', 8_000, 5)],
      [change('cart', 'restart', 8_000)],
      window,
      settings,
    ).get('cart')!;
    const live = analyzeKubernetes(
      [event('cart', 'OOMKilled', 10_200, 5)],
      [change('cart', 'restart', 10_200)],
      window,
      settings,
    ).get('cart')!;
    expect(healed.faultType).toBeUndefined();
    expect(healed.score).toBeLessThan(live.score * settings.historyWeight * 1.01);
    expect(healed.events).toHaveLength(1);
    expect(live.faultType).toBe('oom-killed');
  });
});
