import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, startReadyServer, type ReadyServer } from './ManagedProcess.js';
import { requireBinary } from './requireBinary.js';

export type AlertmanagerServer = ReadyServer;

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const DEFAULT_CONFIG = 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n';

/** A real Alertmanager on a free loopback port with gossip disabled (no cluster port to collide on). */
export async function startAlertmanager(
  options: { config?: string; args?: string[] } = {},
): Promise<AlertmanagerServer> {
  const binary = requireBinary(ALERTMANAGER, 'prometheus-alertmanager');
  const dir = await makeTempDir('alertmanager');
  try {
    const configFile = join(dir.path, 'alertmanager.yml');
    await writeFile(configFile, options.config ?? DEFAULT_CONFIG);
    const storage = join(dir.path, 'data');
    await mkdir(storage, { recursive: true });
    return await startReadyServer('alertmanager', binary, dir, (port) => [
      `--config.file=${configFile}`,
      `--storage.path=${storage}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      ...(options.args ?? []),
    ]);
  } catch (error) {
    await dir.remove();
    throw error;
  }
}
