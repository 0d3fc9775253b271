import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './freePort.js';
import { ManagedProcess, makeTempDir, startOnFreePort } from './ManagedProcess.js';
import { requireBinary } from './requireBinary.js';

export interface InfluxDBServer {
  url: string;
  port: number;
  dir: string;
  /** Creates a database (InfluxQL `CREATE DATABASE`, idempotent). */
  createDatabase(name: string): Promise<void>;
  /** Writes line protocol (precision: seconds) into a database. */
  write(database: string, lines: string | string[]): Promise<void>;
  stop(): Promise<void>;
}

const INFLUXD = '/usr/bin/influxd';

/**
 * A real influxd (Debian's influxdb 1.x) with its own config and data directory under a temp dir. Both listeners are
 * bound to loopback on free ports: the HTTP API and the RPC service used by backup/restore (its default :8088 would
 * collide between parallel test files). Reporting, the _internal monitor and the logs of every request are off.
 */
export async function startInfluxDB(): Promise<InfluxDBServer> {
  const binary = requireBinary(INFLUXD, 'influxdb');
  const dir = await makeTempDir('influxdb');
  try {
    return await startOnFreePort(async (port) => {
      const rpcPort = await freePort();
      const configPath = join(dir.path, 'influxdb.conf');
      await writeFile(configPath, configText(dir.path, port, rpcPort));
      const server = ManagedProcess.start(`influxd :${port}`, binary, ['-config', configPath], dir.path);
      const url = `http://127.0.0.1:${port}`;
      await server.waitUntil(() => ping(url));
      return {
        url,
        port,
        dir: dir.path,
        createDatabase: (name) => influxQuery(url, `CREATE DATABASE "${name.replace(/"/g, '\\"')}"`),
        write: (database, lines) => writeLines(url, database, lines),
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

function configText(dir: string, port: number, rpcPort: number): string {
  return [
    'reporting-enabled = false',
    `bind-address = "127.0.0.1:${rpcPort}"`,
    '[meta]',
    `  dir = "${dir}/meta"`,
    '  logging-enabled = false',
    '[data]',
    `  dir = "${dir}/data"`,
    `  wal-dir = "${dir}/wal"`,
    '  query-log-enabled = false',
    '[monitor]',
    '  store-enabled = false',
    '[http]',
    `  bind-address = "127.0.0.1:${port}"`,
    '  log-enabled = false',
    '[logging]',
    '  level = "warn"',
    '',
  ].join('\n');
}

async function ping(url: string): Promise<boolean> {
  const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(2_000) });
  await response.arrayBuffer();
  return response.status === 204;
}

async function influxQuery(url: string, q: string): Promise<void> {
  const response = await fetch(`${url}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ q }).toString(),
  });
  const text = await response.text();
  if (!response.ok || text.includes('"error"'))
    throw new Error(`influxdb ${q}: HTTP ${response.status} ${text}`);
}

async function writeLines(url: string, database: string, lines: string | string[]): Promise<void> {
  const body = Array.isArray(lines) ? lines.join('\n') : lines;
  const response = await fetch(`${url}/write?db=${encodeURIComponent(database)}&precision=s`, {
    method: 'POST',
    body,
  });
  if (response.status !== 204)
    throw new Error(`influxdb write to ${database}: HTTP ${response.status} ${await response.text()}`);
}
