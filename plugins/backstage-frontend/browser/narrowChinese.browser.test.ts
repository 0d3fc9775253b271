import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildDevApp } from './buildDevApp';
import { freePort, startDevBackend, startEngine, type Running } from './childProcesses';
import { startDevAppServer, type DevAppServer } from './devAppServer';

/**
 * The entity's CloudOps tab in Chinese on a phone-wide screen (390 px), in Debian's Chromium against the real dev
 * backend and a demo engine whose payment service has open incidents, an OOM finding with a repair awaiting approval
 * and a root-cause analysis: no text runs past its card (where the card clips it), and once the engine stops, every
 * card says so in Chinese rather than in the backend's English message.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As in entityTab.browser.test.ts: every run writes to browser/artifacts/, `SAVE_SCREENSHOTS=1` the reviewed copies to
// browser/screenshots/ (committed).
const ARTIFACTS = path.resolve(__dirname, process.env.SAVE_SCREENSHOTS === '1' ? 'screenshots' : 'artifacts');
const ENGINE_TOKEN = 'backstage-browser-test-token-0123456789';
const ENTITY_PATH = '/catalog/default/component/payment';
const IDS = {
  rcaRun: 'aicloudops-rca-run',
  rcaCandidates: 'aicloudops-rca-candidates',
  retry: 'aicloudops-engine-retry',
};

/**
 * Text in a card that reaches past the card's right edge (the card clips it), as "text: where" lines (production class names carry a suffix: MuiCard-root-123). Text in a
 * horizontally scrollable box (the tables) is reachable by scrolling and not counted.
 */
function clippedText(): string[] {
  const out: string[] = [];
  for (const card of Array.from(document.querySelectorAll('main [class*="MuiCard-root"]'))) {
    const edge = card.getBoundingClientRect().right;
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let scrolls = false;
      for (let el = node.parentElement; el && el !== card; el = el.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(el).overflowX)) scrolls = true;
      }
      if (scrolls || !node.textContent?.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const right = Math.max(...Array.from(range.getClientRects()).map((r) => r.right));
      if (right > edge + 1)
        out.push(`${node.textContent.slice(0, 60)}: ${Math.round(right)} > ${Math.round(edge)}`);
    }
  }
  return out;
}

/** Table headers whose text wraps onto a second line ("命名空间" stacked a character a line), as their texts. */
function wrappedHeaders(): string[] {
  return Array.from(document.querySelectorAll('main th'))
    .filter((th) => {
      // The text's own line boxes (the whole cell's range would count the sort icon's box as a line too).
      const tops = new Set<number>();
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of Array.from(range.getClientRects())) tops.add(Math.round(r.top));
      }
      return tops.size > 1;
    })
    .map((th) => th.textContent ?? '');
}

