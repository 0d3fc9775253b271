/**
 * What the backend answers (503) when the engine does not answer: the setting to check. The reason behind it
 * ("fetch failed: connect ECONNREFUSED 10.0.3.7:8080") names the engine's internal address, so it goes to the
 * backend's log, not into the response. Shared so the frontend can recognise it and say it in the user's language.
 */
export const ENGINE_UNREACHABLE =
  'AI-CloudOps engine unreachable: check that it runs at aicloudops.engine.baseUrl of the app config';

/** Whether `error` is the backend's ENGINE_UNREACHABLE, as the engine client or Backstage's ResponseError carries it. */
export function isEngineUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: { message?: unknown } }).cause;
  return error.message === ENGINE_UNREACHABLE || cause?.message === ENGINE_UNREACHABLE;
}
