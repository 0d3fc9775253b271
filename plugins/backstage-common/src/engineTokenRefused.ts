/** The error name of the backend's 502 when the engine refuses the portal's own token (401, or its 403 FORBIDDEN). */
export const ENGINE_TOKEN_REFUSED = 'EngineTokenRefusedError';

/** Whether `error` is the backend's ENGINE_TOKEN_REFUSED, as the engine client or Backstage's ResponseError carries it. */
export function isEngineTokenRefused(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { name?: unknown } }).cause;
  const code = (error as { code?: unknown }).code;
  return error.name === ENGINE_TOKEN_REFUSED || cause?.name === ENGINE_TOKEN_REFUSED || code === ENGINE_TOKEN_REFUSED;
}
