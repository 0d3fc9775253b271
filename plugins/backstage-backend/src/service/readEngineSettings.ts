import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

export interface EngineSettings {
  baseUrl: string;
  token?: string;
  /** Sent instead of `token` on the calls that change a cluster (apply a plan, approve a repair). */
  actionToken?: string;
  timeoutMs: number;
  /** Off by default: calls that change a cluster are refused whatever the permission policy says. */
  allowClusterChanges: boolean;
  /** Event streams one signed-in user may hold open through the pass-through at once (`proxy.maxStreamsPerUser`). */
  maxStreamsPerUser: number;
  /** `engine.actsForUsers`: name the signed-in user to the engine (X-AICloudOps-User) on every forwarded call. */
  actsForUsers: boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
// An entity tab holds at most a few streams at once (a job's progress, the assistant's answer): ten leaves room for
// several tabs.
const DEFAULT_MAX_STREAMS_PER_USER = 10;

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
  const maxStreamsPerUser = section.getOptionalNumber('proxy.maxStreamsPerUser') ?? DEFAULT_MAX_STREAMS_PER_USER;
  if (!Number.isInteger(maxStreamsPerUser) || maxStreamsPerUser < 1) {
    throw new InputError(`aicloudops.proxy.maxStreamsPerUser: must be a whole number of at least 1, got ${maxStreamsPerUser}`);
  }
  const token = section.getOptionalString('engine.token');
  const actionToken = section.getOptionalString('engine.actionToken');
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    ...(actionToken ? { actionToken } : {}),
    timeoutMs: timeoutSeconds * 1000,
    allowClusterChanges: section.getOptionalBoolean('proxy.allowClusterChanges') ?? false,
    maxStreamsPerUser,
    actsForUsers: section.getOptionalBoolean('engine.actsForUsers') ?? false,
  };
}
