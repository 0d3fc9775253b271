import { accessSync, constants } from 'node:fs';

/** Fails with the fix in the message, so a missing Debian package is not mistaken for a failing test. */
export function requireBinary(path: string, debianPackage: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw new Error(
      `${path} is missing: run .ci/run, or apt-get install -y --no-install-recommends ${debianPackage}`,
    );
  }
}
