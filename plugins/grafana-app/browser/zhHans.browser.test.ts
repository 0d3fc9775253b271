/**
 * @jest-environment node
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Browser } from 'playwright-core';
import pluginJson from '../src/plugin.json';
import { testIds } from '../src/components/testIds';
import { startEngineProcess, type EngineProcess } from '../src/test/startEngineProcess';
import { buildHarness } from './buildHarness';
import { startHarnessServer } from './harnessServer';
import { launchChromium, openHarnessPage, seriousViolations } from './pageChecks';

/**
 * The built plugin for a Grafana user whose language is 简体中文: Grafana's i18next starts in zh-Hans with the
 * plugin's catalog from dist/locales, as the harness's `?lang=` does. Needs `npm run build` first.
 */

const DIST = path.resolve(__dirname, '..', 'dist');
// Every run writes its screenshots to browser/artifacts/ (ignored: CI keeps them as artifacts); after looking at them,
// `SAVE_SCREENSHOTS=1` writes the reviewed copies to browser/screenshots/, which are committed.
const SCREENSHOTS = path.resolve(__dirname, process.env.SAVE_SCREENSHOTS === '1' ? 'screenshots' : 'artifacts');

describe('built plugin in zh-Hans', () => {
  let engine: EngineProcess;
  let harness: { url: string; close(): Promise<void> };
  let browser: Browser;
  let harnessDir: string;

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'locales', 'zh-Hans', `${pluginJson.id}.json`))) {
      throw new Error('dist/locales/zh-Hans is missing: run `npm run build` first');
    }
    harnessDir = mkdtempSync(path.join(os.tmpdir(), 'cloudops-harness-zh-'));
    [engine] = await Promise.all([startEngineProcess(), buildHarness(harnessDir)]);
    harness = await startHarnessServer({
      distDir: DIST,
      harnessDir,
      pluginId: pluginJson.id,
      engineUrl: engine.url,
      role: 'Editor',
      secureJsonData: {},
    });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await engine?.close();
    if (harnessDir) {
      rmSync(harnessDir, { recursive: true, force: true });
    }
  });

  test('the overview renders in Chinese with the engine data as sent, and no serious axe violation', async () => {
    const { page, errors } = await openHarnessPage(browser, harness.url, 'overview&lang=zh-Hans', {
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
});
