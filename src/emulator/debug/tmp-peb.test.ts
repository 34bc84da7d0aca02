import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Machine } from '../machine.ts';
it('peb', () => {
  const bytes = new Uint8Array(readFileSync('public/kernels/pebbles.elf'));
  const m = Machine.boot(bytes);
  console.log('programs', m.debug.programNames(), 'warnings', m.debug.warnings, 'files', m.debug.kernel.lines.files().length);
  const stop = m.run(50_000_000);
  console.log(stop, m.screen().rows.filter((r) => r.trim()).slice(-3));
  m.keyboard.typeText('fork_wait\n');
  for (const fn of ['timer_handler', 'sys_fork', 'sys_wait', 'mutex_lock', 'context_switch', 'sched_switch', 'timer_tick']) {
    const a = m.debug.address(fn);
    if (a !== undefined) m.cpu.execWatch.add(a);
  }
  for (let i = 0; i < 12; i++) {
    const s = m.run(20_000_000);
    if (s.reason !== 'watch') { console.log('stop', s); break; }
    console.log('--- cr3', m.cpu.cr3.toString(16), m.currentProgram, '\n' + m.stackTrace().map((f) => '  ' + f.kind + ' ' + f.text).join('\n'));
    m.cpu.execWatch.delete(s.address!);
    m.run(1);
    m.cpu.execWatch.add(s.address!);
  }
});
