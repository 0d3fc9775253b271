import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildDevApp } from './buildDevApp';
import { freePort, startDevBackend, startEngine, type Running } from './childProcesses';
import { startDevAppServer, type DevAppServer } from './devAppServer';

/**
 * The entity's CloudOps tab opened while the engine is down, in Debian's Chromium against the real dev backend: the
 * workloads card says the engine could not be reached, with Retry; a real engine then starts at the address the
 * backend is configured with, and the tab fills in without a reload, keeping a question typed meanwhile. Timeouts are
 * generous: the backoff may be at its 30 s (+20%) step when the engine comes up, and the build, backend and engine
 * start slowly on a busy 2-core machine.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, 'artifacts');
const ENGINE_TOKEN = 'backstage-browser-test-token-0123456789';
const ENTITY_PATH = '/catalog/default/component/payment';
const IDS = {
  assistantQuestion: 'aicloudops-assistant-question',
  retry: 'aicloudops-engine-retry',
};

describe('the entity tab opened while the engine is down', () => {
  let backend: Running;
  let engine: Running | undefined;
  let app: DevAppServer;
  let browser: Browser;
  let distDir: string;
  let enginePort: number;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    distDir = mkdtempSync(path.join(os.tmpdir(), 'aicloudops-dev-app-'));
    let backendPort: number;
    [, backendPort, enginePort] = await Promise.all([buildDevApp(distDir), freePort(), freePort()]);
    app = await startDevAppServer(distDir);
    const backendUrl = `http://127.0.0.1:${backendPort}`;
    backend = await startDevBackend(backendPort, {
      app: { baseUrl: app.url },
      backend: {
        baseUrl: backendUrl,
        listen: { port: backendPort, host: '127.0.0.1' },
        cors: { origin: app.url },
      },
      // Nothing listens here until the test starts the engine.
      aicloudops: { engine: { baseUrl: `http://127.0.0.1:${enginePort}`, token: ENGINE_TOKEN } },
    });
    app.setConfig({ app: { title: 'AI-CloudOps dev', baseUrl: app.url }, backend: { baseUrl: backend.url } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await engine?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  }, 60_000);

  test('shows the engine as unreachable with Retry, then fills in once the engine starts, without a reload', async () => {
    // Signed in as the entity tab test does it: once, then a new context with the remembered provider.
    const signIn = await browser.newContext();
    const signInPage = await signIn.newPage();
    await signInPage.goto(`${app.url}/`);
    await signInPage.getByRole('button', { name: /enter/i }).click({ timeout: 60_000 });
    await signInPage.waitForFunction(
      () => Object.keys(localStorage).some((k) => k.includes('SignInPage')),
      undefined,
      { timeout: 60_000 },
    );
    const storageState = await signIn.storageState();
    await signIn.close();
    const context = await browser.newContext({ viewport: { width: 1400, height: 2000 }, storageState });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // The catalog ingests the demo entities on its own schedule: reload until the entity page has the tab's assistant.
    const deadline = Date.now() + 120_000;
    for (;;) {
      await page.goto(`${app.url}${ENTITY_PATH}`);
      const found = await page
        .getByTestId(IDS.assistantQuestion)
        .waitFor({ timeout: 15_000 })
        .then(() => true)
        .catch(() => false);
      if (found) break;
      if (Date.now() > deadline) {
        await page.screenshot({
          path: path.join(ARTIFACTS, 'entity-tab-engine-down-missing.png'),
          fullPage: true,
        });
        throw new Error(`${ENTITY_PATH} did not show the CloudOps tab within 120 s`);
      }
    }
    // Survives only if the page is not reloaded from here on.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    await page.getByText('Could not reach the AI-CloudOps engine').first().waitFor({ timeout: 60_000 });
    await page.getByTestId(IDS.retry).first().waitFor({ timeout: 30_000 });
    await page.getByTestId(IDS.assistantQuestion).fill('Why is payment slow?');
    await page.screenshot({
      path: path.join(ARTIFACTS, 'entity-tab-engine-unreachable.png'),
      fullPage: true,
    });

    engine = await startEngine({
      server: {
        host: '127.0.0.1',
        port: enginePort,
        auth: { enabled: true, tokens: [{ name: 'backstage', token: ENGINE_TOKEN, role: 'operator' }] },
      },
    });

    // The workloads table from the simulated cluster, read again on the card's own schedule.
    await page
      .getByText(/Deployment\/payment/)
      .first()
      .waitFor({ timeout: 120_000 });
    await page
      .getByText('Could not reach the AI-CloudOps engine')
      .first()
      .waitFor({ state: 'detached', timeout: 60_000 });
    // The repairs, incidents and forecast cards (the backend's 503 while the engine was down) on their own schedules.
    await page.waitForFunction(
      () => !document.body.innerText.includes('AI-CloudOps engine unreachable'),
      undefined,
      {
        timeout: 120_000,
        polling: 1_000,
      },
    );
    await page.getByTestId('forecast-chart').locator('svg').first().waitFor({ timeout: 120_000 });
    expect(await page.getByTestId(IDS.retry).count()).toBe(0);
    expect(await page.getByTestId(IDS.assistantQuestion).inputValue()).toBe('Why is payment slow?');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await page.screenshot({ path: path.join(ARTIFACTS, 'entity-tab-engine-recovered.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 420_000);
});
