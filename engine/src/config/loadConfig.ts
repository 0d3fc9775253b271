import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { configSchema, type EngineConfig, type EngineConfigInput } from './schema.js';
import { EngineError, fieldIssuesFromZod, describeIssues, type FieldIssue } from '../errors.js';
import { undeclaredConfigKeys, unknownConfigKeys } from './unknownConfigKeys.js';

export const ENV_PREFIX = 'AICLOUDOPS_';

export interface LoadConfigOptions {
  /** YAML file; `AICLOUDOPS_CONFIG` is used when absent. */
  path?: string;
  /** Overrides the file's `profile`. */
  profile?: 'demo' | 'live';
  /** Environment to read overrides from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Applied last, e.g. `--port` from the CLI. */
  overrides?: EngineConfigInput;
}

/**
 * Config precedence: defaults < profile preset < YAML file < AICLOUDOPS_* environment < explicit overrides.
 * Environment keys map to fields with `__` between levels: `AICLOUDOPS_METRICS__URL`, `AICLOUDOPS_SERVER__PORT`.
 * Values that parse as JSON (numbers, booleans, arrays) are used as such. `${VAR}` inside YAML strings is
 * expanded from the environment so secrets need not live in the file.
 */
export function loadConfig(options: LoadConfigOptions = {}): EngineConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? env[`${ENV_PREFIX}CONFIG`];
  const fromFile = path ? readConfigFile(path, env) : {};
  const fromEnv = configFromEnv(env);
  const merged = deepMerge(
    deepMerge(deepMerge({}, fromFile), fromEnv),
    (options.overrides ?? {}) as Record<string, unknown>,
  );
  if (options.profile) merged.profile = options.profile;
  const origin = path ? `config file ${path}` : 'configuration';
  let config: EngineConfig;
  try {
    config = parseConfig(merged, origin);
  } catch (error) {
    throw withUndeclaredKeys(error, origin, fromFile, env, merged);
  }
  const unknown = unknownConfigKeys(fromFile, config);
  if (unknown.length > 0) throw invalid(`config file ${path}`, unknown);
  const unknownEnv = unknownEnvSettings(env, config);
  if (unknownEnv.length > 0) throw invalid('configuration from the environment', unknownEnv);
  return config;
}

/**
 * AICLOUDOPS_* variables with `__` name a setting's path (`AICLOUDOPS_SERVER__PORT`); one the schema does not know
 * (`AICLOUDOPS_SERVER__PROT`) was ignored like a file's typo. Variables without `__` are left alone: the prefix also
 * carries the CLI's AICLOUDOPS_URL / AICLOUDOPS_TOKEN and the compose file's AICLOUDOPS_VIEWER_TOKEN.
 */
function unknownEnvSettings(env: NodeJS.ProcessEnv, config: EngineConfig): FieldIssue[] {
  return envSettings(env).flatMap(([name, value]) =>
    unknownConfigKeys(configFromEnv({ [name]: value }), config).map((issue) => ({
      field: name,
      message: `${issue.field}: ${issue.message}`,
    })),
  );
}

const envSettings = (env: NodeJS.ProcessEnv): Array<[string, string]> =>
  Object.entries(env).filter(
    (entry): entry is [string, string] =>
      entry[0].startsWith(ENV_PREFIX) && entry[0].includes('__') && entry[1] !== undefined,
  );

/**
 * A config that failed validation, with the keys its schema does not know named first (a typo is often why a value
 * is missing or wrong), as the file's and the environment's are when it is valid. Before, parseConfig threw first and
 * `server.bogus: unknown setting` appeared only once every other field was fixed.
 */
function withUndeclaredKeys(
  error: unknown,
  origin: string,
  fromFile: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  merged: Record<string, unknown>,
): unknown {
  if (!(error instanceof EngineError) || error.code !== 'INVALID_CONFIG') return error;
  const guide = withPreset(merged);
  const unknown = [
    ...undeclaredConfigKeys(fromFile, configSchema, guide),
    ...envSettings(env).flatMap(([name, value]) =>
      undeclaredConfigKeys(configFromEnv({ [name]: value }), configSchema, guide).map((issue) => ({
        field: name,
        message: `${issue.field}: ${issue.message}`,
      })),
    ),
  ];
  if (unknown.length === 0) return error;
  return invalid(origin, [...unknown, ...error.issues]);
}

/** Validates a config object (after the profile preset), throwing INVALID_CONFIG that names every failing field. */
export function parseConfig(input: Record<string, unknown>, origin = 'configuration'): EngineConfig {
  const result = configSchema.safeParse(withPreset(input));
  if (!result.success) {
    throw invalid(origin, fieldIssuesFromZod(result.error.issues));
  }
  const issues = crossFieldIssues(result.data);
  if (issues.length > 0) throw invalid(origin, issues);
  return result.data;
}