describe('the entity tab in Chinese at 390 px', () => {
  let backend: Running;
  let engine: Running;
  let app: DevAppServer;
  let browser: Browser;
  let distDir: string;
  let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
  const pageErrors: string[] = [];

  const engineCall = async (method: string, enginePath: string, body?: unknown): Promise<string> => {
    const response = await fetch(`${engine.url}${enginePath}`, {
      method,
      headers: { 'content-type': 'application/json', Authorization: `Bearer ${ENGINE_TOKEN}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${enginePath}: ${response.status} ${text}`);
    return text;
  };

  /** Polls the engine until the repair scan has put an action up for approval (scans run every 5 s here). */
  async function repairAwaitsApproval(ms = 90_000): Promise<void> {
    const deadline = Date.now() + ms;
    let last = '';
    while (Date.now() < deadline) {
      last = await engineCall('GET', '/api/v1/repair/approvals');
      if ((JSON.parse(last) as { items: unknown[] }).items.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const actions = await engineCall('GET', '/api/v1/repair/actions');
    throw new Error(`no repair awaits approval after ${ms} ms: ${last}; actions: ${actions.slice(0, 1500)}`);
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    distDir = mkdtempSync(path.join(os.tmpdir(), 'aicloudops-dev-app-'));
    const [, startedEngine, backendPort] = await Promise.all([
      buildDevApp(distDir),
      startEngine({
        server: {
          host: '127.0.0.1',
          port: 0,
          auth: { enabled: true, tokens: [{ name: 'backstage', token: ENGINE_TOKEN, role: 'operator' }] },
        },
        // Approve mode and a short scan interval, so the OOM fault's repair waits for approval on the card.
        repair: { enabled: true, maxMode: 'approve', namespaces: ['shop'], scanIntervalSeconds: 5 },
      }),
      freePort(),
    ]);
    engine = startedEngine;
    app = await startDevAppServer(distDir);
    backend = await startDevBackend(backendPort, {
      app: { baseUrl: app.url },
      backend: {
        baseUrl: `http://127.0.0.1:${backendPort}`,
        listen: { port: backendPort, host: '127.0.0.1' },
        cors: { origin: app.url },
      },
      aicloudops: { engine: { baseUrl: engine.url, token: ENGINE_TOKEN } },
    });
    app.setConfig({ app: { title: 'AI-CloudOps dev', baseUrl: app.url }, backend: { baseUrl: backend.url } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--no-first-run',
      ],
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await page.getByRole('button', { name: /enter/i }).click({ timeout: 60_000 });
    await page.waitForFunction(
      () => Object.keys(localStorage).some((k) => k.includes('SignInPage')),
      undefined,
      {
        timeout: 60_000,
      },
    );
    signedIn = await context.storageState();
    await context.close();

    const twentyMinutesAgo = Math.floor(Date.now() / 1000) - 1200;
    await engineCall('POST', '/api/v1/demo/faults', {
      type: 'oom-killed',
      service: 'payment',
      startedAt: twentyMinutesAgo,
    });
    // Alerts whose text has long unbroken runs (label sets), as real Alertmanager labels do.
    await engineCall('POST', '/api/v1/alerts', {
      alerts: [
        {
          labels: {
            alertname: 'PaymentHighLatency',
            service: 'payment',
            namespace: 'shop',
            severity: 'critical',
          },
        },
        {
          labels: {
            alertname: 'PaymentErrorRate',
            service: 'payment',
            namespace: 'shop',
            severity: 'warning',
          },
        },
      ],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await backend?.close();
    await engine?.close();
    if (distDir) rmSync(distDir, { recursive: true, force: true });
  }, 60_000);

  async function openTab(): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      storageState: signedIn,
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(() => localStorage.setItem('language', 'zh'));
    await page.goto(`${app.url}${ENTITY_PATH}`);
    return { page, context };
  }

  test('incidents, a pending repair and an analysis: no text runs past its card', async () => {
    await repairAwaitsApproval();
    const { page, context } = await openTab();
    await page.getByTestId('repair-approval').first().waitFor({ timeout: 60_000 });
    await page.getByTestId('incident').first().waitFor({ timeout: 30_000 });
    // The analysis card's guide (a sample curl command) shows until an analysis runs.
    await page.getByTestId(IDS.rcaRun).waitFor({ timeout: 60_000 });
    expect(await page.evaluate(clippedText)).toEqual([]);
    await page.getByTestId(IDS.rcaRun).click();
    await page.getByTestId(IDS.rcaCandidates).waitFor({ timeout: 120_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'entity-tab-zh-390.png'), fullPage: true });
    expect(await page.evaluate(clippedText)).toEqual([]);
    // The tables scroll sideways rather than stack their headings a character a line.
    expect(await page.evaluate(wrappedHeaders)).toEqual([]);
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 240_000);

  test('with the engine stopped, every card says in Chinese that the engine is unreachable', async () => {
    await engine.close();
    const { page, context } = await openTab();
    // Workloads, repairs, incidents and the forecast read the engine on open: each has its Retry once it failed.
    await page.getByTestId(IDS.retry).nth(3).waitFor({ timeout: 60_000 });
    await page.screenshot({
      path: path.join(ARTIFACTS, 'entity-tab-zh-390-engine-down.png'),
      fullPage: true,
    });
    // The backend's English sentence may sit in a panel's collapsed details, never in what the user reads first.
    expect(await page.getByText('AI-CloudOps engine unreachable').filter({ visible: true }).count()).toBe(0);
    expect(
      await page
        .getByText(/无法连接/)
        .filter({ visible: true })
        .count(),
    ).toBeGreaterThanOrEqual(4);
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
