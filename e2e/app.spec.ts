// The IDE shell: it opens with every panel rendered and honest empty states, the engine worker answers,
// the shortcut sheet comes from the action registry, a garbage upload shows a clear error, and a worker
// that fails shows an error with a working restart.
import { expect, test } from '@playwright/test';

test.use({ viewport: { width: 1600, height: 1000 } });

test('the IDE opens with its panels and the engine worker answers', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/engine \d+\.\d+\.\d+ ready/);
  for (const panel of ['console', 'code', 'registers', 'memory', 'explore', 'decision-tree', 'timeline', 'conflicts']) {
    await expect(page.getByTestId(`panel-${panel}`)).toBeVisible();
  }
  await expect(page.getByTestId('panel-decision-tree')).toContainText('This view is not built yet');
  await expect(page.getByTestId('vga-canvas')).toBeVisible();
  await page.screenshot({ path: 'e2e/output/ide.png' });
});

test('F1 shows the keyboard shortcuts', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await page.keyboard.press('F1');
  const sheet = page.getByTestId('help-sheet');
  await expect(sheet).toContainText('F5');
  await expect(sheet).toContainText('F11');
  await page.keyboard.press('F1');
  await expect(sheet).toBeHidden();
});

test('a garbage upload shows a clear error', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await page.getByTestId('kernel-file').setInputFiles({ name: 'garbage.bin', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not a kernel at all') });
  const error = page.getByTestId('load-error');
  await expect(error).toContainText('garbage.bin cannot be booted');
  await expect(page.getByTestId('panel-console')).toBeVisible();
  await page.screenshot({ path: 'e2e/output/garbage-upload.png' });
});

test('a failed engine worker is reported and can be restarted', async ({ page }) => {
  await page.route('**/engine.worker*', (route) => route.abort());
  await page.goto('/');
  const error = page.getByTestId('engine-error');
  await expect(error).toContainText('The engine stopped working');
  await page.screenshot({ path: 'e2e/output/engine-error.png' });
  await page.unroute('**/engine.worker*');
  await error.getByRole('button', { name: 'Restart engine' }).click();
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await expect(error).toBeHidden();
});
