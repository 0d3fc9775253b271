import { redactSecretsText } from '../../util/redact.js';
import type { ActionRecord } from './ActionRecord.js';
import type { DiffEntry } from './diffObjects.js';

export const REDACTED_ENV_VALUE = '[redacted]';

/**
 * An action record as the API, its event stream and the audit trail show it: viewers read these. The record itself
 * keeps what the executor needs (each request's body, the target before the change, the diff's values), but a
 * rollback's request body is the whole pod template, and `env[].value` there (and in its diff) is where a
 * Deployment's inline passwords live. So: requests without their bodies (verb, description, target), no preState,
 * and diff values with env values masked and secrets in other strings (args, URLs with credentials) redacted.
 */
export function actionView(record: ActionRecord): ActionRecord {
  const { preState: _preState, ...rest } = record;
  return {
    ...rest,
    ...(record.plan
      ? {
          plan: {
            ...record.plan,
            requests: record.plan.requests.map(requestView),
            reverse: record.plan.reverse.map(requestView),
          },
        }
      : {}),
    ...(record.dryRun ? { dryRun: { ...record.dryRun, diff: redactDiff(record.dryRun.diff) } } : {}),
  };
}

type Request = NonNullable<ActionRecord['plan']>['requests'][number];

/** What an operator needs to judge a request: the verb, the object and the sentence; the payload stays inside. */
function requestView(request: Request): Request {
  const { body: _body, ...rest } = request as Request & { body?: unknown };
  return rest as Request;
}

/** A diff whose values are safe to show: env values masked wherever they sit, secrets in strings redacted. */
export function redactDiff(diff: DiffEntry[]): DiffEntry[] {
  return diff.map((entry) => {
    const envValue = /\/env\/\d+\/value$/.test(entry.path);
    const envEntry = /\/env\/\d+$/.test(entry.path);
    const clean = (value: unknown) =>
      envValue && value !== undefined ? REDACTED_ENV_VALUE : envEntry ? maskEnvEntry(value) : scrub(value);
    return {
      path: entry.path,
      ...('before' in entry ? { before: clean(entry.before) } : {}),
      ...('after' in entry ? { after: clean(entry.after) } : {}),
    };
  });
}

/** Deep copy with every `env` list's values masked and every string redacted. */
function scrub(value: unknown, key?: string): unknown {
  if (typeof value === 'string') return redactSecretsText(value);
  if (Array.isArray(value)) return key === 'env' ? value.map(maskEnvEntry) : value.map((v) => scrub(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, k)]));
  }
  return value;
}

function maskEnvEntry(entry: unknown): unknown {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return scrub(entry);
  const { value, ...rest } = entry as Record<string, unknown>;
  return {
    ...(scrub(rest) as Record<string, unknown>),
    ...(value !== undefined ? { value: REDACTED_ENV_VALUE } : {}),
  };
}
