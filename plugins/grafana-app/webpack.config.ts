import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

/**
 * The scaffold copies only the app's own logos; the nested datasource's plugin.json points at its own img/, which
 * Grafana resolves inside dist/datasource/.
 */
const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: 'datasource/img', to: 'datasource/img' }] })],
  });

export default config;
