// Tests of the native side of the differential suite: the harness runs hand-written snippets with known
// results on the host CPU, catches faults per case, and every generated form runs natively without a
// fault or a stray write (so the generator keeps its operands inside the scratch buffer).
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FORMS } from './forms.ts';
import { generateCase } from './generator.ts';
import { EFLAGS_FIXED, FLAG, MEM_SIZE, SCRATCH_ADDR, USER_CS, USER_DS, type TestCase } from './layout.ts';
import { NativeHarness } from './native-runner.ts';

const harness = NativeHarness.build();
const skip = typeof harness === 'string' ? harness : '';
if (skip) console.warn(`native differential tests skipped: ${skip}`);
const native = (): NativeHarness => harness as NativeHarness;
afterAll(() => { if (typeof harness !== 'string') harness.dispose(); });

function handCase(code: number[], regs: Partial<Record<number, number>>, eflags = FLAG.IF | EFLAGS_FIXED): TestCase {
  const r = new Uint32Array(8);
  r[4] = SCRATCH_ADDR + 256;
  for (const [k, v] of Object.entries(regs)) r[Number(k)] = v ?? 0;
  const mem = new Uint8Array(MEM_SIZE);
  for (let i = 0; i < MEM_SIZE; i++) mem[i] = i & 0xff;
  const segs = Uint16Array.of(USER_DS, USER_CS, USER_DS, USER_DS, 0, 0);
  return { form: 'hand', index: 0, code: Uint8Array.from(code), init: { regs: r, eflags, segs, mem }, undefinedFlags: 0, undefinedRegBits: new Uint32Array(8), undefinedMem: [] };
}

describe.skipIf(skip !== '')('native harness', () => {
  it('runs snippets with known results', () => {
    const [add, sub, movsb, push] = native().run([
      handCase([0x01, 0xd8], { 0: 0xffffffff, 3: 1 }), // add eax, ebx -> 0, CF ZF PF AF
      handCase([0x29, 0xd8], { 0: 0, 3: 1 }), // sub eax, ebx -> 0xffffffff, CF SF PF AF
      handCase([0xf3, 0xa4], { 1: 3, 6: SCRATCH_ADDR, 7: SCRATCH_ADDR + 16 }), // rep movsb
      handCase([0x6a, 0x80], {}), // push -128
    ]);
    expect(add.status).toBe('ok');
    expect(add.final.regs[0]).toBe(0);
    expect(add.final.eflags & 0xfff).toBe(FLAG.CF | FLAG.ZF | FLAG.PF | FLAG.AF | FLAG.IF | EFLAGS_FIXED);
    expect(sub.final.regs[0]).toBe(0xffffffff);
    expect(sub.final.eflags & 0xfff).toBe(FLAG.CF | FLAG.SF | FLAG.PF | FLAG.AF | FLAG.IF | EFLAGS_FIXED);
    expect([...movsb.final.mem.subarray(16, 20)]).toEqual([0, 1, 2, 19]);
    expect(movsb.final.regs[1]).toBe(0);
    expect(movsb.final.regs[6]).toBe(SCRATCH_ADDR + 3);
    expect(push.final.regs[4]).toBe(SCRATCH_ADDR + 252);
    expect([...push.final.mem.subarray(252, 256)]).toEqual([0x80, 0xff, 0xff, 0xff]);
  });

  it('reports a faulting case and goes on with the batch', () => {
    const [fault, after] = native().run([
      handCase([0x8b, 0x00], { 0: 0 }), // mov eax, [eax] at address 0
      handCase([0x40], { 0: 41 }), // inc eax
    ]);
    expect(fault.status).toBe('SIGSEGV');
    expect(after.status).toBe('ok');
    expect(after.final.regs[0]).toBe(42);
  });

  it('reports the segment registers a snippet leaves', () => {
    const [loadNull] = native().run([handCase([0x8e, 0xe0, 0x8e, 0xeb], { 0: 0, 3: USER_DS })]); // mov fs, ax; mov gs, bx
    expect(loadNull.status).toBe('ok');
    expect([...loadNull.final.segs]).toEqual([USER_DS, USER_CS, USER_DS, USER_DS, 0, USER_DS]);
  });

  it('detects a write below the scratch buffer', () => {
    const [stray] = native().run([handCase([0x88, 0x00], { 0: SCRATCH_ADDR - 8 })]); // mov [eax], al
    expect(stray.strayWrite).toBe(true);
  });

  it('runs every generated form without a fault or stray write (except forms meant to fault)', () => {
    const cases = ALL_FORMS.filter((form) => !form.mayFault).flatMap((form) => [0, 1, 2, 3].map((i) => generateCase(form, 7, i)));
    const bad = native().run(cases)
      .map((outcome, i) => ({ outcome, c: cases[i] }))
      .filter(({ outcome }) => outcome.status !== 'ok' || outcome.strayWrite)
      .map(({ outcome, c }) => `${c.form}#${c.index} ${Buffer.from(c.code).toString('hex')}: ${outcome.status}${outcome.strayWrite ? ' stray write' : ''}`);
    expect(bad).toEqual([]);
  });
});

describe('case generator', () => {
  it('is deterministic per (seed, form, index)', () => {
    for (const form of ALL_FORMS.slice(0, 40)) {
      const a = generateCase(form, 99, 5);
      const b = generateCase(form, 99, 5);
      expect(b).toEqual(a);
    }
  });
});
