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

/**
 * How many lines an element's text takes: the tops of its text's boxes, not of its elements' (a badge's box sits
 * above its text). Runs in the page, so it closes over nothing of the test.
 */
function lineCount(el: Element): number {
  const tops = new Set<number>();
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      tops.add(Math.round(rect.top));
    }
  }
  return tops.size;
}

describe('built plugin in zh-Hans', () => {
  let setup: BrowserSetup;

  beforeAll(async () => {
    setup = await startBrowserSetup({
      name: 'cloudops-harness-zh',
      // A fast repair scan, so the OOM kill injected below is a finding in seconds.
      engine: { config: { repair: { namespaces: ['shop'], scanIntervalSeconds: 1, tickSeconds: 1 } } },
      role: 'Editor',
      secureJsonData: {},
      needs: path.join('locales', 'zh-Hans', `${pluginJson.id}.json`),
    });
    const post = (route: string, body: unknown) =>
      fetch(`${setup.engineUrl}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // Cart OOM-killed: a finding on the Repairs page. An alert that fired 25 minutes ago: an incident on Alerts.
    expect((await post('/api/v1/demo/faults', { type: 'oom-killed', service: 'cart' })).ok).toBe(true);
    const alert = {
      labels: { alertname: 'HighLatency', service: 'payment', namespace: 'shop', severity: 'critical' },
      status: 'firing',
      startsAt: new Date(Date.now() - 25 * 60_000).toISOString(),
    };
    // A second alert on payment's pod joins it: a long label summary and reason beside the Since cell.
    const pod = {
      labels: {
        alertname: 'PaymentErrorBudgetBurnFast',
        service: 'payment',
        namespace: 'shop',
        pod: 'payment-7d9f8b6c5d-x2x4k',
        instance: '10.244.1.17:8080',
        severity: 'critical',
      },
      status: 'firing',
      startsAt: new Date(Date.now() - 24 * 60_000).toISOString(),
    };
    expect((await post('/api/v1/alerts', { alerts: [alert, pod] })).ok).toBe(true);
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
    // Each column name on one line: beside cart's long reason (the OOM kill) '健康状态' read '健康状 / 态'.
    await page
      .getByTestId(testIds.overview.workloadRow)
      .filter({ hasText: 'replicas ready' })
      .waitFor({ timeout: 30_000 });
    const twoLines = await container.locator('th').evaluateAll((ths) =>
      ths
        .filter((th) => {
          const range = document.createRange();
          range.selectNodeContents(th);
          return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
        })
        .map((th) => th.textContent)
    );
    expect(twoLines).toEqual([]);
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
  test("relative times read in Chinese, and a finding's time stays on one line beside its long evidence", async () => {
    const alerts = await openHarnessPage(setup.browser, setup.url, 'alerts&lang=zh-Hans', { width: 1280, height: 900 });
    const row = alerts.page.getByTestId(testIds.alerts.alertRow).filter({ hasText: 'HighLatency' });
    const since = row.first().locator('td').nth(2);
    await since.waitFor({ timeout: 30_000 });
    // It read '25 minutes ago' in the Chinese table (moment has no zh-Hans).
    await expect(since.textContent()).resolves.toBe('25分钟前');
    // Each alert's status badge and time on one line beside the long labels and reason of the pod's alert: at
    // 1280 px '25分钟前' and '触发中' broke in two.
    const table = row.first().locator('xpath=ancestor::table');
    await alerts.page
      .getByTestId(testIds.alerts.alertRow)
      .filter({ hasText: 'PaymentErrorBudgetBurnFast' })
      .waitFor({ timeout: 30_000 });
    const sinceCells = table.locator('tr > :nth-child(3)');
    await expect(sinceCells.evaluateAll((cells) => cells.map((c) => c.textContent))).resolves.toEqual([
      '开始于',
      '25分钟前',
      '24分钟前',
    ]);
    const statusAndSince = await table.locator('tr > :nth-child(2), tr > :nth-child(3)').all();
    await expect(Promise.all(statusAndSince.map((c) => c.evaluate(lineCount)))).resolves.toEqual([1, 1, 1, 1, 1, 1]);
    await alerts.page.screenshot({ path: path.join(SCREENSHOTS, 'alerts-zh-Hans.png'), fullPage: true });
    expect(alerts.errors).toEqual([]);
    await alerts.page.close();

    const { page, errors } = await openHarnessPage(setup.browser, setup.url, 'repairs&lang=zh-Hans', {
      width: 1280,
      height: 900,
    });
    const finding = page.getByTestId(testIds.repairs.finding).filter({ hasText: 'OOMKilled' });
    // The engine scans every second; the page reads findings on Refresh.
    for (let i = 0; i < 30 && (await finding.count()) === 0; i++) {
      await page.getByTestId(testIds.repairs.refresh).click();
      await page.waitForTimeout(1000);
    }
    const cells = [page.getByTestId(testIds.repairs.findings).locator('th').nth(2), finding.locator('td').nth(2)];
    await expect(cells[1]!.textContent()).resolves.toMatch(/^\d+(秒钟|分钟)前$/);
    // '开始于' and '2分钟前' each broke in two: Chinese wraps between any characters, the evidence took the width.
    await expect(Promise.all(cells.map((cell) => cell.evaluate(lineCount)))).resolves.toEqual([1, 1]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'repairs-zh-Hans.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

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
