import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';

export function registerServe(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('start the engine HTTP server (REST, SSE, /metrics)')
    .option('--port <port>', 'listen port (overrides server.port)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = await cli.loadConfig({
        server: {
          ...(options.port !== undefined ? { port: options.port } : {}),
          ...(options.host ? { host: options.host } : {}),
        },
      });
      // Loaded here so the other commands do not pay for the server's modules at start-up.
      const [{ startServer }, { createLogger }] = await Promise.all([
        import('../../server/startServer.js'),
        import('../../engine.js'),
      ]);
      const logger = createLogger(config, { pretty: process.stdout.isTTY });
      const server = await startServer({ config, logger, scheduleDemoFaults: true });
      const kube = server.engine.demo ? writeKubeconfig(server.engine.demo.cluster) : undefined;
      const shutdown = async (signal: string) => {
        if (kube) rmSync(kube.dir, { recursive: true, force: true });
        logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
        const force = setTimeout(() => process.exit(1), (config.server.shutdownGraceSeconds + 5) * 1000);
        force.unref();
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      printBanner(server.url, config.profile, !!server.engine.demo, kube);
    });
}

interface DemoKubeconfig {
  dir: string;
  path: string;
  server: string;
}

/**
 * Writes a kubeconfig for the demo's simulated API server into a fresh temp dir (0600: it holds the simulated
 * cluster's token), so kubectl sees the same cluster the engine analyses. Removed on shutdown.
 */
function writeKubeconfig(cluster: { url: string; kubeConfig(): { exportConfig(): string } }): DemoKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'aicloudops-demo-'));
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, cluster.kubeConfig().exportConfig(), { mode: 0o600 });
  return { dir, path, server: cluster.url };
}

function printBanner(url: string, profile: string, demo: boolean, kube?: DemoKubeconfig): void {
  const lines = [
    '',
    `AI-CloudOps engine is up (profile ${profile}).`,
    `  API            ${url}/api/v1`,
    `  OpenAPI        ${url}/api/v1/openapi.json`,
    `  readiness      ${url}/readyz`,
    `  metrics        ${url}/metrics`,
    `  workloads      ${url}/api/v1/workloads?namespace=shop`,
  ];
  if (demo) {
    lines.push(
      `  demo faults    ${url}/api/v1/demo/faults`,
      `  demo metrics   ${url}/demo/metrics   (point a Prometheus scrape job here)`,
      ...(kube
        ? [
            `  Kubernetes API ${kube.server}   (simulated cluster)`,
            `  kubeconfig     ${kube.path}`,
            `                 KUBECONFIG=${kube.path} kubectl get pods -n shop`,
          ]
        : []),
      '',
      'The demo shop runs on a simulated cluster with synthetic metrics; a fault is already under way and',
      'another is injected every few minutes. Press Ctrl+C to stop.',
    );
  }
  process.stderr.write(lines.join('\n') + '\n\n');
}
