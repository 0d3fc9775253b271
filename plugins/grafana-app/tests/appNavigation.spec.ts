import { test, expect } from './fixtures';
import { ROUTES } from '../src/constants';
import { testIds } from '../src/components/testIds';

// Runs against a real Grafana (`docker compose up`) with the engine reachable at AICLOUDOPS_ENGINE_URL.
test.describe('navigating the app', () => {
  test('overview shows the engine checks and the demo workloads', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Overview}`);
    await expect(page.getByTestId(testIds.overview.check).first()).toBeVisible();
    await expect(page.getByTestId(testIds.overview.workloadRow).first()).toBeVisible();
  });

  for (const [route, container] of [
    [ROUTES.RootCause, testIds.rootCause.container],
    [ROUTES.Forecast, testIds.forecast.container],
    [ROUTES.Assistant, testIds.assistant.container],
  ] as const) {
    test(`${route} renders`, async ({ gotoPage, page }) => {
      await gotoPage(`/${route}`);
      await expect(page.getByTestId(container)).toBeVisible();
    });
  }
});
