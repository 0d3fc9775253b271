import { spawn } from 'child_process';
import path from 'path';

const PLUGIN_DIR = path.resolve(__dirname, '..', '..');

/**
 * `npm run build`'s webpack production build, written to `outDir` (scripts/webpack.archive.config.ts) so checks of
 * the built plugin never replace the dist/ other tests and a running Grafana read. Resolves when webpack succeeds.
 */
export function buildPluginArchive(outDir: string, timeoutMs = 280_000): Promise<void> {
  const webpack = require.resolve('webpack-cli/bin/cli.js', { paths: [PLUGIN_DIR] });
  const args = [
    webpack,
    '-c',
    './scripts/webpack.archive.config.ts',
    '--env',
    'production',
    '--env',
    `outDir=${outDir}`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: PLUGIN_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      code === 0 ? resolve() : reject(new Error(`webpack exited with ${code}:\n${output.slice(-4000)}`));
    });
  });
}
