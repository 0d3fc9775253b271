import { readFileSync } from 'node:fs';
import { extractMessages, flatten, type Catalog } from './extractMessages';
import { PLUGIN_CATALOGS } from './pluginCatalogs';

const read = (path: string) => flatten(JSON.parse(readFileSync(path, 'utf8')) as Catalog);

/**
 * Words a Chinese-speaking SRE reads untranslated: product names, Kubernetes kinds and API terms, and the
 * identifiers inside `<code>` (paths, config keys) that the user types as they are.
 */
const KEPT_IN_ENGLISH = [
  /<code>[^<]*<\/code>/g,
  /\{\{\w+\}\}/g,
  /https?:\/\/\S*/g,
  // Template-variable query syntax, e.g. services(namespace).
  /\b\w+\([\w, ]*\)/g,
  /<\/?strong>/g,
  /\b(?:AI-CloudOps|Grafana|Kubernetes|Prometheus|Alertmanager|Webhook|Bearer)\b/g,
  /\b(?:Pod|Deployment|Service|Job|Lease|HPA|OOM|RCA|ID|z|CPU|MASE|UTC)\b/g,
  // Example values the placeholder shows, typed as they are.
  /\b(?:checkout|frontend)\b/g,
];

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<(\w+)>/g)].map((m) => m[1]).sort();

describe.each(PLUGIN_CATALOGS)('$pluginId catalogs', (plugin) => {
  const { messages, unreadable } = extractMessages(plugin.sourceDirs, plugin.exclude);
  const en = read(plugin.catalogPath('en-US'));
  const zh = read(plugin.catalogPath('zh-Hans'));

  test('plugin.json declares en-US and zh-Hans, the catalogs Grafana loads', () => {
    expect(plugin.languages).toEqual(['en-US', 'zh-Hans']);
  });

  test('every t() and Trans in the source has a literal key and default, and one default per key', () => {
    expect(unreadable).toEqual([]);
    expect(messages.length).toBeGreaterThan(20);
    const conflicting = messages.filter((m) =>
      messages.some((o) => o.key === m.key && o.defaultMessage !== m.defaultMessage)
    );
    expect(conflicting).toEqual([]);
  });

  test('the en-US catalog is exactly the source defaults (re-run src/locales/i18nExtract.ts after editing strings)', () => {
    expect(en).toEqual(Object.fromEntries(messages.map((m) => [m.key, m.defaultMessage])));
  });

  test('zh-Hans has every key of en-US and no other, with the same placeholders and tags', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect({ key, placeholders: placeholders(zh[key]), tags: tags(zh[key]) }).toEqual({
        key,
        placeholders: placeholders(en[key]),
        tags: tags(en[key]),
      });
    }
  });

  test('zh-Hans is translated: Chinese in every message, English only for product names and Kubernetes terms', () => {
    const leftovers = Object.entries(zh)
      .map(([key, text]) => ({ key, rest: KEPT_IN_ENGLISH.reduce((s, re) => s.replace(re, ' '), text) }))
      // Chinese characters, or at least Chinese punctuation for a message that only joins placeholders.
      .filter(({ rest }) => /[A-Za-z]{2,}/.test(rest) || !/[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]/.test(rest));
    expect(leftovers).toEqual([]);
  });
});
