// Exploring in the browser: the engine worker explores a planted-bug sample's test on a second machine,
// the Explorer panel shows the progress and the bug with its schedule, and the JSON report downloads;
// data-race points typed into the form reach the explorer (or are refused with a message).
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

test('the explorer stops at the data-race points typed in, and refuses one that names no kernel code', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await page.getByTestId('sample-picker').selectOption('bug-mutex-test-then-set-unannotated');
  await page.getByTestId('explore-test').selectOption('double_thread_fork', { timeout: 30_000 });
  await page.getByTestId('explore-bound').fill('2');
  await page.getByTestId('explore-dr-points').fill('no_such_function+0x4');
  await page.getByTestId('explore-start').click();
  await expect(page.getByTestId('load-error')).toContainText("The data-race point 'no_such_function+0x4' is not a kernel instruction");
  // The race Landslide finds through a data-race point: the test-then-set lock's unprotected write.
  await page.getByTestId('explore-dr-points').fill('mutex_lock+0x32');
  await page.getByTestId('explore-start').click();
  const bug = page.getByTestId('exploration-bug').first();
  await expect(bug).toContainText("failed assertion `mp->owner == MUTEX_NO_OWNER'", { timeout: 60_000 });
  await expect(bug.getByTestId('bug-schedule')).toHaveText(/^dr=0x[0-9a-f]+:\S+$/);
});

test('a kernel configuration typed in reaches the explorer, a wrong one is refused with what is wrong, and missing functions are noted', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('engine-status')).toHaveText(/ready/);
  await page.getByTestId('sample-picker').selectOption('pebbles');
  await page.getByTestId('explore-test').selectOption('vanish_vanish', { timeout: 30_000 });
  await page.getByText('Kernel configuration').click();
  await page.getByTestId('explore-config').fill('{"symbols": {"report_end": "set_status"}}');
  await page.getByTestId('explore-start').click();
  await expect(page.getByTestId('load-error')).toContainText('The kernel configuration is wrong: unknown symbol "report_end"');
  // set_status stands in for the test library's report_end: vanish_vanish's child calls set_status(1).
  await page.getByTestId('explore-config').fill('{"symbols": {"userReportEnd": "set_status", "threadKilled": "kill_it"}}');
  await page.getByTestId('explore-start').click();
  await expect(page.getByTestId('exploration-bug').first()).toContainText('User test program reported failure!', { timeout: 60_000 });
  // A function named in the configuration that the kernel does not have: the panel says what goes unseen.
  await expect(page.getByTestId('exploration-limitation')).toContainText("no kernel function 'kill_it' (symbols.threadKilled)");
});