function withPreset(input: Record<string, unknown>): Record<string, unknown> {
  const profile = input.profile === 'live' ? 'live' : 'demo';
  return deepMerge(structuredClone(presetFor(profile, input)), input);
}

function invalid(origin: string, issues: FieldIssue[]): EngineError {
  return new EngineError('INVALID_CONFIG', `invalid ${origin}: ${describeIssues(issues)}`, { issues });
}

/** The demo needs nothing outside the process; live expects real backends and refuses to run unauthenticated. */
const PROFILE_PRESETS: Record<'demo' | 'live', Record<string, unknown>> = {
  demo: {
    server: { auth: { enabled: false } },
    // The kinds the defaults would pick, so one nested override works alone: AICLOUDOPS_CLUSTER__INJECT_FAULTS=false
    // made `cluster: { injectFaults: false }`, which has no kind, and the demo refused to start ("cluster.kind:
    // Invalid discriminator value"). A kind the user sets still wins.
    metrics: { kind: 'synthetic' },
    cluster: { kind: 'simulated' },
    store: { kind: 'memory' },
  },
  live: {
    metrics: { kind: 'prometheus' },
    cluster: { kind: 'kubernetes' },
    store: { kind: 'redis' },
  },
};

/**
 * The demo turns auth off, but not over tokens the configuration sets: a demo config with `server.auth.tokens` and no
 * `enabled` served every caller as an anonymous admin, viewer tokens included (found walking the README: a viewer
 * read ingest jobs' host folders). `enabled: false` set explicitly still wins.
 */
function presetFor(profile: 'demo' | 'live', input: Record<string, unknown>): Record<string, unknown> {
  const auth = (input.server as { auth?: { enabled?: unknown; tokens?: unknown } } | undefined)?.auth;
  const tokensSet = Array.isArray(auth?.tokens) && auth.tokens.length > 0;
  if (profile !== 'demo' || !tokensSet || auth?.enabled !== undefined) return PROFILE_PRESETS[profile];
  return { ...PROFILE_PRESETS.demo, server: { auth: { enabled: true } } };
}

function crossFieldIssues(config: EngineConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { auth } = config.server;
  if (auth.enabled && auth.tokens.length === 0) {
    issues.push({
      field: 'server.auth.tokens',
      message: 'at least one token is required when auth is enabled (or set server.auth.enabled: false)',
    });
  }
  const seen = new Set<string>();
  auth.tokens.forEach((t, i) => {
    if (seen.has(t.token))
      issues.push({ field: `server.auth.tokens.${i}.token`, message: 'duplicate token' });
    seen.add(t.token);
  });
  const names = new Set<string>();
  config.signals.list.forEach((s, i) => {
    if (names.has(s.name))
      issues.push({ field: `signals.list.${i}.name`, message: `duplicate signal "${s.name}"` });
    names.add(s.name);
  });
  return issues;
}

function readConfigFile(path: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EngineError('INVALID_CONFIG', `cannot read config file ${path}: ${(error as Error).message}`, {
      issues: [{ field: '(file)', message: (error as Error).message }],
    });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new EngineError(
      'INVALID_CONFIG',
      `config file ${path} is not valid YAML${where}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new EngineError('INVALID_CONFIG', `config file ${path} must hold a mapping at the top level`);
  }
  return expandEnv(parsed as Record<string, unknown>, env, '') as Record<string, unknown>;
}

function expandEnv(value: unknown, env: NodeJS.ProcessEnv, field: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new EngineError(
          'INVALID_CONFIG',
          `invalid config: ${field}: environment variable ${name} is not set`,
          {
            issues: [{ field, message: `environment variable ${name} is not set` }],
          },
        );
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, `${field}.${i}`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, field ? `${field}.${k}` : k)]),
    );
  }
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined || name === `${ENV_PREFIX}CONFIG`) continue;
    const path = name
      .slice(ENV_PREFIX.length)
      .split('__')
      .map((segment) => segment.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));
    let node = out;
    for (const segment of path.slice(0, -1)) {
      if (typeof node[segment] !== 'object' || node[segment] === null) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = parseEnvValue(raw);
  }
  return out;
}

function parseEnvValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (/^(true|false|null|-?\d+(\.\d+)?|\[.*\]|\{.*\})$/s.test(trimmed)) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return raw;
    }
  }
  return raw;
}

export function deepMerge(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(value) && isPlainObject(existing)) {
      target[key] = deepMerge({ ...existing }, value);
    } else if (value !== undefined) {
      target[key] = isPlainObject(value) ? deepMerge({}, value) : value;
    }
  }
  return target;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
