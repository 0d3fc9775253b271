#!/usr/bin/env node
// Checks with @grafana/levitate that every @grafana/data, @grafana/ui and @grafana/runtime export the plugin's modules
// use (app, nested datasource, nested panel) exists unchanged in the lowest Grafana version plugin.json declares
// (dependencies.grafanaDependency), or in the versions given as arguments.
//
//   npm exec --yes --package=@grafana/levitate@0.17.2 -- node scripts/levitateCompatibility.mjs [VERSION...]
//
// Why not `levitate is-compatible`: it finds the installed version with `npm list` in the entry's folder, which under
// npm workspaces lists the workspace packages, so it skips every @grafana package ("not used in the project") and
// reports compatible without comparing anything. Here levitate's own comparison gets both sides as local folders:
// the installed packages, and the target versions fetched with `npm pack` (npm's cache, then the registry).
// Prints one JSON report on stdout; exits 1 when an export the plugin uses is missing or changed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PLUGIN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['@grafana/data', '@grafana/ui', '@grafana/runtime'];
const NO_IGNORES = { additions: [], changes: [], removals: [] };

function levitateDir() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const bin = path.join(dir, 'levitate');
    if (existsSync(bin)) {
      return path.resolve(path.dirname(realpathSync(bin)), '..');
    }
  }
  throw new Error('levitate is not on PATH: run this through `npm exec --package=@grafana/levitate@0.17.2`');
}

function lowestDeclaredVersion() {
  const range = JSON.parse(readFileSync(path.join(PLUGIN_DIR, 'src', 'plugin.json'), 'utf8')).dependencies
    .grafanaDependency;
  const match = /^\s*>=\s*(\d+\.\d+\.\d+)/.exec(range);
  if (!match) {
    throw new Error(`grafanaDependency "${range}" has no ">=x.y.z" lower bound`);
  }
  return match[1];
}

/** Every module.ts(x) beside a plugin.json under src/, as webpack's getEntries finds them. */
function entries(dir = path.join(PLUGIN_DIR, 'src')) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      return entries(full);
    }
    return /^module\.tsx?$/.test(e.name) && existsSync(path.join(dir, 'plugin.json')) ? [full] : [];
  });
}

/** `<work>/<pkg>@<version>`: a folder levitate's resolvePackage takes as a local package. */
function stage(work, pkg, version, installedDir) {
  const dest = path.join(work, `${pkg}@${version}`);
  mkdirSync(path.dirname(dest), { recursive: true });
  if (installedDir) {
    // A copy of its declarations, not a symlink: resolvePackage takes a symlink for a single file.
    const types = JSON.parse(readFileSync(path.join(installedDir, 'package.json'), 'utf8')).types;
    const typesRoot = path.normalize(types).split(path.sep)[0];
    mkdirSync(dest);
    cpSync(path.join(installedDir, 'package.json'), path.join(dest, 'package.json'));
    cpSync(path.join(installedDir, typesRoot), path.join(dest, typesRoot), { recursive: true });
    return;
  }
  const packs = path.join(work, '.packs');
  mkdirSync(packs, { recursive: true });
  const file = execFileSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', packs, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop();
  mkdirSync(dest);
  execFileSync('tar', ['-xzf', path.join(packs, file), '-C', dest, '--strip-components=1']);
}

async function main() {
  const levitate = levitateDir();
  const load = (file) => import(pathToFileURL(path.join(levitate, 'dist', file)).href);
  const { createTsProgram } = await load('utils/typescript.js');
  const { getIncompatibilitiesBetweenPackages } = await load('comparison/source.js');
  const { getPackageUsage } = await load('usage/usage.js');
  const { getExportInfo } = await load('compiler/exports.js');
  const { resolvePackage } = await load('utils/npm.js');

  const targets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [lowestDeclaredVersion()];
  const require = createRequire(path.join(PLUGIN_DIR, 'package.json'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'levitate-'));
  const cwd = process.cwd();
  const report = { targets, entries: [], incompatibilities: [], usedExports: {} };
  try {
    process.chdir(work);
    const installed = PACKAGES.map((pkg) => {
      const dir = path.dirname(require.resolve(`${pkg}/package.json`));
      const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
      stage(work, pkg, version, dir);
      return { pkg, version };
    });
    for (const entry of entries()) {
      const program = createTsProgram(entry);
      report.entries.push(path.relative(PLUGIN_DIR, entry));
      for (const { pkg, version } of installed) {
        const from = `${pkg}@${version}`;
        const usage = getPackageUsage(program, getExportInfo(await resolvePackage(from)), from);
        const used = new Set([...usage.values()].flatMap((u) => Object.keys(u)));
        report.usedExports[pkg] = [...new Set([...(report.usedExports[pkg] ?? []), ...used])].sort();
        for (const target of targets) {
          if (!existsSync(path.join(work, `${pkg}@${target}`))) {
            stage(work, pkg, target);
          }
          for (const found of await getIncompatibilitiesBetweenPackages(
            program,
            from,
            `${pkg}@${target}`,
            NO_IGNORES
          )) {
            report.incompatibilities.push({
              package: pkg,
              target,
              entry: path.relative(PLUGIN_DIR, entry),
              name: found.name,
              file: path.relative(PLUGIN_DIR, found.sourceFile.fileName),
            });
          }
        }
      }
    }
  } finally {
    process.chdir(cwd);
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.incompatibilities.length > 0 ? 1 : 0;
}

await main();
