/**
 * @jest-environment node
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import pluginJson from '../src/plugin.json';
import { testIds } from '../src/components/testIds';
import { startBrowserSetup, type BrowserSetup } from './browserSetup';

/**
 * The catalog screenshots plugin.json lists (info.screenshots), taken from the built plugin in headless Chromium
 * against a real demo engine. Every run checks them; `SAVE_SCREENSHOTS=1 npm run test:browser` also writes them to
 * src/img, which is how the committed ones were made.
 */

const IMG = path.resolve(__dirname, '..', 'src', 'img');
const SHOTS = [{ file: 'screenshot-overview.png', page: 'overview', ready: testIds.overview.workloadRow }];

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('catalog screenshots', () => {
  let setup: BrowserSetup;
  let outDir: string;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'cloudops-shots-out-'));
    setup = await startBrowserSetup({
      name: 'cloudops-shots',
      engine: {},
      role: 'Admin',
      secureJsonData: { viewerToken: 'unused', operatorToken: 'unused', adminToken: 'unused' },
    });
  }, 120_000);

  afterAll(async () => {
    await setup?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  test('plugin.json lists screenshots that exist under src/', () => {
    const shots = pluginJson.info.screenshots as Array<{ name: string; path: string }>;
    expect(shots.length).toBeGreaterThan(0);
    for (const shot of shots) {
      expect(shot.name).not.toBe('');
      expect(existsSync(path.resolve(__dirname, '..', 'src', shot.path))).toBe(true);
    }
    expect(shots.map((s) => path.basename(s.path)).sort()).toEqual(SHOTS.map((s) => s.file).sort());
  });

  test.each(SHOTS)(
    '$page renders and is captured at 1280 px wide',
    async ({ file, page: route, ready }) => {
      const page = await setup.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${setup.url}/?page=${route}`);
      await page.getByTestId(ready).first().waitFor({ timeout: 60_000 });
      const out = path.join(outDir, file);
      await page.screenshot({ path: out });
      await page.close();
      expect(errors).toEqual([]);
      expect(pngSize(out)).toEqual({ width: 1280, height: 800 });
      if (process.env.SAVE_SCREENSHOTS === '1') copyFileSync(out, path.join(IMG, file));
    },
    120_000
  );
});
