import { execFile } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { printTable, repoRoot, type BenchMain } from './lib.js';

/**
 * What a Backstage backend installs to use our plugin: `npm pack` of the backend plugin, its common package and the
 * engine client, installed into an empty project with `npm install --omit=dev` (our packages from the local
 * tarballs, Backstage's from the npm cache or registry). The baseline is the same install with the plugins depending
 * on the whole engine, as they did before @ai-cloudops/engine-client. Install scripts are skipped in both (the
 * engine's would compile native modules here), so sizes are the files the packages ship.
 * Also checks that the backend plugin's CommonJS build loads in the fresh project, which has no engine in it.
 */
const run = promisify(execFile);
const BACKEND = '@ai-cloudops/backstage-plugin-backend';
const COMMON = '@ai-cloudops/backstage-plugin-common';
const CLIENT = '@ai-cloudops/engine-client';
const ENGINE = '@ai-cloudops/engine';

interface Install {
  packages: number;
  bytes: number;
  seconds: number;
}

export const main: BenchMain = async (ctx) => {
  const work = mkdtempSync(join(tmpdir(), 'client-size-'));
  try {
    if (!ctx.options['no-build'])
      await sh(
        'npx',
        ['turbo', 'run', 'build', `--filter=${BACKEND}...`, '--output-logs=errors-only'],
        repoRoot,
      );
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const packed: Record<string, string> = {};
    // One at a time: Backstage's prepack rewrites the package's package.json until its postpack.
    for (const name of [BACKEND, COMMON, CLIENT, ENGINE]) packed[name] = await pack(name, tarballs);
    const after = await install(join(work, 'after'), {
      [BACKEND]: packed[BACKEND]!,
      [COMMON]: packed[COMMON]!,
      [CLIENT]: packed[CLIENT]!,
    });
    const loads = await backendLoads(join(work, 'after'));
    const engineInAfter = existsSync(join(work, 'after', 'node_modules', '@ai-cloudops', 'engine'));

    // Before: the same tarballs with the engine where the client now is.
    const before = await install(join(work, 'before'), {
      [BACKEND]: await withDependency(packed[BACKEND]!, CLIENT, ENGINE, join(work, 'baseline')),
      [COMMON]: await withDependency(packed[COMMON]!, CLIENT, ENGINE, join(work, 'baseline')),
      [ENGINE]: packed[ENGINE]!,
      [CLIENT]: packed[CLIENT]!,
    });

    const mb = (bytes: number) => bytes / 1e6;
    printTable(
      'Installing the Backstage backend plugin into an empty project (npm install --omit=dev --ignore-scripts)',
      [
        'plugins depend on',
        'packages',
        'MB on disk (file sizes)',
        'install s',
        'engine installed',
        'backend CJS loads',
      ],
      [
        [
          '@ai-cloudops/engine-client (now)',
          after.packages,
          mb(after.bytes),
          after.seconds,
          engineInAfter ? 'yes' : 'no',
          loads ? 'yes' : 'NO',
        ],
        ['@ai-cloudops/engine (baseline)', before.packages, mb(before.bytes), before.seconds, 'yes', '-'],
      ],
    );
    console.log(
      `engine-client tarball: ${(lstatSync(packed[CLIENT]!).size / 1e3).toFixed(1)} kB; ${after.packages} vs ${before.packages} packages`,
    );
    return {
      installed_packages: after.packages,
      installed_mb: mb(after.bytes),
      install_seconds: after.seconds,
      baseline_installed_packages: before.packages,
      baseline_installed_mb: mb(before.bytes),
      baseline_install_seconds: before.seconds,
      engine_client_tarball_kb: lstatSync(packed[CLIENT]!).size / 1e3,
      backend_cjs_loads_without_engine: loads && !engineInAfter ? 1 : 0,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};

async function sh(command: string, args: string[], cwd: string): Promise<string> {
  const { stdout } = await run(command, args, { cwd, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** `npm pack` of a workspace package (its prepack runs: Backstage's points main at dist) → the tarball's path. */
async function pack(name: string, into: string): Promise<string> {
  const out = await sh('npm', ['pack', '--json', '--pack-destination', into, '-w', name], repoRoot);
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string }];
  return join(into, filename);
}

/** A copy of a tarball whose package.json depends on `to` where it depended on `from`. */
async function withDependency(tarball: string, from: string, to: string, dir: string): Promise<string> {
  const unpacked = join(dir, basename(tarball, '.tgz'));
  mkdirSync(unpacked, { recursive: true });
  await sh('tar', ['-xzf', tarball, '-C', unpacked], repoRoot);
  const file = join(unpacked, 'package', 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
  const deps = manifest.dependencies ?? {};
  if (!deps[from]) throw new Error(`${tarball} does not depend on ${from}`);
  deps[to] = deps[from]!;
  delete deps[from];
  writeFileSync(file, JSON.stringify(manifest, null, 2));
  const out = join(dir, `baseline-${basename(tarball)}`);
  await sh('tar', ['-czf', out, '-C', unpacked, 'package'], repoRoot);
  return out;
}

/** An empty project that depends on the tarballs (overrides make our packages' own cross-references use them). */
async function install(dir: string, tarballs: Record<string, string>): Promise<Install> {
  mkdirSync(dir, { recursive: true });
  const specs = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'fresh-backend', private: true, dependencies: specs, overrides: specs }),
  );
  const started = performance.now();
  await sh(
    'npm',
    [
      'install',
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
    ],
    dir,
  );
  const seconds = (performance.now() - started) / 1000;
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as {
    packages: Record<string, { link?: boolean }>;
  };
  const packages = Object.entries(lock.packages).filter(
    ([path, entry]) => path.includes('node_modules/') && !entry.link,
  ).length;
  return { packages, bytes: sizeOf(join(dir, 'node_modules')), seconds };
}

/** Sum of file sizes under a folder (symbolic links not followed), so the figure does not depend on the filesystem's blocks. */
function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  return readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0);
}

/** The backend plugin's CommonJS entry, required as a Backstage backend would, in the project without the engine. */
async function backendLoads(dir: string): Promise<boolean> {
  const probe = `const m = require('${BACKEND}'); if (!m.default) throw new Error('no default export'); console.log('ok')`;
  return run(process.execPath, ['-e', probe], { cwd: dir, timeout: 60_000 })
    .then(({ stdout }) => stdout.trim() === 'ok')
    .catch((error: { stderr?: string }) => {
      console.error(`the backend plugin did not load: ${error.stderr ?? error}`);
      return false;
    });
}
