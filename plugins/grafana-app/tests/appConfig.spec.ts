import { test, expect } from './fixtures';
import { testIds } from '../src/components/testIds';

// Runs against a real Grafana (`docker compose up`); not runnable where Docker is missing.
test('saves the engine connection', async ({ appConfigPage, page }) => {
  await page.getByTestId(testIds.appConfig.engineUrl).clear();
  await page.getByTestId(testIds.appConfig.engineUrl).fill('http://host.docker.internal:8080');

  const saveResponse = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.submit).click();
  await expect(saveResponse).toBeOK();
});
