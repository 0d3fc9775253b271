import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ManagedProcess, httpOk, makeTempDir, startOnFreePort } from './ManagedProcess.js';
import { requireBinary } from './requireBinary.js';

export interface AlertmanagerServer {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';
const DEFAULT_CONFIG = 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n';

/** A real Alertmanager on a free loopback port with gossip disabled (no cluster port to collide on). */
export async function startAlertmanager(options: { config?: string; args?: string[] } = {}): Promise<AlertmanagerServer> {
  const binary = requireBinary(ALERTMANAGER, 'prometheus-alertmanager');
  const dir = await makeTempDir('alertmanager');
  try {
    const configFile = join(dir.path, 'alertmanager.yml');
    await writeFile(configFile, options.config ?? DEFAULT_CONFIG);
    const storage = join(dir.path, 'data');
    await mkdir(storage, { recursive: true });
    return await startOnFreePort(async (port) => {
      const args = [
        `--config.file=${configFile}`,
        `--storage.path=${storage}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
        ...(options.args ?? []),
      ];
      const server = ManagedProcess.start(`alertmanager :${port}`, binary, args, dir.path);
      const url = `http://127.0.0.1:${port}`;
      await server.waitUntil(() => httpOk(`${url}/-/ready`));
      return {
        url,
        port,
        dir: dir.path,
        async stop() {
          await server.stop();
          await dir.remove();
        },
      };
    });
  } catch (error) {
    await dir.remove();
    throw error;
  }
}
