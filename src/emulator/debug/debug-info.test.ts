// DebugInfo: the exec2obj programs of the fixture kernel, kernel/user location, program identification
// from memory, and damaged tables reported as warnings.
import { describe, expect, it } from 'vitest';
import { parseElf32 } from '../loader/elf.ts';
import { fixtureKernel } from '../loader/testing/fixtures.ts';
import { DebugInfo, USER_MEM_START } from './debug-info.ts';

describe('DebugInfo', () => {
  const debug = DebugInfo.fromKernel(fixtureKernel());

  it('lists the exec2obj programs and reads their symbols and lines', () => {
    expect(debug.programNames()).toEqual(['hello', 'spin']);
    expect(debug.warnings).toEqual([]);
    const hello = debug.program('hello');
    expect(hello).toMatchObject({ tocIndex: 0, error: null });
    expect(hello?.execbytes).toBe(debug.address('hello_exec2obj_userapp_code_ptr'));
    expect(hello?.elf?.header.entry).toBe(hello?.symbols.address('_main'));
    const work = debug.address('work', 'hello') ?? -1;
    expect(work).toBe(USER_MEM_START);
    expect(debug.locate(work + 6, 'hello')).toEqual({
      address: work + 6, space: 'user', program: 'hello', name: 'work', offset: 6, file: 'user.c', line: 6,
    });
  });

  it('locates kernel addresses whatever the program, and user addresses only with one', () => {
    const leaf = debug.address('leaf') ?? -1;
    expect(debug.locate(leaf + 6, 'spin')).toMatchObject({ space: 'kernel', program: null, name: 'leaf', file: 'kernel.c', line: 36 });
    expect(debug.locate(USER_MEM_START + 4)).toMatchObject({ space: 'user', program: null, name: null, file: null });
    expect(debug.locate(USER_MEM_START + 4, 'nonexistent').name).toBeNull();
  });

  it('identifies the running program from the code in memory', () => {
    const spin = debug.program('spin');
    const memory = (a: number) => {
      const b = spin?.readCode(a, 4);
      return b ? new DataView(b.buffer).getUint32(0, true) : null;
    };
    const main = debug.address('main', 'spin') ?? -1;
    expect(debug.identifyProgram(main + 4, memory)).toBe('spin');
    expect(debug.identifyProgram(main + 4, () => 0x12345678)).toBeNull();
    expect(debug.identifyProgram(main + 4, () => null)).toBeNull();
  });

  it('reports bad TOC entries and missing symbols as warnings, never as exceptions', () => {
    const k = fixtureKernel();
    const elf = parseElf32(k);
    const hello = DebugInfo.fromKernel(elf).program('hello');
    // Corrupt hello's embedded ELF magic: the program stays listed with its error.
    const fileOffset = (hello?.execbytes ?? 0) - 0xff000;
    k[fileOffset] = 0;
    const damaged = DebugInfo.fromKernel(k);
    expect(damaged.programNames()).toEqual(['hello', 'spin']);
    expect(damaged.program('hello')?.error).toMatch(/not an ELF/);
    expect(damaged.warnings.join('\n')).toMatch(/program hello: This is not an ELF/);
    expect(damaged.program('spin')?.error).toBeNull();

    const garbage = DebugInfo.fromKernel(new Uint8Array([1, 2, 3]));
    expect(garbage.programNames()).toEqual([]);
    expect(garbage.warnings[0]).toMatch(/kernel: This is not an ELF/);
    expect(garbage.locate(0x100000)).toMatchObject({ name: null, space: 'kernel' });
  });

  it('reads no further than the table holds', () => {
    const k = fixtureKernel();
    const count = DebugInfo.fromKernel(k).address('exec2obj_userapp_count') ?? 0;
    new DataView(k.buffer).setInt32(count - 0xff000, 200, true); // TOC[128]
    const d = DebugInfo.fromKernel(k);
    expect(d.programs).toHaveLength(128);
    expect(d.programNames().slice(0, 2)).toEqual(['hello', 'spin']);
    expect(d.warnings.join()).toMatch(/count is 200 but exec2obj_userapp_TOC holds only 128 entries/);
  });

  it('rejects an implausible program count', () => {
    const k = fixtureKernel();
    const count = DebugInfo.fromKernel(k).address('exec2obj_userapp_count') ?? 0;
    new DataView(k.buffer).setInt32(count - 0xff000, -5, true);
    const d = DebugInfo.fromKernel(k);
    expect(d.programNames()).toEqual([]);
    expect(d.warnings.join()).toMatch(/exec2obj_userapp_count is -5/);
  });
});
