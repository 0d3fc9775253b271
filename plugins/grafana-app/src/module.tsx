import React, { Suspense, lazy } from 'react';
import { AppPlugin, type AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { initPluginTranslations, t } from '@grafana/i18n';
import pluginJson from './plugin.json';
import type { AppConfigProps, AppSettings } from './components/AppConfig/AppConfig';

// Grafana (12.1+) loads the catalogs named by plugin.json `languages`; this binds t() to the plugin's namespace.
await initPluginTranslations(pluginJson.id);

const LazyApp = lazy(() => import('./components/App/App').then((m) => ({ default: m.App })));
const LazyAppConfig = lazy(() => import('./components/AppConfig/AppConfig').then((m) => ({ default: m.AppConfig })));

const App = (props: AppRootProps) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyApp {...props} />
  </Suspense>
);

const AppConfig = (props: AppConfigProps) => (
  <Suspense fallback={<LoadingPlaceholder text="" />}>
    <LazyAppConfig {...props} />
  </Suspense>
);

export const plugin = new AppPlugin<AppSettings>().setRootPage(App).addConfigPage({
  // A getter: Grafana reads the tab's title when it draws the plugin page, in the user's language by then.
  get title() {
    return t('config.page.title', 'Configuration');
  },
  icon: 'cog',
  body: AppConfig,
  id: 'configuration',
});
