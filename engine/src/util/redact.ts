/**
 * Every redaction of secrets in the engine, in two strengths:
 * - what leaves through the engine's own outputs (the config API, logs, /readyz, `aicloudops doctor`, error
 *   messages): `redactText`, `redactDeep` and the logger's rules, which mask known places (URL userinfo, credential
 *   query parameters, `Bearer`/`Basic` values, secret-named keys) with `***`;
 * - free text that may hold anything (log lines, events, env dumps, questions, prompts, stored conversations and
 *   repair evidence): `redactSecrets`, broader on purpose (a false positive costs a word, a miss leaks a credential),
 *   marking what it removed with `[REDACTED ...]` and naming the rules that fired. It masks URLs and query
 *   parameters with the same patterns as `redactText`.
 * Every pattern here reads its input in linear time (redact.test.ts runs adversarial inputs against a bound): they
 * run on every request line and every question a viewer sends.
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

// Names of query parameters that carry a credential (`?token=`, `&api_key=`, an Azure SAS `sig=`). One list, read
// both in free text (SECRET_QUERY_PARAM) and in a parsed request query (SECRET_QUERY_NAME), so the logs' request
// lines and every other output mask the same parameters.
const SECRET_QUERY_NAMES =
  'token|access_token|id_token|api[_-]?key|apikey|key|secret|client_secret|sig|signature|password|passwd|auth|code';
// The value is masked, the name kept. Anchored at `?`/`&`, so each is read once.
const SECRET_QUERY_PARAM = new RegExp(`([?&](?:${SECRET_QUERY_NAMES})=)[^&#\\s"'<>]*`, 'gi');
const SECRET_QUERY_NAME = new RegExp(`^(?:${SECRET_QUERY_NAMES})$`, 'i');

/** URL credentials (userinfo, secret query values) and `Bearer`/`Basic` credentials in free text. */
export function redactText(text: string): string {
  return redactUrlCredentials(text)
    .replace(SECRET_QUERY_PARAM, `$1${MASK}`)
    .replace(AUTH_SCHEME, `$1 ${MASK}`);
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
  if (typeof value === 'string')
    return inWebhooks && key === 'url' ? redactWebhookUrl(value) : redactText(value);
  const below = inWebhooks || key === 'webhooks';
  if (Array.isArray(value)) return value.map((v) => walk(v, undefined, below));
  if (value && typeof value === 'object') {
    if (key !== undefined && HEADER_MAP_KEY.test(key)) return redactHeaders(value as Record<string, unknown>);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k, below)]));
  }
  return value;
}

/**
 * Query-string parameters that carry what a user typed to the assistant (`q` of search, `question` of ask), matched
 * whatever their case: `?Q=` was logged as typed while `?q=` was redacted.
 */
const QUERY_TEXT_PARAMS = new Set(['q', 'question']);

/**
 * A request URL for the logs: credentials masked (URL userinfo and credential query values, as redactText does) and,
 * unless query logging is on, the user's query text removed.
 */
