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
  // Credentials inside URLs and connection strings: scheme://user:password@host
  { name: 'url-credentials', pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):([^\s@/]+)@/gi, replace: '$1:[REDACTED]@' },
  { name: 'bearer', pattern: /\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]{8,}=*/g, replace: '$1 [REDACTED]' },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: '[REDACTED jwt]' },
  { name: 'aws-access-key', pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, replace: '[REDACTED aws key]' },
  { name: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g, replace: '[REDACTED token]' },
  { name: 'slack-token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, replace: '[REDACTED token]' },
  { name: 'openai-key', pattern: /\bsk-[A-Za-z0-9_-]{20,}\b/g, replace: '[REDACTED token]' },
  { name: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, replace: '[REDACTED token]' },
  // key=value / key: value where the key names a secret (env dumps, YAML, JSON, query strings).
  {
    name: 'secret-assignment',
    pattern:
      /(\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth)[\w.-]*["']?\s*[:=]\s*)(?!\[REDACTED)("[^"\n]*"|'[^'\n]*'|[^\s,;&"'}\]]+)/gi,
    replace: '$1[REDACTED]',
  },
  { name: 'aws-secret', pattern: /\b[A-Za-z0-9/+]{40}\b(?=[^\n]*(?:aws|secret))/gi, replace: '[REDACTED]' },
];

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
  return { text: out, redactions };
}

export const redact = (text: string): string => redactSecrets(text).text;
