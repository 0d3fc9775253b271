import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const PACKAGE_DIR = path.resolve(__dirname, '..');
const DEV_CONFIG = path.resolve(PACKAGE_DIR, '../../provisioning/backstage/app-config.dev.yaml');

export interface DevAppBuild {
  dist: string;
  /** Wall-clock time of the production build. */
  buildMs: number;
  /** Every emitted .js/.css file with its size in bytes. */
  assets: Array<{ file: string; bytes: number }>;
}

/**
 * The dev app (dev/index.tsx) as a production bundle, built by the same rspack pipeline `backstage-cli package build`
 * uses for an app package (`buildBundle` with the dev entry point). Chosen over the dev server for the browser test:
 * measured on the shared 2-core machine, the build took 26-52 s and gives the bundle a user downloads (minified,
 * split into chunks), while the dev server was ready after ~30 s with an unminified bundle whose sizes mean nothing.
 * The config baked in is app-config.dev.yaml; the test's server swaps in its own ports at serve time, as
 * Backstage's app backend injects runtime config into index.html.
 */
export async function buildDevApp(dist: string): Promise<DevAppBuild> {
  // Deep imports of the build module @backstage/cli runs (resolved from the CLI, whose dependency it is): the CLI
  // exposes no API for bundling a plugin's dev entry point.
  const fromCli = createRequire(require.resolve('@backstage/cli/package.json'));
  const { buildBundle } = fromCli('@backstage/cli-module-build/dist/lib/bundler/bundle.cjs.js');
  const { loadCliConfig } = fromCli('@backstage/cli-module-build/dist/lib/config.cjs.js');
  const started = Date.now();
  const cwd = process.cwd();
  // The CLI resolves the package (and its config schema) from the working directory.
  process.chdir(PACKAGE_DIR);
  // The CLI prints a line per emitted file (hundreds of syntax-highlighter chunks); the test reports its own sizes.
  const log = console.log;
  console.log = () => undefined;
  // The bundler treats warnings as errors when CI is set; set it here too, so a run on a laptop fails where CI would.
  const ci = process.env.CI;
  process.env.CI = 'true';
  try {
    const config = await loadCliConfig({ args: [DEV_CONFIG], fromPackage: '@ai-cloudops/backstage-plugin' });
    await buildBundle({ targetDir: PACKAGE_DIR, entry: 'dev/index', dist, ...config });
  } finally {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    console.log = log;
    process.chdir(cwd);
  }
  return { dist, buildMs: Date.now() - started, assets: await listAssets(dist) };
}

async function listAssets(dir: string): Promise<Array<{ file: string; bytes: number }>> {
  const out: Array<{ file: string; bytes: number }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(js|css)$/.test(entry.name)) {
      const file = path.join(entry.parentPath, entry.name);
      out.push({ file: path.relative(dir, file), bytes: (await stat(file)).size });
    }
  }
  return out;
}
