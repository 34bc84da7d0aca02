import { expect, test } from '@playwright/test';

test('the IDE opens and the engine worker answers', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/engine \d+\.\d+\.\d+ ready/);
  await page.screenshot({ path: 'e2e/output/ide.png', fullPage: true });
});
