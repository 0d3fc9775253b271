import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface EngineSettings {
  baseUrl: string;
  token?: string;
  timeoutMs: number;
  /** Paths below the engine root that users may POST to through the pass-through. */
  allowPost: string[];
}

/** Analysis only: these start read-only work on the engine. Anything that changes a cluster must be opted into. */
export const DEFAULT_ALLOW_POST = [
  '/api/v1/rca',
  '/api/v1/forecast',
  '/api/v1/scale-plan',
  '/api/v1/assistant/ask',
  '/api/v1/assistant/feedback',
];

const DEFAULT_TIMEOUT_SECONDS = 30;

/** Reads the `aicloudops` section; undefined when it is absent (the plugin then stays off). */
export function readEngineSettings(config: Config): EngineSettings | undefined {
  const section = config.getOptionalConfig('aicloudops');
  if (!section) return undefined;
  const baseUrl = section.getString('engine.baseUrl');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new InputError(`aicloudops.engine.baseUrl: '${baseUrl}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(`aicloudops.engine.baseUrl: must be http or https, got ${parsed.protocol}`);
  }
  const timeoutSeconds = section.getOptionalNumber('engine.timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS;
  if (!(timeoutSeconds > 0)) {
    throw new InputError('aicloudops.engine.timeoutSeconds: must be a positive number');
  }
  const allowPost = (section.getOptionalStringArray('proxy.allowPost') ?? DEFAULT_ALLOW_POST).map((path, i) => {
    if (!path.startsWith('/api/v1/')) {
      throw new InputError(`aicloudops.proxy.allowPost[${i}]: must start with /api/v1/, got '${path}'`);
    }
    return path.replace(/\/+$/, '');
  });
  const token = section.getOptionalString('engine.token');
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    timeoutMs: timeoutSeconds * 1000,
    allowPost,
  };
}
