import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { EngineConfig } from '../config/schema.js';
import type { Engine } from '../engine.js';
import { EngineClient } from '@ai-cloudops/engine-client';
import { EngineError } from '../errors.js';
import { Output } from './output.js';
import { invocationDir } from './invocationDir.js';
import type { CliBackend } from './backend/CliBackend.js';
import { RemoteBackend } from './backend/RemoteBackend.js';

export interface GlobalOptions {
  config?: string;
  profile?: 'demo' | 'live';
  json?: boolean;
  server?: string;
  token?: string;
}

/** What every subcommand gets: the config as the global options say, an engine (one-shot or running), and output. */
export class CliContext {
  constructor(private readonly program: Command) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get output(): Output {
    return new Output(!!this.options.json);
  }

  async loadConfig(overrides: Record<string, unknown> = {}): Promise<EngineConfig> {
    const { config, profile } = this.options;
    // Imported when needed: a command sent to a running engine (--server) never loads the engine's modules, which
    // take most of a one-shot command's start-up (5.3 s of 6 on a loaded 2-core machine; cli-speed bench).
    const { loadConfig } = await import('../config/loadConfig.js');
    // `npm start -- --config my.yaml` runs in engine/: the file and a relative dataDir are the user's, so they
    // resolve where the command was typed (before, the file was not found, and `npm start` kept its knowledge base
    // in engine/data while `npx aicloudops ingest` from the same folder wrote ./data, which the server never read).
    const here = invocationDir();
    const file = config ?? process.env.AICLOUDOPS_CONFIG;
    const loaded = loadConfig({
      ...(file ? { path: resolve(here, file) } : {}),
      ...(profile ? { profile } : {}),
      overrides,
    });
    return { ...loaded, dataDir: resolve(here, loaded.dataDir) };
  }

  /** The running engine named by `--server` (or $AICLOUDOPS_URL), with `--token` (or $AICLOUDOPS_TOKEN); none if unset. */
  remote(): EngineClient | undefined {
    const url = this.options.server ?? process.env.AICLOUDOPS_URL;
    this.refuseUnusedGlobals(url !== undefined && url !== '');
    if (!url) return undefined;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new EngineError('INVALID_INPUT', `--server must be an http(s) URL, got "${url}"`, {
        issues: [{ field: 'server', message: 'must be an http(s) URL' }],
      });
    }
    const token = this.options.token ?? process.env.AICLOUDOPS_TOKEN;
    return new EngineClient({ baseUrl: url, ...(token ? { token } : {}) });
  }

  /**
   * Global options the chosen engine does not read, given on the command line, refused naming them: a running engine
   * keeps its own configuration, so `--server URL --config missing.yaml doctor` reported the engine's checks without
   * a word about the file, and a one-shot engine has no use for `--token`. The variables ($AICLOUDOPS_CONFIG,
   * $AICLOUDOPS_TOKEN) stay quiet: a shell may export them for other commands.
   */
  private refuseUnusedGlobals(remote: boolean): void {
    const given = (name: keyof GlobalOptions) => this.program.getOptionValueSource(name) === 'cli';
    const refuse = (field: string, message: string) => {
      throw new EngineError('INVALID_INPUT', `--${field} ${message}`, { issues: [{ field, message }] });
    };
    const engine = remote ? 'with --server (or $AICLOUDOPS_URL) the running engine uses its own' : '';
    if (remote && given('config')) refuse('config', `is read by a one-shot engine; ${engine} configuration`);
    if (remote && given('profile')) refuse('profile', `is read by a one-shot engine; ${engine} profile`);
    if (!remote && given('token')) refuse('token', 'is sent to a running engine: it needs --server URL');
  }

  /** For changes that only the running engine may make (its grouping state, its approvals): refuses without one. */
  requireRemote(what: string): EngineClient {
    const client = this.remote();
    if (!client) {
      throw new EngineError(
        'INVALID_INPUT',
        `${what} needs a running engine: pass --server http://engine:8080 or set AICLOUDOPS_URL`,
        {
          issues: [{ field: 'server', message: 'needs a running engine' }],
        },
      );
    }
    return client;
  }

  /** Runs a command's work on the running engine when `--server` is given, else on a one-shot engine. */
  async withBackend<T>(work: (backend: CliBackend) => Promise<T>): Promise<T> {
    const client = this.remote();
    if (client) {
      const url = this.options.server ?? process.env.AICLOUDOPS_URL!;
      return work(new RemoteBackend(client, url)).catch((error: unknown) => {
        throw unreachable(error, url) ?? error;
      });
    }
    const { LocalBackend } = await import('./backend/LocalBackend.js');
    return this.withEngine((engine) => work(new LocalBackend(engine)));
  }

  /** Runs one-shot work against an engine built from config (quiet logs), always closing it. */
  async withEngine<T>(
    work: (engine: Engine) => Promise<T>,
    overrides: Record<string, unknown> = {},
  ): Promise<T> {
    const config = await this.loadConfig(overrides);
    const { createEngine, createLogger } = await import('../engine.js');
    const logger = createLogger(
      { logLevel: process.env.AICLOUDOPS_LOG_LEVEL ? config.logLevel : 'warn' },
      { stderr: true },
    );
    // In the demo a one-shot command gets its own simulated shop, which (like the server's) opens on an incident.
    const engine = await createEngine(config, { logger, scheduleDemoFaults: config.profile === 'demo' });
    try {
      return await work(engine);
    } finally {
      await engine.close();
    }
  }
}

export type RegisterCommand = (program: Command, cli: CliContext) => void;

/** fetch's bare "fetch failed" as an error that names the engine's URL and the cause (ECONNREFUSED, ENOTFOUND...). */
function unreachable(error: unknown, url: string): EngineError | undefined {
  if (!(error instanceof TypeError) || error.message !== 'fetch failed') return undefined;
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const why = cause?.code ?? cause?.message ?? 'no answer';
  return new EngineError(
    'UPSTREAM_UNAVAILABLE',
    `cannot reach the engine at ${url} (${why}): is it running, and is --server right?`,
    {
      issues: [{ field: 'server', message: `cannot reach the engine at ${url}` }],
    },
  );
}
