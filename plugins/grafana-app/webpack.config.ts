import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config.ts';

/**
 * The scaffold copies only the app's own logos; the nested datasource's and panel's plugin.json point at their own
 * img/, which Grafana resolves beside each nested plugin.json in dist/.
 */
const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: 'datasource/img', to: 'datasource/img' },
          { from: 'panels/incident-card/img', to: 'panels/incident-card/img' },
        ],
      }),
    ],
  });

export default config;
