import { build } from 'esbuild';
import path from 'path';

/** Bundles harness.tsx with Grafana's shared modules into `outDir` (harness.js, harness.css). */
export async function buildHarness(outDir: string): Promise<void> {
  await build({
    entryPoints: [path.join(__dirname, 'harness.tsx')],
    bundle: true,
    format: 'iife',
    outfile: path.join(outDir, 'harness.js'),
    jsx: 'automatic',
    minify: true,
    logLevel: 'error',
    // Fonts and icons are not what the test looks at; styles are kept so layout-dependent components behave.
    loader: { '.svg': 'text', '.css': 'css', '.woff': 'empty', '.woff2': 'empty', '.ttf': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  });
}
