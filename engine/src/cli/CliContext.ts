import type { Command } from 'commander';
import { loadConfig } from '../config/loadConfig.js';
import type { EngineConfig } from '../config/schema.js';
import { createEngine, createLogger, type Engine } from '../engine.js';
import { Output } from './output.js';

export interface GlobalOptions {
  config?: string;
  profile?: 'demo' | 'live';
  json?: boolean;
}

/** What every subcommand gets: the config as the global options say, an engine for one-shot work, and output. */
export class CliContext {
  constructor(private readonly program: Command) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get output(): Output {
    return new Output(!!this.options.json);
  }

  loadConfig(overrides: Record<string, unknown> = {}): EngineConfig {
    const { config, profile } = this.options;
    return loadConfig({ ...(config ? { path: config } : {}), ...(profile ? { profile } : {}), overrides });
  }

  /** Runs one-shot work against an engine built from config (quiet logs), always closing it. */
  async withEngine<T>(work: (engine: Engine) => Promise<T>, overrides: Record<string, unknown> = {}): Promise<T> {
    const config = this.loadConfig(overrides);
    const logger = createLogger({ logLevel: process.env.AICLOUDOPS_LOG_LEVEL ? config.logLevel : 'warn' });
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
