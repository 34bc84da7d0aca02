// .debug_line: the committed DWARF 5 fixture, damaged input, and gcc-built DWARF 2, 3, 4 and 5 line tables
// checked against addr2line.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf32 } from '../loader/elf.ts';
import { fixtureKernel } from '../loader/testing/fixtures.ts';
import { compileAndLink, hasI386Toolchain, toolchainTitle } from '../loader/testing/toolchain.ts';
import { LineTable, parseDebugLine } from './dwarf-line.ts';
import { parseStabs } from './stabs-line.ts';
import { SymbolTable } from './symbols.ts';

const SOURCE = `int counter;
static int twice(int x) {
  return x * 2;
}

int step(int n) {
  int a = twice(n);
  if (a > 10)
    counter++;
  return a + counter;
}

void _start(void) {
  for (;;)
    counter = step(counter);
}
`;

describe('LineTable on the committed fixture (gcc 12, DWARF 5)', () => {
  const elf = parseElf32(fixtureKernel());
  const lines = LineTable.fromElf(elf);
  const symbols = SymbolTable.fromElf(elf);
  const at = (name: string) => symbols.address(name) ?? -1;

  it('maps addresses to file:line in C and assembly', () => {
    expect(lines.lookup(at('leaf'))).toEqual({ file: 'kernel.c', line: 35 });
    expect(lines.lookup(at('leaf') + 6)).toEqual({ file: 'kernel.c', line: 36 });
    expect(lines.lookup(at('timer_stub') + 1)).toEqual({ file: 'head.S', line: 20 });
    expect(lines.lookup(0x50)).toBeNull();
  });

  it('maps file:line back to addresses, matching by path suffix', () => {
    expect(lines.addressesOf('kernel.c', 41)).toEqual([at('middle') + 6]);
    expect(lines.addressesOf('./kernel.c', 41)).toEqual([at('middle') + 6]);
    expect(lines.addressesOf('head.S', 20)).toEqual([at('timer_stub') + 1]);
    expect(lines.addressesOf('other.c', 41)).toEqual([]);
    expect(lines.files()).toEqual(['head.S', 'kernel.c']);
  });

  it('keeps what it read when a unit is cut short', () => {
    const section = elf.section('.debug_line');
    if (!section) throw new Error('fixture has no .debug_line');
    const data = elf.sectionData(section);
    const warnings: string[] = [];
    const sequences = parseDebugLine(data.subarray(0, data.length - 20), {}, warnings);
    expect(sequences.length).toBeGreaterThanOrEqual(1);
    expect(warnings.join()).toMatch(/truncated/);
    expect(parseDebugLine(new Uint8Array([1, 2, 3]), {}, [])).toEqual([]);
    const garbage = new Uint8Array(64).fill(0xff);
    expect(() => parseDebugLine(garbage, {}, [])).not.toThrow();
  });
});

describe('parseDebugLine on a hand-written unit', () => {
  // 64-bit DWARF, version 3, opcode_base 14 (one vendor opcode taking one operand), exercising opcodes gcc
  // rarely emits: fixed_advance_pc, const_add_pc, define_file, negate_stmt, an unknown standard opcode.
  const uleb = (n: number) => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const str = (t: string) => [...Array.from(t, (c) => c.charCodeAt(0)), 0];
  const u64 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24, 0, 0, 0, 0];
  const headerRest = [
    1, // minimum_instruction_length
    1, // default_is_stmt
    0xfb, // line_base -5
    14, // line_range
    14, // opcode_base
    0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, // standard_opcode_lengths[1..13] (13 = vendor, 1 operand)
    ...str('src'), 0, // include_directories
    ...str('a.c'), 1, 0, 0, 0, // file_names: a.c in dir 1
  ];
  const program = [
    0, 5, 2, 0x00, 0x10, 0x20, 0x00, // DW_LNE_set_address 0x00201000
    0x01, // copy: 0x201000 src/a.c:1
    9, 0x10, 0x00, // fixed_advance_pc 16
    3, ...uleb(4), // advance_line +4
    1, // copy: 0x201010 line 5
    8, // const_add_pc: (255-14)/14 = 17
    13, 0x7f, // vendor opcode with one operand, skipped
    6, // negate_stmt
    1, // copy: 0x201021 line 5, not a statement
    0, 8, 3, ...str('b.c'), 0, 0, 0, // DW_LNE_define_file b.c (file 2)
    4, 2, // set_file 2
    14 + 5 + 14 * 2, // special: address +2, line +0 (line_base -5 + 5)
    2, 3, // advance_pc 3
    0, 1, 1, // end_sequence at 0x201026
  ];
  const afterLength = [3, 0, ...u64(headerRest.length), ...headerRest, ...program];
  const unit = new Uint8Array([0xff, 0xff, 0xff, 0xff, ...u64(afterLength.length), ...afterLength]);

  it('decodes every row', () => {
    const warnings: string[] = [];
    const [rows] = parseDebugLine(unit, {}, warnings);
    expect(warnings).toEqual([]);
    expect(rows.map((r) => [r.address.toString(16), r.file, r.line, r.isStmt])).toEqual([
      ['201000', 'src/a.c', 1, true],
      ['201010', 'src/a.c', 5, true],
      ['201021', 'src/a.c', 5, false],
      ['201023', 'b.c', 5, false],
      ['201026', 'b.c', 0, false],
    ]);
  });
});

