import { describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/AlertService.js';
import { alertsConfigSchema } from '../../src/alerts/config.js';
import { suppressionBodySchema } from '../../src/alerts/schemas.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { fieldIssuesFromZod, isEngineError, type FieldIssue } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/MemoryStore.js';

/**
 * A suppression window has one definition for the API (POST /alerts/suppressions) and the config
 * (alerts.suppressions): the same window is refused by both for the same reasons, with the same messages, each naming
 * its field. Only the API's bounds on time (31 days long, 31 days ahead, not over already) are the API's alone.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-07T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const window = (extra: Record<string, unknown> = {}) => ({
  kind: 'maintenance',
  matchers: ['service="search"'],
  startsAt: iso(NOW - HOUR),
  endsAt: iso(NOW + HOUR),
  ...extra,
});

/** Issues as the API's 400 gives them, without the `body.` prefix. */
function apiIssues(body: Record<string, unknown>): FieldIssue[] {
  const parsed = suppressionBodySchema.safeParse(body);
  return parsed.success ? [] : fieldIssuesFromZod(parsed.error.issues);
}

/** Issues as the engine's config error gives them, without the `alerts.suppressions.0.` prefix. */
function configIssues(body: Record<string, unknown>): FieldIssue[] {
  try {
    parseConfig({ alerts: { suppressions: [body] } });
    return [];
  } catch (error) {
    if (!isEngineError(error)) throw error;
    const issues = error.issues;
    const prefix = 'alerts.suppressions.0.';
    expect(
      issues.every((i) => i.field.startsWith(prefix)),
      JSON.stringify(issues),
    ).toBe(true);
    return issues.map((i) => ({ ...i, field: i.field.slice(prefix.length) }));
  }
}

describe('suppression windows: one definition for the API and the config', () => {
  it('refuses the same windows from either source with the same field and message', () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['no matchers', window({ matchers: [] }), ['matchers']],
      ['matchers all matching an absent label', window({ matchers: ['job=~".*"', 'x!="v"'] }), ['matchers']],
      ['a matcher that does not parse', window({ matchers: ['service="a"', '%%%'] }), ['matchers.1']],
      ['101 matchers', window({ matchers: Array(101).fill('a="b"') }), ['matchers']],
      ['a 1,100-character matcher', window({ matchers: [`a="${'x'.repeat(1100)}"`] }), ['matchers.0']],
      ['a 600-character reason', window({ reason: 'r'.repeat(600) }), ['reason']],
      ['ending when it starts', window({ endsAt: iso(NOW - HOUR) }), ['endsAt']],
      ['ending before it starts', window({ endsAt: iso(NOW - 2 * HOUR) }), ['endsAt']],
      // Date.parse took these, in the engine host's time zone or as UTC midnight: not RFC 3339.
      ['a time without its offset', window({ startsAt: '2026-12-07T11:00:00' }), ['startsAt']],
      ['a date alone', window({ endsAt: '2026-12-08' }), ['endsAt']],
    ];
    for (const [name, body, fields] of cases) {
      const api = apiIssues(body);
      expect(
        api.map((i) => i.field),
        name,
      ).toEqual(fields);
      expect(configIssues(body), name).toEqual(api);
    }
    const walk = window({ matchers: [], endsAt: '9999-12-07T13:00:00Z' });
    expect(apiIssues(walk).map((i) => i.field)).toEqual(['matchers', 'endsAt']);
    expect(apiIssues(walk)[1]!.message).toBe('a window lasts at most 31 days (endsAt − startsAt)');
  });

  it('takes a valid window from both, with an offset other than Z; a longer one only from the config', () => {
    const valid = window({ startsAt: '2026-12-07T12:00:00+01:00', endsAt: '2026-12-07T14:30:00.5+01:00' });
    expect(apiIssues(valid)).toEqual([]);
    expect(configIssues(valid)).toEqual([]);
    // The config owns its windows (an edit ends them): a quarter-long one is what it is for.
    const quarter = window({ endsAt: iso(NOW + 90 * DAY) });
    expect(apiIssues(quarter).map((i) => i.field)).toEqual(['endsAt']);
    expect(configIssues(quarter)).toEqual([]);
    expect(alertsConfigSchema.parse({ suppressions: [quarter] }).suppressions[0]).toMatchObject({
      reason: '',
      endsAt: quarter.endsAt,
    });
  });

  it('holds a POST to the rules on the clock of its service: not over already, starting at most 31 days ahead', async () => {
    const service = new AlertService({
      store: new MemoryStore(),
      config: alertsConfigSchema.parse({ autoRca: false }),
      edges: async () => [],
      now: () => NOW,
    });
    await service.start({ tick: false });
    const refused = async (body: Record<string, unknown>) => {
      // addSuppression validates before it returns its promise: a refusal is thrown, as the route sees it.
      const error = (await Promise.resolve()
        .then(() => service.addSuppression(body))
        .then(
          () => undefined,
          (e: unknown) => e,
        )) as { issues?: FieldIssue[] } | undefined;
      return error?.issues;
    };
    expect(await refused(window({ startsAt: iso(NOW - 2 * HOUR), endsAt: iso(NOW - HOUR) }))).toEqual([
      { field: 'body.endsAt', message: 'endsAt must be in the future' },
    ]);
    expect(
      await refused(window({ startsAt: iso(NOW + 32 * DAY), endsAt: iso(NOW + 32 * DAY + HOUR) })),
    ).toEqual([{ field: 'body.startsAt', message: 'startsAt must be at most 31 days ahead' }]);
    expect(await refused(window({ matchers: [] }))).toEqual([
      {
        field: 'body.matchers',
        message: 'at least one matcher is required: an empty list would mute every alert',
      },
    ]);
    const created = await service.addSuppression(
      window({ startsAt: iso(NOW + 30 * DAY), endsAt: iso(NOW + 31 * DAY) }),
    );
    expect(created).toMatchObject({ status: 'pending', reason: '' });
    service.stop();
  });
});
