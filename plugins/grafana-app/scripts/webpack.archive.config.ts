import path from 'path';
import type { Configuration, WebpackPluginInstance } from 'webpack';
import type { Env } from '../.config/webpack/webpack.config.ts';
import pluginConfig from '../webpack.config.ts';

/**
 * The plugin's production build, written to `--env outDir=DIR` instead of dist/, so the ecosystem checks validate a
 * fresh archive without replacing the dist/ that the browser tests and a running Grafana read. The scaffold's
 * template replacement (%VERSION%, %TODAY%, %PLUGIN_ID% in plugin.json and README.md) is pointed at the same folder.
 */
const config = async (env: Env): Promise<Configuration> => {
  const outDir = typeof env.outDir === 'string' ? path.resolve(env.outDir) : undefined;
  if (!outDir) {
    throw new Error('webpack.archive.config.ts needs --env outDir=<folder>');
  }
  const base = await pluginConfig(env);
  for (const plugin of base.plugins ?? []) {
    const options = (plugin as WebpackPluginInstance & { options?: unknown }).options;
    if (Array.isArray(options) && options.every((o) => o && typeof o === 'object' && 'dir' in o && 'rules' in o)) {
      for (const o of options as Array<{ dir: string }>) {
        o.dir = outDir;
      }
    }
  }
  // A cache of its own: a concurrent `npm run build` sharing the default cache folder failed this build once.
  const cache =
    base.cache && typeof base.cache === 'object' ? { ...base.cache, name: 'archive-production' } : base.cache;
  return { ...base, cache, output: { ...base.output, path: outDir } };
};

export default config;
