// The machine against the sample Pebbles kernel (public/kernels, built by the kernel area): boot to the
// shell prompt, run tests typed into the shell, determinism, snapshots and explorer timer mode on a real
// multi-threaded kernel with paging and user space.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildFat12 } from './loader/testing/fat12-builder.ts';
import { Machine } from './machine.ts';
import { runWithInput } from './machine-run.ts';

const path = new URL('../../public/kernels/pebbles.elf', import.meta.url);
const present = existsSync(path);
const image = present ? new Uint8Array(readFileSync(path)) : new Uint8Array(0);
const title = (t: string) => (present ? t : `${t} [SKIPPED: public/kernels/pebbles.elf not built]`);

function screenText(m: Machine): string {
  return m.screen().rows.map((r) => r.trimEnd()).join('\n');
}

describe.skipIf(!present)('sample Pebbles kernel', () => {
  it(title('boots to the shell prompt and runs typed tests, including one that reads a line'), () => {
    const m = Machine.boot(image);
    expect(runWithInput(m, { type: 'print_basic\nreadline_test\nhello\n' }).reason).toBe('idle');
    const text = screenText(m);
    expect(text).toContain('[410-shell]$ print_basic');
    expect(text).toContain('[print_basic exited with status 0]');
    expect(text).toContain('readline_test: PASS');
    expect(text.trimEnd().endsWith('[410-shell]$')).toBe(true);
    expect(m.log.some((e) => e.source === 'user' && e.text === 'print_basic: PASS')).toBe(true);
    expect(m.simcalls.booted).toBe(true);
  });

  it(title('boots the same kernel from a 15-410 bootfd.img floppy (boot/kernel.gz)'), () => {
    const floppy = buildFat12([
      { path: 'boot/menu.lst', data: new TextEncoder().encode('title Pebbles\nkernel (fd0)/boot/kernel.gz\n') },
      { path: 'boot/kernel.gz', data: gzipSync(image) },
    ]);
    const m = Machine.boot(floppy);
    expect(m.imageKind).toBe('floppy');
    expect(runWithInput(m).reason).toBe('idle');
    expect(screenText(m).trimEnd().endsWith('[410-shell]$')).toBe(true);
    expect(m.debug.programNames()).toContain('fork_wait');
  });

  it(title('names user-space code by program and symbol'), () => {
    const m = Machine.boot(image);
    expect(m.imageKind).toBe('elf');
    runWithInput(m);
    const main = m.debug.address('main', 'print_basic') as number;
    expect(main).toBeGreaterThanOrEqual(0x1000000);
    m.keyboard.typeText('print_basic\n');
    m.cpu.execWatch.add(main);
    expect(m.run(50_000_000)).toMatchObject({ reason: 'watch', address: main });
    m.cpu.execWatch.clear();
    expect(m.cpu.cpl).toBe(3);
    expect(m.locate(main)).toMatchObject({ space: 'user', program: 'print_basic', name: 'main' });
    expect(m.stackTrace()[0].name).toBe('main');
    // Without sim_reg_process (unannotated student kernels), the program is recognised by its code.
    m.simcalls = { ...m.simcalls, processes: [] };
    expect(m.locate(main)).toMatchObject({ program: 'print_basic', name: 'main' });
  });

  it(title('is deterministic and restores snapshots exactly on a real kernel'), () => {
    const a = Machine.boot(image);
    runWithInput(a);
    const atPrompt = a.snapshot();
    const promptHash = a.stateHash();
    a.keyboard.typeText('fork_wait\n');
    a.run(8_000_000);
    const endHash = a.stateHash();
    a.restore(atPrompt);
    expect(a.stateHash()).toBe(promptHash);
    a.keyboard.typeText('fork_wait\n');
    a.run(8_000_000);
    expect(a.stateHash()).toBe(endHash);
    const b = Machine.boot(image);
    runWithInput(b);
    expect(b.stateHash()).toBe(promptHash);
  });

  it(title('does not depend on how run() is sliced: same inputs at the same instruction counts, same state'), () => {
    const runIn = (slice: number) => {
      const m = Machine.boot(image);
      const to = (target: number) => {
        while (m.instructions < target) expect(m.run(Math.min(slice, target - m.instructions)).reason).toBe('limit');
      };
      to(17_000_000);
      m.keyboard.typeText('fork_wait\n');
      to(20_000_000);
      return m.stateHash();
    };
    expect(runIn(77_777)).toBe(runIn(20_000_000));
  });

  it(title('in explorer mode runs a sleeping test on injected timer interrupts only'), () => {
    const m = Machine.boot(image);
    runWithInput(m);
    m.timerMode = 'explorer';
    m.keyboard.typeText('sleep_test\n');
    let injected = 0;
    for (let i = 0; i < 200 && !screenText(m).includes('[sleep_test exited'); i++) {
      const stop = m.run(5_000_000);
      if (stop.reason === 'idle') {
        m.injectTimerInterrupt();
        injected++;
      } else {
        expect(stop.reason).toBe('limit');
      }
    }
    expect(screenText(m)).toContain('[sleep_test exited with status 0]');
    expect(injected).toBeGreaterThan(0);
  });
});
