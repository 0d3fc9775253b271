import type { Request, Response } from 'express';
import { ENGINE_TOKEN_REFUSED } from '@ai-cloudops/backstage-plugin-common';
import type { EngineSettings } from './readEngineSettings';

/** The app-config key of the token a call is sent with: named in a refusal, never its value. */
export type TokenSetting = 'aicloudops.engine.token' | 'aicloudops.engine.actionToken';

export interface EngineToken {
  value: string | undefined;
  setting: TokenSetting;
}

/** The token a call goes out with: the action token (when set) on calls that change a cluster, else the token. */
export function engineToken(settings: EngineSettings, changesCluster: boolean): EngineToken {
  if (changesCluster && settings.actionToken) {
    return { value: settings.actionToken, setting: 'aicloudops.engine.actionToken' };
  }
  return { value: settings.token, setting: 'aicloudops.engine.token' };
}

/** The engine's error body (`{ error: { code, message, issues } }`), as far as a refusal is judged by it. */
export interface EngineRefusal {
  status: number;
  code?: unknown;
  message?: string;
  issues?: ReadonlyArray<{ field?: unknown }>;
}

/**
 * The engine's reason when its answer refuses the portal's token rather than answering the call, else undefined:
 * - every 401: Backstage has signed the user in, so a missing or unknown token is the portal's;
 * - a 403 FORBIDDEN naming the token's scope (headers.authorization) or its actsForUsers (headers.x-aicloudops-user);
 * - a 403 FORBIDDEN for the token's role on a call that is not a read. Reads go out as a viewer's
 *   (X-AICloudOps-Role), so a read the engine keeps from viewers (its config) is refused whatever the token: that
 *   403 stays the engine's answer, as do its Host check (headers.host: server.allowedHosts) and a 403
 *   POLICY_DENIED (its safety policy refusing the action itself).
 */
export function tokenRefusal(method: string, refusal: EngineRefusal): string | undefined {
  const { status, code, message, issues = [] } = refusal;
  const reason = message ?? `HTTP ${status}`;
  if (status === 401) return reason;
  if (status !== 403 || code !== 'FORBIDDEN') return undefined;
  const fields = issues.map((issue) => issue.field);
  if (fields.includes('headers.authorization') || fields.includes('headers.x-aicloudops-user')) return reason;
  return fields.length === 0 && method !== 'GET' ? reason : undefined;
}

/** tokenRefusal of a raw engine answer. */
export function tokenRefusalOfBody(method: string, status: number, body: string): string | undefined {
  if (status !== 401 && status !== 403) return undefined;
  let error: { code?: unknown; message?: unknown; issues?: unknown } | undefined;
  try {
    error = (JSON.parse(body) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  return tokenRefusal(method, {
    status,
    code: error?.code,
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    ...(Array.isArray(error?.issues) ? { issues: error.issues as EngineRefusal['issues'] } : {}),
  });
}

/** What the user reads: the engine refused the portal's configuration, not them, and who can fix it. */
export function tokenRefusedMessage(setting: TokenSetting, reason: string): string {
  return (
    `the AI-CloudOps engine refused the portal's configured token (${setting}): ${reason}. ` +
    `This is the portal's configuration, not your sign-in: ask the portal's administrator to set ${setting} to a ` +
    "token in the engine's server.auth.tokens with the role and scopes this call needs"
  );
}

/**
 * 502 in Backstage's error shape, written here rather than thrown: Backstage's error handler would log every one
 * at error level as well, and @backstage/errors has no error that maps to 502. `code` carries the name too, as the
 * engine client reads an error's `code`.
 */
export function refuseToken(res: Response, req: Request, message: string): void {
  res.status(502).json({
    error: { name: ENGINE_TOKEN_REFUSED, code: ENGINE_TOKEN_REFUSED, message },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: 502 },
  });
}

/**
 * Warns once per refusal: a wrong token fails every call of every open tab (the tab loads half a dozen and retries
 * each), which would bury the log in copies of one line. Forgotten once the engine accepts a call again, so a later
 * refusal is logged anew.
 */
export class TokenRefusalLog {
  private readonly seen = new Set<string>();

  constructor(private readonly logger?: { warn(message: string): void }) {}

  refused(setting: TokenSetting, status: number, reason: string, call: string): void {
    const key = `${setting} ${status} ${reason}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.logger?.warn(
      `the engine refused ${setting} (${status}: ${reason}) for ${call}; further refusals for the same reason are not logged until it accepts a call`,
    );
  }

  accepted(): void {
    this.seen.clear();
  }
}
