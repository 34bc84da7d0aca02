// Exploring in the browser: the engine worker explores a planted-bug sample's test on a second machine,
// the Explorer panel shows the progress and the bug with its schedule, and the JSON report downloads.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

test.use({ viewport: { width: 1600, height: 1000 } });

test('the explorer finds the planted use-after-free and reports it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await page.getByTestId('sample-picker').selectOption('bug-wait-use-after-free');
  await expect(page.getByTestId('explore-test')).toHaveValue('fork_wait', { timeout: 30_000 });
  await page.getByTestId('explore-bound').fill('2');
  await page.getByTestId('explore-start').click();
  const bug = page.getByTestId('exploration-bug').first();
  await expect(bug).toContainText('use-after-free', { timeout: 60_000 });
  await expect(bug).toContainText('USE AFTER FREE');
  await expect(bug.getByTestId('bug-schedule')).toHaveText(/^\S+$/);
  await expect(page.getByTestId('exploration-progress')).toContainText(/fork_wait: \w+ · \d+ branches/);
  await page.screenshot({ path: 'e2e/output/explore-bug.png' });
  const download = page.waitForEvent('download');
  await page.getByTestId('panel-explore').getByRole('button', { name: 'JSON' }).click();
  const report = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(report).toMatchObject({ test: 'fork_wait', kernel: 'bug-wait-use-after-free', bugs: [{ class: 'use-after-free' }] });
});
