import { describe, expect, it } from 'vitest';
import {
  dispatchSimcall, emptySimcallState, IN_SIMICS_MAGIC, SIM_BOOTED, SIM_BREAKPOINT, SIM_IN_SIMICS, SIM_MEMSIZE,
  SIM_PUTS, SIM_REG_CHILD, SIM_REG_PROCESS, SIM_TEST_REPORT, SIM_UNREG_PROCESS, type SimcallHost,
} from './simcall.ts';

function host(ebx: number, ecx = 0, edx = 0, cpl = 0, strings: Record<number, string> = {}) {
  const h = {
    ebx, ecx, edx, cpl, eax: 0, memoryKB: 256 * 1024,
    setEax(v: number) { h.eax = v; },
    readString: (linear: number) => strings[linear] ?? '',
  };
  return h satisfies SimcallHost;
}

function effects() {
  const fx = { logs: [] as string[], stops: [] as string[] };
  return { fx, impl: { log: (s: 'kernel' | 'user', t: string) => fx.logs.push(`${s}:${t}`), stop: (r: string) => fx.stops.push(r) } };
}

describe('Simics sim-calls', () => {
  it('answers in_simics and memsize (kernel only)', () => {
    const { impl } = effects();
    const h = host(SIM_IN_SIMICS);
    dispatchSimcall(h, emptySimcallState(), impl);
    expect(h.eax).toBe(IN_SIMICS_MAGIC);
    const k = host(SIM_MEMSIZE);
    dispatchSimcall(k, emptySimcallState(), impl);
    expect(k.eax).toBe(262144);
    const u = host(SIM_MEMSIZE, 0, 0, 3);
    dispatchSimcall(u, emptySimcallState(), impl);
    expect(u.eax).toBe(-15410);
  });

  it('logs puts tagged by privilege level and stops on MAGIC_BREAK', () => {
    const { fx, impl } = effects();
    dispatchSimcall(host(SIM_PUTS, 0x1000, 0, 0, { 0x1000: 'hello' }), emptySimcallState(), impl);
    dispatchSimcall(host(SIM_PUTS, 0x1000, 0, 3, { 0x1000: 'from user' }), emptySimcallState(), impl);
    dispatchSimcall(host(SIM_BREAKPOINT), emptySimcallState(), impl);
    expect(fx.logs).toEqual(['kernel:hello', 'user:from user']);
    expect(fx.stops).toEqual(['magic-break']);
  });

  it('leaves other EBX values alone (a plain xchg)', () => {
    const { fx, impl } = effects();
    const s = emptySimcallState();
    for (const ebx of [0xb00710ad, 0x1badd00d, 0, 0x04200002]) {
      const h = host(ebx);
      const r = dispatchSimcall(h, s, impl);
      expect(r.handled).toBe(false);
      expect(r.state).toBe(s);
      expect(h.eax).toBe(0);
    }
    expect(fx.logs).toEqual([]);
  });

  it('tracks booted, processes by CR3, children and test reports', () => {
    const { impl } = effects();
    let s = emptySimcallState();
    s = dispatchSimcall(host(SIM_BOOTED, 0x10, 0, 0, { 0x10: '(fd0)/boot/kernel' }), s, impl).state;
    s = dispatchSimcall(host(SIM_REG_PROCESS, 0x5000, 0x20, 0, { 0x20: 'fork_wait' }), s, impl).state;
    s = dispatchSimcall(host(SIM_REG_CHILD, 0x6000, 0x5000), s, impl).state;
    s = dispatchSimcall(host(SIM_UNREG_PROCESS, 0x5000), s, impl).state;
    s = dispatchSimcall(host(SIM_TEST_REPORT, 0x30, 1, 3, { 0x30: 'fork_wait' }), s, impl).state;
    s = dispatchSimcall(host(0x04108004), s, impl).state;
    expect(s).toEqual({
      booted: true, bootPath: '(fd0)/boot/kernel', processes: [[0x6000, 'fork_wait']], tids: [],
      testReports: [{ name: 'fork_wait', success: true }], ignoredCalls: 1,
    });
  });
});
