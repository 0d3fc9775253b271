import { existsSync, mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Browser } from 'playwright-core';
import pluginJson from '../src/plugin.json';
import type { OrgRole } from '../src/test/grafanaPluginProxy';
import { startEngineProcess, type EngineProcess } from '../src/test/startEngineProcess';
import { buildHarness } from './buildHarness';
import { startHarnessServer } from './harnessServer';
import { launchChromium } from './pageChecks';

/** The built plugin, as Grafana loads it. */
export const DIST = path.resolve(__dirname, '..', 'dist');

export interface BrowserSetupOptions {
  /** Prefix of the temporary folder the harness is bundled into. */
  name: string;
  /** The signed-in Grafana user's org role. */
  role: OrgRole;
  /** The app's secureJsonData (the tokens the plugin routes send). */
  secureJsonData?: Record<string, string>;
  /**
   * The engine the app is configured with: a real engine process started with this config (beside the harness
   * build), or `{ url }` of one the test starts itself (or never: an engine that is down).
   */
  engine: { config?: Record<string, unknown>; timeoutMs?: number } | { url: string };
  /** A file under dist/ the test needs (default module.js): its absence means `npm run build` was not run. */
  needs?: string;
}

export interface BrowserSetup {
  browser: Browser;
  /** The harness page's base URL. */
  url: string;
  /** The engine process started here, if one was. */
  engine?: EngineProcess;
  engineUrl: string;
  /** Closes the browser, the harness server and the engine, and removes the temporary folder. */
  close(): Promise<void>;
}

/**
 * What every browser test of the plugin sets up: the dist check, a temporary folder with the bundled harness, the
 * engine (started alongside the bundling), the harness server resolving the real plugin.json routes, and Chromium.
 * What was started before a failure is closed again, so a failed set-up leaves no process behind.
 */
export async function startBrowserSetup(options: BrowserSetupOptions): Promise<BrowserSetup> {
  const needs = options.needs ?? 'module.js';
  if (!existsSync(path.join(DIST, needs))) {
    throw new Error(`dist/${needs} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), `${options.name}-`));
  const opened: Array<{ close(): Promise<void> }> = [];
  // Newest first (the browser, then the harness server, then the engine); each is closed even if one before fails.
  const close = async () => {
    let failure: unknown;
    for (const part of opened.splice(0).reverse()) {
      await part.close().catch((error: unknown) => (failure ??= error));
    }
    rmSync(dir, { recursive: true, force: true });
    if (failure !== undefined) {
      throw failure;
    }
  };
  const spec = options.engine;
  const starting = 'url' in spec ? undefined : startEngineProcess(spec.config, spec.timeoutMs);
  try {
    const [engine] = await Promise.all([starting, buildHarness(dir)]);
    if (engine) {
      opened.push(engine);
    }
    const engineUrl = 'url' in spec ? spec.url : engine!.url;
    const harness = await startHarnessServer({
      distDir: DIST,
      harnessDir: dir,
      pluginId: pluginJson.id,
      engineUrl,
      role: options.role,
      ...(options.secureJsonData ? { secureJsonData: options.secureJsonData } : {}),
    });
    opened.push(harness);
    const browser = await launchChromium();
    opened.push(browser);
    return { browser, url: harness.url, engineUrl, ...(engine ? { engine } : {}), close };
  } catch (error) {
    // An engine still starting when the bundling failed is closed too, once it is up.
    const late = await starting?.catch(() => undefined);
    if (late && !opened.includes(late)) {
      opened.unshift(late);
    }
    await close().catch(() => undefined);
    throw error;
  }
}
