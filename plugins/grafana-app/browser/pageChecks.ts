import { readFileSync } from 'fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact?: string | null;
  nodes: Array<{ target: string[] }>;
}

/** axe-core's serious and critical violations on the page, as "rule: target" lines (empty when none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The harness defines an AMD `define` (Grafana's plugin loader); hidden from axe so it sets window.axe instead.
  await page.addScriptTag({ content: `(function (define, module, exports) {\n${AXE_SOURCE}\n}).call(window);` });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** How many pixels of the first canvas inside `within` are painted (uPlot draws the series there). */
export async function paintedPixels(within: Locator): Promise<{ width: number; painted: number }> {
  const canvas = within.locator('canvas').first();
  await canvas.waitFor({ timeout: 30_000 });
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) {
      painted += data[i]! > 0 ? 1 : 0;
    }
    return { width: c.width, painted };
  });
}

/** Debian's Chromium (or CHROMIUM_PATH), headless, as every browser test of the plugin starts it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * A new tab on the harness at `?page=<route>` (a query may follow: `overview&lang=zh-Hans`), once the plugin has
 * mounted, with the page's uncaught errors collected: how the browser tests open a page.
 */
export async function openHarnessPage(
  browser: Browser,
  harnessUrl: string,
  route: string,
  viewport?: { width: number; height: number }
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(viewport ? { viewport } : {});
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${harnessUrl}/?page=${route}`);
  await page.waitForFunction(() => document.body.dataset.harness !== undefined, undefined, { timeout: 30_000 });
  const state = await page.evaluate(() => document.body.dataset.harness);
  if (state !== 'mounted') {
    throw new Error(`the harness did not mount the plugin at ${route}: ${state}`);
  }
  return { page, errors };
}
