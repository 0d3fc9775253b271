import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { EngineConfig } from '../../config/schema.js';
import { EngineError } from '../../errors.js';
import type { CliContext } from '../CliContext.js';
import type { RequestTerms } from '../output.js';

export function registerServe(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('start the engine HTTP server (REST, SSE, /metrics)')
    .option('--port <port>', 'listen port (overrides server.port)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .action(async (options: { port?: string; host?: string }) => {
      let config: EngineConfig;
      try {
        config = await cli.loadConfig({
          server: {
            ...(options.port !== undefined ? { port: options.port } : {}),
            ...(options.host ? { host: options.host } : {}),
          },
        });
      } catch (error) {
        // A bad --port was refused as `server.port: must be a whole number ...`, a setting the user never wrote.
        const given: RequestTerms = {
          ...(options.port !== undefined ? { 'server.port': '--port' } : {}),
          ...(options.host ? { 'server.host': '--host' } : {}),
        };
        process.exitCode = cli.output.error(error, given);
        return;
      }
      // Loaded here so the other commands do not pay for the server's modules at start-up.
      const [{ startServer }, { createLogger }] = await Promise.all([
        import('../../server/startServer.js'),
        import('../../engine.js'),
      ]);
      const logger = createLogger(config, { pretty: process.stdout.isTTY });
      const server = await startServer({ config, logger, scheduleDemoFaults: true }).catch(
        (error: unknown) => {
          throw listenError(error, config.server) ?? error;
        },
      );
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
      printBanner(server.url, config, !!server.engine.demo, kube);
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

/**
 * A port or address the server cannot listen on, as an error naming the setting and what to do: the bare
 * "listen EADDRINUSE: address already in use 127.0.0.1:8080" of a second `npm start` said neither.
 */
export function listenError(error: unknown, server: { host: string; port: number }): EngineError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const where = `${server.host}:${server.port}`;
  if (code === 'EADDRINUSE') {
    return new EngineError(
      'INVALID_CONFIG',
      `port ${server.port} is already in use on ${server.host} (another engine?): stop it, or pass --port N (server.port)`,
      { issues: [{ field: 'server.port', message: 'already in use' }] },
    );
  }
  if (code === 'EACCES') {
    return new EngineError(
      'INVALID_CONFIG',
      `not allowed to listen on ${where} (ports below 1024 need privileges): pass --port N (server.port) above 1023`,
      { issues: [{ field: 'server.port', message: `not allowed to listen on ${where}` }] },
    );
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new EngineError(
      'INVALID_CONFIG',
      `cannot listen on ${server.host}: no such address on this machine; pass --host (server.host) 127.0.0.1, 0.0.0.0 or one of its addresses`,
      { issues: [{ field: 'server.host', message: 'no such address on this machine' }] },
    );
  }
  return undefined;
}

/** What the demo's fault injection does, with the configured interval (600 s: "every 10 minutes", as the README says). */
function demoFaults(config: EngineConfig): string {
  if (config.cluster.kind !== 'simulated' || !config.cluster.injectFaults) {
    return 'no faults are injected (cluster.injectFaults: false).';
  }
  const seconds = config.cluster.faultIntervalSeconds;
  const every = seconds % 60 !== 0 ? `${seconds} s` : seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `a fault is already under way and another is injected every ${every}.`;
}

function printBanner(url: string, config: EngineConfig, demo: boolean, kube?: DemoKubeconfig): void {
  const namespace = encodeURIComponent(config.defaultNamespace);
  const lines = [
    '',
    `AI-CloudOps engine is up (profile ${config.profile}).`,
    `  API            ${url}/api/v1`,
    `  OpenAPI        ${url}/api/v1/openapi.json`,
    `  readiness      ${url}/readyz`,
    `  metrics        ${url}/metrics`,
    `  workloads      ${url}/api/v1/workloads?namespace=${namespace}`,
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
      `The demo shop runs on a simulated cluster with synthetic metrics; ${demoFaults(config)}`,
      'Press Ctrl+C to stop.',
    );
  }
  process.stderr.write(lines.join('\n') + '\n\n');
}
