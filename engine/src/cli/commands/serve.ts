import type { Command } from 'commander';
import type { CliContext } from '../CliContext.js';
import { startServer } from '../../server/startServer.js';
import { createLogger } from '../../engine.js';

export function registerServe(program: Command, cli: CliContext): void {
  program
    .command('serve')
    .description('start the engine HTTP server (REST, SSE, /metrics)')
    .option('--port <port>', 'listen port (overrides server.port)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .action(async (options: { port?: string; host?: string }) => {
      const config = cli.loadConfig({
        server: { ...(options.port !== undefined ? { port: options.port } : {}), ...(options.host ? { host: options.host } : {}) },
      });
      const logger = createLogger(config, { pretty: process.stdout.isTTY });
      const server = await startServer({ config, logger, scheduleDemoFaults: true });
      const shutdown = async (signal: string) => {
        logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
        const force = setTimeout(() => process.exit(1), (config.server.shutdownGraceSeconds + 5) * 1000);
        force.unref();
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      printBanner(server.url, config.profile, !!server.engine.demo);
    });
}

function printBanner(url: string, profile: string, demo: boolean): void {
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
      '',
      'The demo shop runs on a simulated cluster with synthetic metrics; a fault is already under way and',
      'another is injected every few minutes. Press Ctrl+C to stop.',
    );
  }
  process.stderr.write(lines.join('\n') + '\n\n');
}
