import { pluginLanguage, timeAgo } from './timeAgo';
import appJson from '../plugin.json';
import appZh from '../locales/zh-Hans/aicloudops-cloudops-app.json';
import { resetTranslations, switchLanguage } from '../locales/testTranslations';

const NOW = Date.parse('2026-12-08T02:00:00Z');
const MINUTE = 60_000;

describe('timeAgo', () => {
  afterEach(() => resetTranslations());

  test('in English, as moment read before: the same steps and rounding', async () => {
    await switchLanguage(appJson.id, 'en-US', {});
    expect(timeAgo(NOW - 25 * MINUTE, NOW)).toBe('25 minutes ago');
    expect(timeAgo(new Date(NOW - 25 * MINUTE).toISOString(), NOW)).toBe('25 minutes ago');
    expect(timeAgo(NOW - 10_000, NOW)).toBe('10 seconds ago');
    // 44.6 minutes rounds to 45, which moment already calls an hour.
    expect(timeAgo(NOW - 44.6 * MINUTE, NOW)).toBe('1 hour ago');
    expect(timeAgo(NOW - 2 * 24 * 60 * MINUTE, NOW)).toBe('2 days ago');
    expect(timeAgo(NOW + 5 * MINUTE, NOW)).toBe('in 5 minutes');
    expect(timeAgo(NOW, NOW)).toBe('0 seconds ago');
  });

  test('in 简体中文 when the user reads the plugin in Chinese', async () => {
    await switchLanguage(appJson.id, 'zh-Hans', appZh);
    expect(pluginLanguage()).toBe('zh-Hans');
    expect(timeAgo(NOW - 25 * MINUTE, NOW)).toBe('25分钟前');
    expect(timeAgo(NOW - 3 * 60 * MINUTE, NOW)).toBe('3小时前');
    expect(timeAgo(NOW + 2 * 60 * MINUTE, NOW)).toBe('2小时后');
  });

  test("in English for a language the plugin has no catalog for, as the plugin's text around it", async () => {
    await switchLanguage(appJson.id, 'de-DE', { page: { title: 'x' } });
    expect(pluginLanguage()).toBe('en-US');
    expect(timeAgo(NOW - 25 * MINUTE, NOW)).toBe('25 minutes ago');
  });
});