export function redactRequestUrl(url: string, logQueries: boolean): string {
  // The text pass masks `&token=` even inside another parameter's value (`?next=/x?token=…`); the parsed pass below
  // catches names the text pass cannot see, percent-encoded ones (`%74oken=` is `token=`).
  const clean = redactUrlCredentials(url).replace(SECRET_QUERY_PARAM, `$1${MASK}`);
  const mark = clean.indexOf('?');
  if (mark < 0) return clean;
  let changed = false;
  const params = [...new URLSearchParams(clean.slice(mark + 1))].map(([name, value]): [string, string] => {
    const masked = SECRET_QUERY_NAME.test(name)
      ? MASK
      : !logQueries && QUERY_TEXT_PARAMS.has(name.toLowerCase())
        ? REDACTED
        : value;
    if (masked !== value) changed = true;
    return [name, masked];
  });
  // Rewritten only when something was masked: re-encoding would otherwise change how an untouched URL reads.
  return changed ? `${clean.slice(0, mark)}?${new URLSearchParams(params).toString()}` : clean;
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

interface Rule {
  name: string;
  pattern: RegExp;
  /** Replacement; `$1` keeps a prefix (the key name) so the text still reads. */
  replace: string | ((...groups: string[]) => string);
}

const RULES: Rule[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: '[REDACTED private key]',
  },
  // Credentials inside URLs and connection strings, as redactUrlCredentials finds them: scheme://user:password@host
  // keeps the user, scheme://TOKEN@host (a user part alone, usually a token) loses it.
  {
    name: 'url-credentials',
    pattern: URL_AUTHORITY,
    replace: (all, scheme, authority) => {
      const at = authority!.lastIndexOf('@');
      if (at < 0) return all!;
      const colon = authority!.slice(0, at).indexOf(':');
      const masked = colon < 0 ? '[REDACTED]' : `${authority!.slice(0, colon)}:[REDACTED]`;
      return `${scheme}${masked}${authority!.slice(at)}`;
    },
  },
  { name: 'query-credential', pattern: SECRET_QUERY_PARAM, replace: '$1[REDACTED]' },
  { name: 'bearer', pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, replace: '$1 [REDACTED]' },
  {
    name: 'jwt',
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g,
    replace: '[REDACTED jwt]',
  },
  {
    name: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
    replace: '[REDACTED aws key]',
  },
  {
    name: 'github-token',
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g,
    replace: '[REDACTED token]',
  },
  { name: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, replace: '[REDACTED token]' },
  { name: 'openai-key', pattern: /\bsk-[A-Za-z0-9_-]{20,}\b/g, replace: '[REDACTED token]' },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: '[REDACTED token]' },
  // key=value / key: value where the key names a secret (env dumps, YAML, JSON, query strings). Linear on purpose:
  // the key is a whole run of [\w.-] (the lookbehind starts it only where a run starts), a lookahead finds the secret
  // word inside it, and `(?=(run))\2` takes the run without giving any back. The former `\b[\w.-]*(?:word)[\w.-]*`
  // backtracked cubically: a 4,000-character question of 'token.token.…' held the event loop 0.8-3.2 s per call
  // and 8,000 characters 18.6 s, measured here, and every ask redacts its question several times.
  {
    name: 'secret-assignment',
    pattern:
      /(?<![\w.-])((?=[\w.-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth))(?=([\w.-]+))\2["']?\s*[:=]\s*)(?!\[REDACTED)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}\]]+)/gi,
    replace: '$1[REDACTED]',
  },
];

// A 40-character AWS secret key counts only when `aws` or `secret` follows it on its line. As a lookahead
// (`(?=[^\n]*(?:aws|secret))`) every candidate rescanned the rest of its line: 'A/A/…' of 100,000 characters took
// 13.4 s, measured here. Instead each line that names one is read once and its candidates before the last mention
// are masked.
const AWS_LINE = /^[^\n]*(?:aws|secret)[^\n]*$/gim;
const AWS_MENTION = /aws|secret/gi;
const AWS_SECRET = /\b[A-Za-z0-9/+]{40}\b/g;

function redactAwsSecrets(text: string, redactions: string[]): string {
  return text.replace(AWS_LINE, (line) => {
    let lastMention = -1;
    for (const mention of line.matchAll(AWS_MENTION)) lastMention = mention.index;
    return line.replace(AWS_SECRET, (candidate, offset: number) => {
      if (offset + candidate.length > lastMention) return candidate;
      redactions.push('aws-secret');
      return '[REDACTED]';
    });
  });
}

export interface RedactionResult {
  text: string;
  /** Rule names that fired, for the audit trail (never the secrets). */
  redactions: string[];
}

/** Free text with every secret the rules know removed, and which rules fired. */
export function redactSecrets(text: string): RedactionResult {
  let out = text;
  const redactions: string[] = [];
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      const groups = args.slice(0, -2) as string[];
      const replaced =
        typeof rule.replace === 'function'
          ? rule.replace(...groups)
          : rule.replace.replace(/\$(\d)/g, (_m, n: string) => groups[Number(n)] ?? '');
      if (replaced !== groups[0]) redactions.push(rule.name);
      return replaced;
    });
  }
  return { text: redactAwsSecrets(out, redactions), redactions };
}

/** redactSecrets' text alone: what goes to a model, a store or an operator's screen. */
export const redactSecretsText = (text: string): string => redactSecrets(text).text;
