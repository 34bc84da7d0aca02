// The emulator's speed inside the browser: builds the IDE, serves it with Vite's preview server, opens it
// in headless Chromium (playwright-core, Debian's /usr/bin/chromium), uploads the CPU benchmark kernel
// (public/kernels/bench) and lets the engine worker run it to its exit. Reports emulator.mips.browser:
// instructions over the wall time the worker spent running the guest, by the worker's own clock. Then
// explores the correct sample's fork_wait in the Explorer panel as the Node explorer benchmark does, for
// explorer.interleavings_per_s.browser.fork_wait (what the worker posts to the page costs it speed).
// Vite and Playwright are imported when this benchmark runs, not when the suite loads: loading them
// keeps V8's background threads busy for seconds, which slowed the benchmarks that run first.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { Benchmark, Measure } from './suite.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const KERNEL = path.join(root, 'public/kernels/bench/bench.elf');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 300_000;
const EXPLORE_TEST = 'fork_wait';
const EXPLORE_SECONDS = 5;

/**
 * The Explorer panel's exploration of the correct sample's fork_wait, as the Node benchmark runs it
 * (unbounded DPOR, no iterative deepening, 5 s): branches per second by the worker's clock.
 */
async function explorationRate(page: Page): Promise<Measure> {
  await page.getByTestId('sample-picker').selectOption('pebbles');
  await page.getByTestId('explore-test').selectOption(EXPLORE_TEST, { timeout: 120_000 });
  await page.getByTestId('explore-bound').fill('');
  await page.getByLabel('Time limit in seconds').fill(String(EXPLORE_SECONDS));
  await page.getByLabel(/fast/).uncheck();
  await page.getByTestId('explore-start').click();
  const progress = page.getByTestId('exploration-progress');
  await progress.getByText(/: (finished|stopped)/).waitFor({ timeout: RUN_TIMEOUT_MS });
  const branches = Number(await progress.getAttribute('data-branches'));
  const seconds = Number(await progress.getAttribute('data-elapsed'));
  return { name: `explorer.interleavings_per_s.browser.${EXPLORE_TEST}`, value: Math.round((branches / seconds) * 10) / 10, unit: 'branches/s', branches };
}

export const browserBenchmark: Benchmark = {
  name: 'browser',
  async run(): Promise<Measure[]> {
    const [{ chromium }, { build, preview }] = await Promise.all([import('playwright-core'), import('vite')]);
    const outDir = mkdtempSync(path.join(tmpdir(), 'faultline-bench-'));
    const server = await (async () => {
      await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
      return preview({ root, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 4190 } });
    })();
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      await page.goto(server.resolvedUrls!.local[0]);
      const status = page.getByTestId('statusbar');
      // Let the preloaded sample start first, so that it cannot replace the benchmark kernel.
      await page.waitForFunction(() => document.querySelector('[data-testid=statusbar]')?.getAttribute('data-state') !== 'empty', null, { timeout: 120_000 });
      await page.getByTestId('kernel-file').setInputFiles({ name: 'bench.elf', mimeType: 'application/octet-stream', buffer: readFileSync(KERNEL) });
      await page.waitForFunction(
        () => {
          const bar = document.querySelector('[data-testid=statusbar]');
          return bar?.textContent?.includes('bench.elf') && bar.getAttribute('data-state') === 'stopped';
        },
        null,
        { timeout: RUN_TIMEOUT_MS },
      );
      const stop = await page.getByTestId('stop-message').textContent();
      if (!stop?.includes('exited')) throw new Error(`the benchmark kernel did not exit: ${stop}`);
      const instructions = Number(await status.getAttribute('data-instructions'));
      const runMs = Number(await status.getAttribute('data-run-ms'));
      const mips = instructions / runMs / 1000;
      return [
        { name: 'emulator.mips.browser', value: Math.round(mips * 100) / 100, unit: 'MIPS', instructions, runMs: Math.round(runMs), stop },
        await explorationRate(page),
      ];
    } finally {
      await browser.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};
