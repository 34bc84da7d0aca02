// ELF32 parser: the committed fixture, gcc output, and every LoadError case (not an ELF, 64-bit, big-endian,
// wrong machine, truncation at each table, malformed program headers), plus lenient symbol reading.
import { describe, expect, it } from 'vitest';
import { PT_LOAD, isElf, parseElf32 } from './elf.ts';
import { LoadError } from './load-error.ts';
import { fixtureKernel } from './testing/fixtures.ts';
import { compileAndLink, hasI386Toolchain, toolchainTitle } from './testing/toolchain.ts';

function expectLoadError(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    parseElf32(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(LoadError);
  expect((error as Error).message).toMatch(pattern);
}

describe('parseElf32', () => {
  it('reads the header, program headers, sections and symbols of the fixture kernel', () => {
    const elf = parseElf32(fixtureKernel());
    expect(elf.header.machine).toBe(3);
    expect(elf.header.entry).toBe(0x10000c);
    const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
    expect(loads.length).toBe(2);
    expect(loads[1]).toMatchObject({ vaddr: 0x10c64c, filesz: 4, memsz: 0x1058 });
    expect(elf.section('.text')).toMatchObject({ addr: 0x100000, flags: 6 });
    expect(elf.section('.debug_line')).toBeDefined();
    const kernelMain = elf.symbols.find((s) => s.name === 'kernel_main');
    expect(kernelMain).toMatchObject({ type: 'func', bind: 'global', size: 30, table: 'symtab' });
    expect(elf.symbols.find((s) => s.name === 'ticks')).toMatchObject({ type: 'object', size: 4 });
    expect(elf.warnings).toEqual([]);
  });

  it('reads virtual addresses through the segments, with bss as zeros', () => {
    const elf = parseElf32(fixtureKernel());
    expect(Array.from(elf.readVirtual(0x100000, 4) ?? [])).toEqual([0x02, 0xb0, 0xad, 0x1b]);
    const ticks = elf.symbols.find((s) => s.name === 'ticks');
    expect(elf.readVirtual(ticks?.value ?? 0, 4)).toEqual(new Uint8Array([7, 0, 0, 0]));
    const counter = elf.symbols.find((s) => s.name === 'counter');
    expect(elf.readVirtual(counter?.value ?? 0, 4)).toEqual(new Uint8Array(4));
    expect(elf.readVirtual(0x5000000, 4)).toBeNull();
    expect(elf.readVirtual(0x100000, 0x7fffffff)).toBeNull(); // refused, not a 2 GB allocation
    expect(elf.readVirtual(0x100000, -1)).toBeNull();
  });

  it('recognises the magic', () => {
    expect(isElf(fixtureKernel())).toBe(true);
    expect(isElf(new Uint8Array([0x7f, 0x45]))).toBe(false);
  });

  it('rejects a file that is not an ELF, showing its first bytes', () => {
    expectLoadError(new TextEncoder().encode('<!DOCTYPE html><html>'), /not an ELF file.*3c 21 44 4f 43 54 59 50 \("<!DOCTYP"\)/);
    expectLoadError(new Uint8Array(0), /not an ELF file.*empty/);
  });

  it('rejects 64-bit, big-endian and non-i386 ELFs', () => {
    const k64 = fixtureKernel();
    k64[4] = 2;
    expectLoadError(k64, /64-bit ELF; Pebbles kernels are 32-bit i386/);
    const be = fixtureKernel();
    be[5] = 2;
    expectLoadError(be, /big-endian/);
    const arm = fixtureKernel();
    arm[18] = 40;
    expectLoadError(arm, /built for ARM, not Intel 80386/);
  });

  it('rejects truncated files with the part that is missing', () => {
    const k = fixtureKernel();
    expectLoadError(k.subarray(0, 40), /truncated.*ELF header/);
    expectLoadError(k.subarray(0, 60), /truncated.*program header table/);
    expectLoadError(k.subarray(0, 0x8000), /truncated.*segment 0/);
    expectLoadError(k.subarray(0, k.length - 100), /truncated.*section header table/);
  });

  it('rejects a program header whose file size exceeds its memory size', () => {
    const k = fixtureKernel();
    const view = new DataView(k.buffer);
    const ph1 = 52 + 32; // second program header
    view.setUint32(ph1 + 20, 1, true); // memsz 1 < filesz 4
    expectLoadError(k, /program header 1 is malformed/);
  });

  it('gives partial results for damaged symbol tables instead of failing', () => {
    const k = fixtureKernel();
    const elf = parseElf32(k);
    const symtab = elf.section('.symtab');
    expect(symtab).toBeDefined();
    const view = new DataView(k.buffer);
    const shdr = elf.header.shoff + (symtab?.index ?? 0) * 40;
    view.setUint32(shdr + 20, (symtab?.size ?? 0) - 8, true); // odd size
    const damaged = parseElf32(k);
    expect(damaged.symbols.length).toBe(elf.symbols.length - 1);
    expect(damaged.warnings.join()).toMatch(/not a multiple of 16/);
    view.setUint32(shdr + 16, k.length + 10, true); // symbol table outside the file
    const outside = parseElf32(k);
    expect(outside.symbols).toEqual([]);
    expect(outside.warnings.join()).toMatch(/lies outside the file/);
  });

  it('reads an image with no section headers (stripped of them)', () => {
    const k = fixtureKernel();
    new DataView(k.buffer).setUint32(32, 0, true);
    const elf = parseElf32(k);
    expect(elf.sections).toEqual([]);
    expect(elf.symbols).toEqual([]);
    expect(elf.readVirtual(0x100000, 4)).not.toBeNull();
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('parses what gcc -m32 and ld produce here'), () => {
    const elf = parseElf32(
      compileAndLink({ 'a.c': 'int g = 5; static int s; int _start(void) { return g + s; }\n' }, { textAddress: 0x200000 }),
    );
    expect(elf.symbols.find((s) => s.name === '_start')).toMatchObject({ type: 'func', value: 0x200000 });
    expect(elf.symbols.find((s) => s.name === 's')).toMatchObject({ type: 'object', bind: 'local' });
  });
});
