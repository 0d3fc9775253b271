import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A kubeconfig for real kubectl against a simulated API server (namespace shop, a bearer token the server accepts),
 * in a fresh folder that can also serve as kubectl's HOME (its discovery cache goes there, not into the user's).
 */
export function kubectlConfig(serverUrl: string, prefix = 'kubectl-'): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    `apiVersion: v1
kind: Config
clusters: [{ name: sim, cluster: { server: "${serverUrl}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: sim, context: { cluster: sim, user: u, namespace: shop } }]
current-context: sim
`,
  );
  return { dir, file };
}
