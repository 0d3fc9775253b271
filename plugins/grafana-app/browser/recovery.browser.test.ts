/**
 * @jest-environment node
 */
import { mkdirSync } from 'fs';
import { createServer } from 'net';
import path from 'path';
import type { Page } from 'playwright-core';
import { testIds } from '../src/components/testIds';
import { startEngineProcess, type EngineProcess } from '../src/test/startEngineProcess';
import { startBrowserSetup, type BrowserSetup } from './browserSetup';
import { openHarnessPage } from './pageChecks';

/**
 * The built plugin in headless Chromium, opened while the engine is stopped: each page shows that Grafana cannot reach
 * the engine with a Retry button, and once a real engine process starts on the configured address the page loads on
 * its own, without a reload, keeping what the user typed meanwhile. Timeouts are generous: the backoff may be at its
 * 30 s (+20%) step when the engine comes up, and the engine takes up to ~20 s to start on a busy 2-core machine.
 */

// The unreachable state as users see it, kept with the other run artifacts (ignored by git, kept by CI).
const ARTIFACTS = path.resolve(__dirname, 'artifacts');
const tid = (id: string) => `[data-testid="${id}"]`;
/** Longest automatic wait (30 s + 20% jitter) plus the engine's first answers on a loaded machine. */
const RECOVERY_MS = 90_000;

/** A loopback port nothing listens on (yet): the engine URL the app is configured with. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('pages opened while the engine is down', () => {
  let port: number;
  let engine: EngineProcess | undefined;
  let setup: BrowserSetup;

  beforeAll(async () => {
    port = await freePort();
    // Nothing listens there yet: the engine is started by the test, once the pages show it unreachable.
    setup = await startBrowserSetup({
      name: 'cloudops-recovery',
      engine: { url: `http://127.0.0.1:${port}` },
      role: 'Admin',
    });
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
    await engine?.close();
  });

  async function open(route: string): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await openHarnessPage(setup.browser, setup.url, route);
    // Survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    return { page, errors };
  }

  const notReloaded = (page: Page) =>
    page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  test('overview, repairs and forecast show the engine as unreachable with Retry, then load when it starts', async () => {
    const overview = await open('overview');
    const unreachable = overview.page.locator(tid(testIds.overview.error)).first();
    await unreachable.waitFor({ timeout: 30_000 });
    expect(await unreachable.textContent()).toContain('Grafana could not reach the engine (HTTP 502)');
    expect(await overview.page.locator(tid(testIds.engineError.retry)).count()).toBeGreaterThan(0);
    // Typed while the engine is down; not applied (no Enter), so the automatic retries must leave it alone.
    await overview.page.locator(tid(testIds.overview.namespace)).fill('payments-typed');
    mkdirSync(ARTIFACTS, { recursive: true });
    await overview.page.screenshot({ path: path.join(ARTIFACTS, 'overview-engine-unreachable.png'), fullPage: true });

    const repairs = await open('repairs');
    await repairs.page.locator(tid(testIds.repairs.error)).first().waitFor({ timeout: 30_000 });
    // Its reads failing alike are one alert with one Retry, not one per section (four before).
    await repairs.page
      .locator(tid(testIds.repairs.error))
      .filter({ hasText: 'Cannot read repairs from the engine' })
      .waitFor({ timeout: 30_000 });
    await repairs.page.locator(tid(testIds.engineError.retryIn)).waitFor({ timeout: 30_000 });
    expect(await repairs.page.locator(tid(testIds.repairs.error)).count()).toBe(1);
    expect(await repairs.page.locator(tid(testIds.engineError.retry)).count()).toBe(1);
    const forecast = await open('forecast');
    await forecast.page.locator(tid(testIds.forecast.catalogError)).waitFor({ timeout: 30_000 });
    await forecast.page.locator(tid(testIds.forecast.service)).fill('checkout');

    engine = await startEngineProcess({ server: { port } }, 60_000);

    await overview.page.locator(tid(testIds.overview.workloadRow)).first().waitFor({ timeout: RECOVERY_MS });
    await overview.page.locator(tid(testIds.overview.check)).first().waitFor({ timeout: RECOVERY_MS });
    expect(await overview.page.locator(tid(testIds.overview.error)).count()).toBe(0);
    expect(await overview.page.locator(tid(testIds.overview.namespace)).inputValue()).toBe('payments-typed');

    await repairs.page.locator(tid(testIds.repairs.auditVerify)).waitFor({ timeout: RECOVERY_MS });
    await repairs.page
      .locator(tid(testIds.repairs.killSwitch))
      .getByText('Kill switch')
      .waitFor({ timeout: RECOVERY_MS });
    await repairs.page.locator(tid(testIds.repairs.error)).first().waitFor({ state: 'detached', timeout: RECOVERY_MS });

    await forecast.page
      .locator(tid(testIds.forecast.catalogError))
      .waitFor({ state: 'detached', timeout: RECOVERY_MS });
    expect(await forecast.page.locator(tid(testIds.forecast.service)).inputValue()).toBe('checkout');

    for (const { page, errors } of [overview, repairs, forecast]) {
      expect(await notReloaded(page)).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 300_000);
});
