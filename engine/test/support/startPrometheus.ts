import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, startReadyServer, type ReadyServer } from './ManagedProcess.js';
import { requireBinary } from './requireBinary.js';

export interface PrometheusOptions {
  /** OpenMetrics text (see openMetricsFromSeries) backfilled into the TSDB before start. */
  openMetrics?: string;
  /** prometheus.yml content; default scrapes nothing. Relative paths in it resolve against `dir`. */
  config?: string;
  /** Extra files written into the temp dir before start, e.g. `{ 'rules.yml': '...' }` for `rule_files`. */
  files?: Record<string, string>;
  /** Extra flags, e.g. `--rules.alert.resend-delay=1s`. */
  args?: string[];
  /** Headers the readiness probe sends (a `--web.config.file` with basic auth protects `/-/ready` too). */
  readyHeaders?: Record<string, string>;
}

export type PrometheusServer = ReadyServer;

const PROMETHEUS = '/usr/bin/prometheus';
const PROMTOOL = '/usr/bin/promtool';
const DEFAULT_CONFIG = 'global:\n  scrape_interval: 15s\nscrape_configs: []\n';

/** A real Prometheus on a free loopback port, optionally with deterministic history backfilled by promtool. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const binary = requireBinary(PROMETHEUS, 'prometheus');
  const dir = await makeTempDir('prometheus');
  try {
    const storage = join(dir.path, 'data');
    await mkdir(storage, { recursive: true });
    for (const [name, content] of Object.entries(options.files ?? {})) {
      await writeFile(join(dir.path, name), content);
    }
    const configFile = join(dir.path, 'prometheus.yml');
    await writeFile(configFile, options.config ?? DEFAULT_CONFIG);
    if (options.openMetrics !== undefined) {
      const input = join(dir.path, 'backfill.om');
      await writeFile(input, options.openMetrics);
      await backfill(input, storage);
    }

    return await startReadyServer(
      'prometheus',
      binary,
      dir,
      (port) => [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${storage}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
        ...(options.args ?? []),
      ],
      options.readyHeaders,
    );
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

async function backfill(input: string, storage: string): Promise<void> {
  const promtool = requireBinary(PROMTOOL, 'prometheus');
  try {
    await promisify(execFile)(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', input, storage], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`promtool backfill failed: ${e.stderr || e.stdout || e.message}`);
  }
}
