/**
 * The one redaction of secrets that leave the engine through its own outputs: the config API, logs, /readyz and
 * `aicloudops doctor`. (Text sent to a model goes through assistant/answer/redactSecrets.ts, which is broader because
 * it reads arbitrary log lines.)
 */

export const REDACTED = '[redacted]';
const MASK = '***';

/** Keys whose value is a secret wherever they appear in a config or log object. */
const SECRET_KEY =
  /^(token|apiKey|api_key|password|passwd|secret|clientSecret|authorization|cookie|privateKey)$/i;
/** Keys holding a map of HTTP headers: every value is masked, the names stay so an admin sees what is set. */
const HEADER_MAP_KEY = /^headers$/i;

// scheme://authority where authority ends at the first / ? # or whitespace (RFC 3986 3.2); quotes and angle brackets
// end it too so a URL inside JSON or HTML is cut correctly. A scheme starts only where a run of scheme characters
// starts (the lookbehind): from `\b`, each `a-` of a request URL of 'a-a-a-…' began a scan to the run's end, and a
// 16 KB URL, logged for every request before auth, held the event loop ~130 ms (measured here).
const URL_AUTHORITY = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)([^\s/?#"'<>]*)/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{4,}=*/g;

/**
 * Masks credentials in every URL of a text: `redis://:pw@host` → `redis://:***@host`, `https://user:pw@h` →
 * `https://user:***@h`, and a user part alone (`https://TOKEN@github.com`, usually a token) → `https://***@github.com`.
 * The last `@` of the authority separates the userinfo, so a password holding a raw `@` is masked whole.
 */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_AUTHORITY, (all, scheme: string, authority: string) => {
    const at = authority.lastIndexOf('@');
    if (at < 0) return all;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const masked = colon < 0 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`;
    return `${scheme}${masked}${authority.slice(at)}`;
  });
}

// Query parameters that carry a credential (`?token=`, `&api_key=`, an Azure SAS `sig=`): the value is masked, the
// name kept. Anchored at `?`/`&`, so each is read once.
const SECRET_QUERY_PARAM =
  /([?&](?:token|access_token|id_token|api[_-]?key|apikey|key|secret|client_secret|sig|signature|password|passwd|auth|code)=)[^&#\s"'<>]*/gi;

/** URL credentials (userinfo, secret query values) and `Bearer`/`Basic` credentials in free text. */
export function redactText(text: string): string {
  return redactUrlCredentials(text).replace(SECRET_QUERY_PARAM, `$1${MASK}`).replace(AUTH_SCHEME, `$1 ${MASK}`);
}

/**
 * A notification webhook's URL as an admin may see it: scheme and host. Slack, Teams and most chat webhooks carry
 * their secret in the path (hooks.slack.com/services/T…/B…/SECRET), which no pattern can tell from a plain path.
 */
export function redactWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/${MASK}`;
  } catch {
    return REDACTED;
  }
}

/** Every value of a header map masked; the names kept. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED]));
}

/**
 * A deep copy with secrets removed: secret-named keys masked, header maps masked, URLs under a `webhooks` list cut to
 * their host, and URL credentials masked in every other string. Empty secrets stay empty so an admin can still see
 * that none is set.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, undefined, false) as T;
}

function walk(value: unknown, key: string | undefined, inWebhooks: boolean): unknown {
  if (key !== undefined && SECRET_KEY.test(key) && value !== '' && value !== undefined && value !== null) {
    return REDACTED;
  }
  if (typeof value === 'string') return inWebhooks && key === 'url' ? redactWebhookUrl(value) : redactText(value);
  const below = inWebhooks || key === 'webhooks';
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, below));
  if (value && typeof value === 'object') {
    if (key !== undefined && HEADER_MAP_KEY.test(key)) return redactHeaders(value as Record<string, unknown>);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, below)]));
  }
  return value;
}

/** Query-string parameters that carry what a user typed to the assistant (`q` of search, `question` of ask). */
const QUERY_TEXT_PARAMS = new Set(['q', 'question']);

/** A request URL for the logs: credentials masked and, unless query logging is on, the user's query text removed. */
export function redactRequestUrl(url: string, logQueries: boolean): string {
  const clean = redactUrlCredentials(url);
  const mark = clean.indexOf('?');
  if (logQueries || mark < 0) return clean;
  const params = new URLSearchParams(clean.slice(mark + 1));
  let changed = false;
  for (const name of [...params.keys()]) {
    if (QUERY_TEXT_PARAMS.has(name)) {
      params.set(name, REDACTED);
      changed = true;
    }
  }
  return changed ? `${clean.slice(0, mark)}?${params.toString()}` : clean;
}

/**
 * pino `redact` options: secret fields masked, `config` objects deep-redacted, URLs stripped of credentials and (by
 * default) of query text. pino applies these to every line, including fastify's request lines.
 */
export function loggerRedaction(options: { logQueries?: boolean } = {}) {
  const logQueries = options.logQueries ?? false;
  return {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      'req.headers["x-api-key"]',
      'req.url',
      'url',
      '*.url',
      'config',
      '*.config',
      'headers',
      '*.headers',
      'token',
      '*.token',
      'apiKey',
      '*.apiKey',
      'password',
      '*.password',
      'question',
      '*.question',
      'err.message',
      'err.stack',
      '*.err.message',
    ],
    censor: (value: unknown, path: string[]): unknown => {
      const key = path[path.length - 1] ?? '';
      if (key === 'url') return typeof value === 'string' ? redactRequestUrl(value, logQueries) : value;
      if (key === 'question') return logQueries ? value : REDACTED;
      if (key === 'message' || key === 'stack') return typeof value === 'string' ? redactText(value) : value;
      if (key === 'config') return redactDeep(value);
      if (key === 'headers')
        return value && typeof value === 'object' ? redactHeaders(value as Record<string, unknown>) : value;
      return value === undefined || value === '' ? value : REDACTED;
    },
  };
}

/** Health checks with credentials masked in their details (/readyz, `aicloudops doctor`). */
export function redactChecks<T extends { detail: string }>(checks: T[]): T[] {
  return checks.map((c) => ({ ...c, detail: redactText(c.detail) }));
}
