// Symbol lookup on the fixture kernel: C functions and objects, assembly labels, layout facts (_end, .data,
// .bss), images without symbols, and alias/label preferences on gcc output.
import { describe, expect, it } from 'vitest';
import { parseElf32 } from '../loader/elf.ts';
import { fixtureKernel } from '../loader/testing/fixtures.ts';
import { compileAndLink, hasI386Toolchain, toolchainTitle } from '../loader/testing/toolchain.ts';
import { SymbolTable } from './symbols.ts';

const table = SymbolTable.fromElf(parseElf32(fixtureKernel()));
const addr = (name: string) => {
  const a = table.address(name);
  if (a === undefined) throw new Error(`no ${name}`);
  return a;
};

describe('SymbolTable', () => {
  it('names addresses inside C functions and objects', () => {
    expect(table.lookup(addr('leaf') + 6)).toMatchObject({ name: 'leaf', offset: 6, size: 27 });
    expect(table.lookup(addr('scratch') + 8)).toMatchObject({ name: 'scratch', offset: 8 });
    expect(table.lookup(addr('ticks'))).toMatchObject({ name: 'ticks', offset: 0 });
  });

  it('names addresses in assembly labels up to the next symbol', () => {
    expect(table.lookup(addr('timer_stub') + 7)).toMatchObject({ name: 'timer_stub', offset: 7, size: 0 });
    expect(table.lookup(addr('_start') + 13)).toMatchObject({ name: '_start', offset: 13 });
    expect(table.functionAt(addr('syscall_stub') + 1)?.name).toBe('syscall_stub');
  });

  it('gives the address ranges of functions, objects and labels by name', () => {
    expect(table.range('leaf')).toEqual({ start: addr('leaf'), end: addr('leaf') + 27 });
    expect(table.range('scratch')).toEqual({ start: addr('scratch'), end: addr('scratch') + 64 });
    expect(table.range('timer_stub')).toEqual({ start: addr('timer_stub'), end: addr('syscall_stub') });
    expect(table.range('nonexistent')).toBeUndefined();
    expect(table.range('MB_MAGIC')).toBeUndefined(); // absolute: no range
  });

  it('does not name addresses outside every symbol', () => {
    expect(table.lookup(0x50)).toBeNull();
    expect(table.lookup(0x8000000)).toBeNull();
    expect(table.functionAt(addr('ticks'))).toBeNull();
  });

  it('gives the layout facts: _end, .data, .bss and the function list', () => {
    expect(table.end).toBe(0x10d6a4);
    expect(table.data).toEqual({ start: 0x10c64c, end: 0x10c650 });
    expect(table.bss).toEqual({ start: 0x10c660, end: 0x10d6a4 });
    expect(table.functions().map((f) => f.name)).toEqual(['timer_handler', 'syscall_handler', 'leaf', 'middle', 'pagefault_handler', 'kernel_main']);
    expect(table.address('MB_MAGIC')).toBe(0x1badb002); // absolute symbols resolve by name...
    expect(table.lookup(0x1badb002)).toBeNull(); // ...but never name addresses
  });

  it('is empty, not broken, for an image without symbols', () => {
    const k = fixtureKernel();
    new DataView(k.buffer).setUint32(32, 0, true); // no section headers
    const t = SymbolTable.fromElf(parseElf32(k));
    expect(t.lookup(0x100050)).toBeNull();
    expect(t.end).toBeUndefined();
    expect(t.data).toBeNull();
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('prefers a global over a local alias and sized functions over labels'), () => {
    const elf = parseElf32(
      compileAndLink({
        'a.S': [
          '.text', '.globl _start', '.type _start,@function', '_start:', 'local_alias:', 'nop', 'inner_label:', 'nop', 'ret',
          '.size _start, .-_start', 'tail:', 'ret', '.section .note.GNU-stack,"",@progbits', '',
        ].join('\n'),
      }),
    );
    const t = SymbolTable.fromElf(elf);
    expect(t.lookup(0x100000)?.name).toBe('_start');
    expect(t.lookup(0x100001)?.name).toBe('inner_label');
    expect(t.functionAt(0x100001)?.name).toBe('_start');
    expect(t.lookup(0x100003)?.name).toBe('tail');
  });
});
