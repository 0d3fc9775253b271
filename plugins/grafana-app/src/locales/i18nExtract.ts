/**
 * Writes each plugin's en-US catalog from the `t()` calls in its source and lists the keys its zh-Hans catalog lacks,
 * the job of the create-plugin template's `i18n-extract` (i18next-cli --sync-primary).
 * Run: `npm run i18n-extract -w @ai-cloudops/grafana-app`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extractMessages, flatten, nest, type Catalog } from './extractMessages';
import { PLUGIN_CATALOGS } from './pluginCatalogs';

for (const plugin of PLUGIN_CATALOGS) {
  const { messages, unreadable } = extractMessages(plugin.sourceDirs, plugin.exclude);
  const english = Object.fromEntries(messages.map((m) => [m.key, m.defaultMessage]));
  writeFileSync(plugin.catalogPath('en-US'), `${JSON.stringify(nest(english), null, 2)}\n`);
  const zh = flatten(JSON.parse(readFileSync(plugin.catalogPath('zh-Hans'), 'utf8')) as Catalog);
  const missing = Object.keys(english).filter((k) => !(k in zh));
  const stale = Object.keys(zh).filter((k) => !(k in english));
  console.log(
    `${plugin.pluginId}: ${Object.keys(english).length} messages; zh-Hans missing ${missing.length}, stale ${stale.length}`
  );
  for (const line of [...missing.map((k) => `  missing ${k}: ${english[k]}`), ...stale.map((k) => `  stale ${k}`)]) {
    console.log(line);
  }
  for (const line of unreadable) {
    console.log(`  not extractable: ${line}`);
  }
}
