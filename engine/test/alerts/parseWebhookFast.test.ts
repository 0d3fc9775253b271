import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWebhookFast } from '../../src/alerts/ingest/parseWebhookFast.js';
import { alertmanagerWebhookSchema } from '../../src/alerts/schemas.js';

/** Every delivery of the committed alert-noise streams: real Alertmanager-shaped bodies. */
const deliveries = ['small-1', 'small-2'].flatMap((stream) =>
  readFileSync(new URL(`../../bench/alerts/streams/${stream}/alerts.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => (JSON.parse(line) as { payload: Record<string, unknown> }).payload),
);
const sample = deliveries.find((d) => (d.alerts as unknown[]).length > 1)!;

/** A deep copy of the sample with one change applied. */
function variant(
  change: (body: Record<string, unknown>, alert: Record<string, unknown>) => void,
): Record<string, unknown> {
  const body = structuredClone(sample);
  change(body, (body.alerts as Array<Record<string, unknown>>)[1]!);
  return body;
}

describe('parseWebhookFast', () => {
  it("gives zod's answer for every delivery of the committed streams", () => {
    expect(deliveries.length).toBeGreaterThan(300);
    for (const body of deliveries) {
      const fast = parseWebhookFast(structuredClone(body));
      expect(fast, JSON.stringify(body).slice(0, 200)).toBeDefined();
      expect(fast).toStrictEqual(alertmanagerWebhookSchema.parse(body));
    }
  });

  it("fills the schema's defaults the way zod does", () => {
    const bare = variant((b, a) => {
      for (const key of [
        'truncatedAlerts',
        'groupLabels',
        'commonLabels',
        'commonAnnotations',
        'externalURL',
      ])
        delete b[key];
      for (const key of ['annotations', 'endsAt', 'generatorURL', 'fingerprint']) delete a[key];
    });
    const fast = parseWebhookFast(structuredClone(bare));
    expect(fast).toStrictEqual(alertmanagerWebhookSchema.parse(bare));
    expect(fast).toMatchObject({ truncatedAlerts: 0, groupLabels: {}, externalURL: '' });
    expect(fast!.alerts[1]!.annotations).toEqual({});
  });

  it('leaves to zod every body zod rejects, and bodies zod would strip keys from', () => {
    const invalid: Array<[string, unknown]> = [
      ['not an object', 'firing'],
      ['an array', [sample]],
      ['null', null],
      ['version 3', variant((b) => (b.version = '3'))],
      ['no groupKey', variant((b) => delete b.groupKey)],
      ['receiver a number', variant((b) => (b.receiver = 4))],
      ['status pending', variant((b) => (b.status = 'pending'))],
      ['truncatedAlerts negative', variant((b) => (b.truncatedAlerts = -1))],
      ['truncatedAlerts fractional', variant((b) => (b.truncatedAlerts = 1.5))],
      ['truncatedAlerts a string', variant((b) => (b.truncatedAlerts = '2'))],
      ['groupLabels an array', variant((b) => (b.groupLabels = ['a']))],
      ['commonAnnotations with a number', variant((b) => (b.commonAnnotations = { summary: 3 }))],
      ['externalURL null', variant((b) => (b.externalURL = null))],
      ['alerts an object', variant((b) => (b.alerts = {}))],
      [
        'too many alerts',
        variant((b) => (b.alerts = Array.from({ length: 10_001 }, () => (b.alerts as unknown[])[0]))),
      ],
      ['an alert null', variant((b) => ((b.alerts as unknown[])[0] = null))],
      ['alert status unknown', variant((_, a) => (a.status = 'unknown'))],
      ['label value a number', variant((_, a) => (a.labels = { alertname: 5 }))],
      ['labels missing', variant((_, a) => delete a.labels)],
      ['annotations an array', variant((_, a) => (a.annotations = []))],
      ['startsAt not a time', variant((_, a) => (a.startsAt = 'yesterday'))],
      ['startsAt missing', variant((_, a) => delete a.startsAt)],
      ['endsAt a number', variant((_, a) => (a.endsAt = 0))],
      ['generatorURL an object', variant((_, a) => (a.generatorURL = {}))],
      ['fingerprint upper case', variant((_, a) => (a.fingerprint = 'ABCDEF'))],
      ['fingerprint too long', variant((_, a) => (a.fingerprint = '0123456789abcdef0'))],
    ];
    for (const [name, body] of invalid) {
      expect(alertmanagerWebhookSchema.safeParse(body).success, name).toBe(false);
      expect(parseWebhookFast(body), name).toBeUndefined();
    }
    // Labels over the limits are well-formed: both parse them alike, the normaliser skips that alert alone.
    for (const body of [
      variant((_, a) => (a.labels = { ...(a.labels as object), 'bad-name': 'x' })),
      variant((_, a) => (a.labels = { '1st': 'x' })),
      variant((_, a) => (a.labels = {})),
      variant((_, a) => (a.labels = { alertname: 'x'.repeat(5000) })),
    ]) {
      const fast = parseWebhookFast(body);
      expect(fast).toBeDefined();
      expect(fast).toStrictEqual(alertmanagerWebhookSchema.parse(body));
    }
    // Valid, but zod would drop the extra keys: the fast path does not guess, zod answers.
    for (const body of [variant((b) => (b.extra = 1)), variant((_, a) => (a.silenceURL = 'x'))]) {
      expect(alertmanagerWebhookSchema.safeParse(body).success).toBe(true);
      expect(parseWebhookFast(body)).toBeUndefined();
    }
  });
});
