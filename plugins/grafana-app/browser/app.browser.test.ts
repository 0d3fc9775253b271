/**
 * @jest-environment node
 */
import type { Page } from 'playwright-core';
import { testIds } from '../src/components/testIds';
import { startBrowserSetup, type BrowserSetup } from './browserSetup';
import { openHarnessPage, seriousViolations } from './pageChecks';

/**
 * The built plugin (dist/module.js, as Grafana loads it) in headless Chromium, against a real engine. Needs
 * `npm run build` first (`npm run test:browser` does both) and Chromium at CHROMIUM_PATH or /usr/bin/chromium.
 */

const VIEWER_TOKEN = 'grafana-viewer-token-0123456789';
const OPERATOR_TOKEN = 'grafana-operator-token-0123456789';

describe('built plugin in a browser', () => {
  let setup: BrowserSetup;

  beforeAll(async () => {
    setup = await startBrowserSetup({
      name: 'cloudops-harness',
      engine: {
        config: {
          server: {
            auth: {
              enabled: true,
              tokens: [
                { name: 'grafana-viewer', token: VIEWER_TOKEN, role: 'viewer' },
                { name: 'grafana-operator', token: OPERATOR_TOKEN, role: 'operator' },
              ],
            },
          },
        },
      },
      // An Editor: reads go out with the viewer token, the RCA it starts with the operator token.
      role: 'Editor',
      secureJsonData: { viewerToken: VIEWER_TOKEN, operatorToken: OPERATOR_TOKEN },
    });
  }, 90_000);

  afterAll(() => setup?.close());

  const open = (route: string): Promise<{ page: Page; errors: string[] }> =>
    openHarnessPage(setup.browser, setup.url, route);

  test('the overview lazy-loads and lists the engine workloads with their health', async () => {
    const { page, errors } = await open('overview');
    const rows = page.getByTestId(testIds.overview.workloadRow);
    await rows.first().waitFor({ timeout: 30_000 });

    const expected = (await (
      await fetch(`${setup.engineUrl}/api/v1/workloads?namespace=shop`, {
        headers: { Authorization: `Bearer ${VIEWER_TOKEN}` },
      })
    ).json()) as { items: Array<{ name: string; health: string }> };
    const names = (await rows.locator('td:first-child strong').allTextContents()).sort();
    expect(names).toEqual(expected.items.map((w) => w.name).sort());
    const checks = await page.getByTestId(testIds.overview.check).count();
    expect(checks).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  test('the assistant and forecast pages mount from their lazy chunks', async () => {
    for (const [route, id] of [
      ['assistant', testIds.assistant.container],
      ['forecast', testIds.forecast.container],
      ['root-cause', testIds.rootCause.container],
      ['repairs', testIds.repairs.container],
      ['alerts', testIds.alerts.container],
    ] as const) {
      const { page, errors } = await open(route);
      await page.getByTestId(id).waitFor({ timeout: 30_000 });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  test('the repairs page reads the kill switch and the audit chain, and the alerts page the compression figures', async () => {
    const repairs = await open('repairs');
    await repairs.page.getByTestId(testIds.repairs.auditVerify).waitFor({ timeout: 30_000 });
    await expect(repairs.page.getByTestId(testIds.repairs.killSwitch).textContent()).resolves.toContain('Kill switch');
    expect(repairs.errors).toEqual([]);
    await repairs.page.close();
    const alerts = await open('alerts');
    await alerts.page.getByTestId(testIds.alerts.stats).waitFor({ timeout: 30_000 });
    await expect(alerts.page.getByTestId(testIds.alerts.stats).textContent()).resolves.toContain('Compression');
    expect(alerts.errors).toEqual([]);
    await alerts.page.close();
  });

  test('the assistant answers a question with numbered citations', async () => {
    const { page, errors } = await open('assistant');
    await page.getByTestId(testIds.assistant.question).fill('How do I roll back a bad deployment?');
    await page.getByTestId(testIds.assistant.ask).click();
    const answer = page.getByTestId(testIds.assistant.answer);
    await answer.waitFor({ timeout: 30_000 });
    const citations = answer.getByTestId(testIds.assistant.citation);
    expect(await citations.count()).toBeGreaterThan(0);
    // The first marker in the answer jumps to a citation that exists.
    const href = await answer.locator('a[href^="#"]').first().getAttribute('href');
    expect(await page.locator(href!).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  test('a forecast shows the model the engine chose and its interval', async () => {
    const { page, errors } = await open('forecast');
    await page.getByTestId(testIds.forecast.run).click();
    const result = page.getByTestId(testIds.forecast.result);
    await result.waitFor({ timeout: 30_000 });
    await expect(result.textContent()).resolves.toMatch(/^Model \S+/);
    // Three horizons, each with a lower – upper interval.
    expect(await result.locator('tbody tr').count()).toBe(3);
    expect(errors).toEqual([]);
  });

  test('a root-cause analysis runs to ranked candidates', async () => {
    // A fault on checkout first: an RCA anchored on a service that shows no anomaly now says so, with no candidates.
    const injected = await fetch(`${setup.engineUrl}/api/v1/demo/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: JSON.stringify({ type: 'latency', service: 'checkout', startedAt: Math.floor(Date.now() / 1000) - 600 }),
    });
    expect(injected.status).toBeLessThan(300);
    const { page, errors } = await open('root-cause');
    await page.getByTestId(testIds.rootCause.service).fill('checkout');
    await page.getByTestId(testIds.rootCause.start).click();
    await page.getByTestId(testIds.rootCause.candidate).first().waitFor({ timeout: 60_000 });
    await expect(page.getByTestId(testIds.rootCause.progress).textContent()).resolves.toContain('succeeded');
    expect(errors).toEqual([]);
  });

  test('the root-cause page guides when empty, runs the demo sample to candidates and draws their charts, with no serious axe violations', async () => {
    const { page, errors } = await open('root-cause');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByTestId(testIds.rootCause.emptyState).waitFor({ timeout: 30_000 });
    expect(await seriousViolations(page)).toEqual([]);

    // A latency fault on payment, under way for 20 of the sample's 30 minutes, so the candidates carry metric evidence.
    const injected = await fetch(`${setup.engineUrl}/api/v1/demo/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${OPERATOR_TOKEN}` },
      body: JSON.stringify({ type: 'latency', service: 'payment', startedAt: Math.floor(Date.now() / 1000) - 1200 }),
    });
    expect(injected.ok).toBe(true);
    // The demo sample: the demo shop's namespace, the last 30 minutes.
    await page.getByTestId(testIds.rootCause.demo).click();
    const first = page.getByTestId(testIds.rootCause.candidate).first();
    await first.waitFor({ timeout: 60_000 });
    await expect(first.getByTestId(testIds.rootCause.reason).textContent()).resolves.toMatch(/^\S+: .+\.$/);
    // Every chart shown (a candidate whose evidence has PromQL) is drawn: uPlot's canvas with painted pixels.
    const charts = page.getByTestId(testIds.rootCause.chart);
    await charts.first().waitFor({ timeout: 30_000 });
    for (const chart of await charts.all()) {
      const canvas = chart.locator('canvas').first();
      await canvas.waitFor({ timeout: 30_000 });
      const drawn = await canvas.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) {
          painted += data[i]! > 0 ? 1 : 0;
        }
        return { width: c.width, painted };
      });
      expect(drawn.width).toBeGreaterThan(100);
      expect(drawn.painted).toBeGreaterThan(500);
    }
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);
});
