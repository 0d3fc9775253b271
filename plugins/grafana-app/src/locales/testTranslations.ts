import i18next from 'i18next';
import { initPluginTranslations } from '@grafana/i18n';
import type { Catalog } from './extractMessages';

/**
 * Puts a plugin's catalog in the i18next instance and switches to its language, as Grafana does for a user whose
 * language is `language`: Grafana adds the plugin's bundle, the plugin's module binds t() to its namespace.
 */
export async function switchLanguage(pluginId: string, language: string, catalog: Catalog): Promise<void> {
  await initPluginTranslations(pluginId);
  i18next.addResourceBundle(language, pluginId, catalog, true, true);
  await i18next.changeLanguage(language);
}

/** Back to the source's English defaults, so later tests in the same file see what they expect. */
export async function resetTranslations(): Promise<void> {
  await i18next.changeLanguage('en-US');
}
