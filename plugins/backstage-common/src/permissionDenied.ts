/** The backend's 403 message when the permission policy denies the signed-in user one of the plugin's permissions. */
export function permissionDeniedMessage(permission: string): string {
  return `permission ${permission} is denied`;
}

const DENIED = /^permission (\S+) is denied$/;

/**
 * The permission named by the backend's permissionDeniedMessage, as the engine client or Backstage's ResponseError
 * carries it; undefined for any other error. Shared so the tab can say in the user's language whom to ask.
 */
export function deniedPermission(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: { message?: unknown } }).cause;
  for (const message of [error.message, cause?.message]) {
    const match = typeof message === 'string' ? DENIED.exec(message) : null;
    if (match) return match[1];
  }
  return undefined;
}
