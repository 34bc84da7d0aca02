// Running a kernel in the browser: the default sample boots to the shell prompt on the canvas (read
// through the screen's hidden text mirror), a test typed on the guest keyboard runs and prints, pausing
// shows registers and the instruction at EIP, and stepping moves EIP.
import { expect, test, type Page } from '@playwright/test';

test.use({ viewport: { width: 1600, height: 1000 } });

const PROMPT = '[410-shell]$';

async function bootDefault(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('screen-text')).toContainText(PROMPT, { timeout: 90_000 });
}

test('the default sample boots to the shell prompt', async ({ page }) => {
  await bootDefault(page);
  await expect(page.getByTestId('sample-picker')).toHaveValue('pebbles');
  await expect(page.getByTestId('kernel-log')).toContainText('kernel_main');
  await page.screenshot({ path: 'e2e/output/booted.png' });
});

test('typing a test name on the guest keyboard runs it, and so does the paste line', async ({ page }) => {
  await bootDefault(page);
  const screen = page.getByTestId('screen-text');
  await page.getByTestId('vga-canvas').click();
  await page.keyboard.type('print');
  await page.keyboard.press('Shift+Minus'); // real key presses: '_' is Shift held with the minus key
  await page.keyboard.type('basic');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText('print_basic: hello from user space', { timeout: 60_000 });
  await page.screenshot({ path: 'e2e/output/print-basic.png' });

  await page.getByTestId('paste-line').fill('print_basic');
  await page.getByTestId('paste-line').press('Enter');
  await expect.poll(async () => (await screen.textContent())!.split('hello from user space').length - 1, { timeout: 60_000 }).toBe(2);
});

test('pausing shows registers and the instruction at EIP; stepping moves EIP', async ({ page }) => {
  await bootDefault(page);
  await page.getByTestId('action-pause').click();
  await expect(page.getByTestId('run-state')).toHaveText('paused');
  const eip = page.getByTestId('reg-eip');
  await expect(eip).toHaveText(/^0x[0-9a-f]{8}$/);
  await expect(page.getByTestId('disassembly')).toContainText((await eip.textContent())!);
  await expect(page.getByTestId('call-stack')).toBeVisible();
  await page.screenshot({ path: 'e2e/output/paused.png' });
  const before = await eip.textContent();
  await page.getByTestId('action-stepInto').click();
  await expect(eip).not.toHaveText(before!);
  await page.keyboard.press('F11');
  await expect(page.getByTestId('run-state')).toHaveText('paused');
});