/** addr2line's answer for each address, the reference the parser is checked against. */
function addr2line(elf: Uint8Array, addresses: number[]): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-a2l-'));
  try {
    writeFileSync(join(dir, 'a.elf'), elf);
    const out = execFileSync('addr2line', ['-e', join(dir, 'a.elf'), ...addresses.map((a) => a.toString(16))], { encoding: 'utf8' });
    return out.trim().split('\n').map((l) => l.replace(/ \(discriminator \d+\)$/, ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// gas writes line tables of at least version 3; -gno-as-loc-support makes gcc write a real version 2 one.
const VARIANTS: [number, string[]][] = [
  [2, ['-gdwarf-2', '-gno-as-loc-support']],
  [3, ['-gdwarf-3']],
  [4, ['-gdwarf-4']],
  [5, ['-gdwarf-5']],
];

describe.each(VARIANTS)('LineTable, DWARF %i line table from gcc', (version, flags) => {
  it.skipIf(!hasI386Toolchain())(toolchainTitle('agrees with addr2line on every instruction boundary it lists'), () => {
    const bytes = compileAndLink({ 'prog.c': SOURCE }, { cflags: [...flags, '-O1', '-fno-inline'] });
    const elf = parseElf32(bytes);
    const section = elf.section('.debug_line');
    const header = section ? elf.sectionData(section) : new Uint8Array(6);
    expect(header[4] | (header[5] << 8)).toBe(version);
    const lines = LineTable.fromElf(elf);
    expect(lines.rows.length).toBeGreaterThan(5);
    const addresses = [...new Set(lines.rows.map((r) => r.address))];
    const ours = addresses.map((a) => {
      const l = lines.lookup(a);
      return l ? `${l.file}:${l.line}` : '??:0';
    });
    const theirs = addr2line(bytes, addresses).map((s) => s.replace(/^.*\//, ''));
    expect(ours.map((s) => s.replace(/^.*\//, ''))).toEqual(theirs);
    const step = SymbolTable.fromElf(elf).address('step') ?? -1;
    expect(lines.addressesOf('prog.c', 6)).toContain(step);
    expect(lines.addressesOf('prog.c', 9).length).toBeGreaterThan(0);
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('reads zlib-compressed debug sections (SHF_COMPRESSED)'), () => {
    const build = (ldflags: string[]) => parseElf32(compileAndLink({ 'prog.c': SOURCE }, { cflags: [...flags, '-O1'], ldflags }));
    const plain = build([]);
    const compressed = build(['--compress-debug-sections=zlib']);
    const section = compressed.section('.debug_line');
    expect((section?.flags ?? 0) & 0x800).toBe(0x800);
    expect(LineTable.fromElf(compressed).rows).toEqual(LineTable.fromElf(plain).rows);
    expect(compressed.warnings).toEqual([]);
    // An unsupported compression type (2 = zstd) leaves the table empty, with a warning.
    const bytes = compressed.bytes.slice();
    new DataView(bytes.buffer).setUint32(section?.offset ?? 0, 2, true);
    const zstd = parseElf32(bytes);
    expect(LineTable.fromElf(zstd).rows).toEqual([]);
    expect(zstd.warnings.join()).toMatch(/compression type 2 is not supported/);
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('names files by their path below the compilation directory'), () => {
    const elf = parseElf32(
      compileAndLink(
        { 'kern/x.c': '#include "h.h"\nint f(int a) {\n  return sq(a) + 1;\n}\nint _start(void) { return f(3); }\n' },
        { cflags: [...flags, '-O0', '-Iinc'], headers: { 'inc/h.h': 'static inline int sq(int x) {\n  return x * x;\n}\n' } },
      ),
    );
    const lines = LineTable.fromElf(elf);
    expect(lines.files()).toEqual(['inc/h.h', 'kern/x.c']);
    expect(lines.lookup(SymbolTable.fromElf(elf).address('sq') ?? -1)?.file).toBe('inc/h.h');
    expect(lines.addressesOf('x.c', 3)).toEqual(lines.addressesOf('kern/x.c', 3));
    expect(lines.addressesOf('kern/x.c', 3).length).toBeGreaterThan(0);
  });
});

describe('parseStabs on hand-written entries', () => {
  const strings = ['', '/home/me/p3/', '/home/me/p3/kern/a.c', 'f:F(0,1)', 'inc/x.h'];
  const stabstr = new TextEncoder().encode(strings.join('\0') + '\0');
  const at = (i: number) => strings.slice(0, i).reduce((n, t) => n + t.length + 1, 0);
  const entry = (strx: number, type: number, desc: number, value: number) => {
    const e = new DataView(new ArrayBuffer(12));
    e.setUint32(0, strx, true);
    e.setUint8(4, type);
    e.setUint16(6, desc, true);
    e.setUint32(8, value, true);
    return new Uint8Array(e.buffer);
  };
  const entries = [
    entry(0, 0x00, 8, stabstr.length), // unit header: the unit's string table size
    entry(at(1), 0x64, 0, 0x1000), // N_SO directory
    entry(at(2), 0x64, 0, 0x1000), // N_SO file
    entry(at(3), 0x24, 0, 0x1000), // N_FUN f
    entry(0, 0x44, 10, 0), // N_SLINE line 10 at f+0
    entry(at(4), 0x84, 0, 0x1004), // N_SOL inc/x.h
    entry(0, 0x44, 3, 4), // N_SLINE line 3 at f+4
    entry(0, 0x24, 0, 8), // N_FUN end: size 8
    entry(0, 0x64, 0, 0x1008), // N_SO end of unit
  ];
  const stab = new Uint8Array(entries.length * 12);
  entries.forEach((e, i) => stab.set(e, i * 12));

  it('reads files, functions and lines', () => {
    const warnings: string[] = [];
    expect(parseStabs(stab, stabstr, warnings).map((seq) => seq.map((r) => [r.address.toString(16), r.file, r.line]))).toEqual([
      [['1000', 'kern/a.c', 10], ['1004', 'inc/x.h', 3], ['1008', 'inc/x.h', 0]],
    ]);
    expect(warnings).toEqual([]);
  });

  it('survives garbage', () => {
    const junk = Uint8Array.from({ length: 600 }, (_, i) => (i * 151 + 7) & 0xff);
    const warnings: string[] = [];
    expect(() => parseStabs(junk.subarray(0, 599), junk, warnings)).not.toThrow();
    expect(warnings.join()).toMatch(/not a multiple of 12/);
  });
});

describe('LineTable from STABS (gcc -gstabs, as --gstabs)', () => {
  it.skipIf(!hasI386Toolchain())(toolchainTitle('agrees with addr2line, for C functions and assembly'), () => {
    const stub = '\t.text\n\t.globl stub\nstub:\n\tnop\n\tnop\n\tret\n\t.section .note.GNU-stack,"",@progbits\n';
    const bytes = compileAndLink({ 'prog.c': SOURCE, 'stub.S': stub }, { cflags: ['-gstabs', '-O1', '-fno-inline'] });
    const elf = parseElf32(bytes);
    expect(elf.section('.debug_line')).toBeUndefined();
    expect(elf.section('.stab')).toBeDefined();
    const warnings: string[] = [];
    const lines = LineTable.fromElf(elf, warnings);
    expect(warnings).toEqual([]);
    expect(lines.files()).toEqual(expect.arrayContaining(['prog.c', 'stub.S']));
    const addresses = [...new Set(lines.rows.map((r) => r.address))];
    expect(addresses.length).toBeGreaterThan(5);
    const ours = addresses.map((a) => {
      const l = lines.lookup(a);
      return l ? `${l.file}:${l.line}` : '??:0';
    });
    expect(ours).toEqual(addr2line(bytes, addresses).map((s) => s.replace(/^.*\//, '')));
    const step = SymbolTable.fromElf(elf).address('step') ?? -1;
    expect(lines.addressesOf('prog.c', 6)).toContain(step);
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('merges DWARF and STABS units of one image'), () => {
    const elf = parseElf32(
      compileAndLink({
        'prog.c': { text: SOURCE, cflags: ['-gdwarf-5', '-O1'] },
        'old.c': { text: 'int old_style(int x) {\n  return x + 41;\n}\n', cflags: ['-gstabs', '-O1'] },
      }),
    );
    const lines = LineTable.fromElf(elf);
    expect(lines.files()).toEqual(['old.c', 'prog.c']);
    const symbols = SymbolTable.fromElf(elf);
    expect(lines.lookup(symbols.address('old_style') ?? -1)?.file).toBe('old.c');
    expect(lines.lookup(symbols.address('step') ?? -1)?.file).toBe('prog.c');
  });
});
