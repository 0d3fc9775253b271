/**
 * Removes secrets from text before it reaches a model (or a stored conversation): log lines, env dumps and events can
 * carry tokens, passwords and keys. Patterns are deliberately broad; a false positive costs a word, a miss leaks a
 * credential.
 */

interface Rule {
  name: string;
  pattern: RegExp;
  /** Replacement; `$1` keeps a prefix (the key name) so the text still reads. */
  replace: string;
}

const RULES: Rule[] = [
  {
    name: 'private-key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: '[REDACTED private key]',
  },
  // Credentials inside URLs and connection strings: scheme://user:password@host. The scheme starts where a run of
  // scheme characters starts (the lookbehind): from `\b` every `a-` of an 'a-a-a-…' line began a scan to its end.
  {
    name: 'url-credentials',
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):([^\s@/]+)@/gi,
    replace: '$1:[REDACTED]@',
  },
  { name: 'bearer', pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, replace: '$1 [REDACTED]' },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: '[REDACTED jwt]' },
  { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, replace: '[REDACTED aws key]' },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g, replace: '[REDACTED token]' },
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

export function redactSecrets(text: string): RedactionResult {
  let out = text;
  const redactions: string[] = [];
  for (const rule of RULES) {
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      redactions.push(rule.name);
      const groups = args.slice(1, -2) as Array<string | undefined>;
      return rule.replace.replace(/\$(\d)/g, (_m, n: string) => groups[Number(n) - 1] ?? '');
    });
  }
  return { text: redactAwsSecrets(out, redactions), redactions };
}

export const redact = (text: string): string => redactSecrets(text).text;
