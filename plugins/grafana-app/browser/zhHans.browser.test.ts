/**
 * @jest-environment node
 */
import { mkdirSync } from 'fs';
import path from 'path';
import pluginJson from '../src/plugin.json';
import { testIds } from '../src/components/testIds';
import { startBrowserSetup, type BrowserSetup } from './browserSetup';
import { openHarnessPage, seriousViolations } from './pageChecks';

/**
 * The built plugin for a Grafana user whose language is 简体中文: Grafana's i18next starts in zh-Hans with the
 * plugin's catalog from dist/locales, as the harness's `?lang=` does. Needs `npm run build` first.
 */

// Every run writes its screenshots to browser/artifacts/ (ignored: CI keeps them as artifacts); after looking at them,
// `SAVE_SCREENSHOTS=1` writes the reviewed copies to browser/screenshots/, which are committed.
const SCREENSHOTS = path.resolve(__dirname, process.env.SAVE_SCREENSHOTS === '1' ? 'screenshots' : 'artifacts');

describe('built plugin in zh-Hans', () => {
  let setup: BrowserSetup;

  beforeAll(async () => {
    setup = await startBrowserSetup({
      name: 'cloudops-harness-zh',
      engine: {},
      role: 'Editor',
      secureJsonData: {},
      needs: path.join('locales', 'zh-Hans', `${pluginJson.id}.json`),
    });
  }, 90_000);

  afterAll(() => setup?.close());

  test('the overview renders in Chinese with the engine data as sent, and no serious axe violation', async () => {
    const { page, errors } = await openHarnessPage(setup.browser, setup.url, 'overview&lang=zh-Hans', {
      width: 1280,
      height: 900,
    });
    await page.getByTestId(testIds.overview.workloadRow).first().waitFor({ timeout: 30_000 });

    const container = page.getByTestId(testIds.overview.container);
    await expect(container.getByRole('heading', { name: '工作负载' }).count()).resolves.toBe(1);
    const headers = await container.locator('th').allTextContents();
    expect(headers).toEqual(expect.arrayContaining(['工作负载', '健康状态', '就绪', '重启次数', '原因']));
    const text = (await container.textContent()) ?? '';
    for (const english of ['Workloads', 'Refresh', 'Restarts', 'Root cause', 'Forecast']) {
      expect(text).not.toContain(english);
    }
    // The engine's data stays as sent: the demo shop's workload kinds.
    expect(text).toContain('Deployment');
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'overview-zh-Hans.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
  test.each(['overview', 'root-cause', 'forecast', 'assistant', 'repairs'])(
    '%s: every field label holds its Chinese text on one line',
    async (route) => {
      const { page, errors } = await openHarnessPage(setup.browser, setup.url, `${route}&lang=zh-Hans`, {
        width: 1280,
        height: 900,
      });
      await page.locator('label').first().waitFor({ timeout: 30_000 });
      // A label wider than its labelWidth wraps inside the field's fixed height and is cut ('预测时长（分钟）' was).
      const cut = await page
        .locator('label')
        .evaluateAll((labels) =>
          labels
            .filter((l) => l.scrollHeight > l.clientHeight || l.scrollWidth > l.clientWidth)
            .map((l) => l.textContent)
        );
      expect(cut).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
    60_000
  );
});
