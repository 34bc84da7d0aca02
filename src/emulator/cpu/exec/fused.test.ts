// Fused records (fused.ts): CMP/TEST + Jcc pairs, alone or after a load or an ALU-immediate, behave
// exactly as their instructions do one at a time (branch outcome from the SDM's condition definitions,
// flags, instruction count), and the run loop's stops between them (run bound, exec watch) and writes to
// the Jcc's bytes still act.
import { describe, expect, it } from 'vitest';
import { assemble, HAVE_BINUTILS, makeGuest, SKIP_REASON, type Guest } from '../testing/guest.ts';

const d = describe.skipIf(!HAVE_BINUTILS);
if (!HAVE_BINUTILS) console.warn(SKIP_REASON);

const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const PAIRS: [number, number][] = [[0, 0], [1, 2], [2, 1], [0x7fffffff, -1], [0x80000000, 1], [-1, -1], [0x80, 0x80], [0x55, 0xaa], [0x1ff, 0x81]];

/** Flags (CF, ZF, SF, OF, PF) a lead leaves for operands a, b (int32). */
interface Flags { cf: boolean; zf: boolean; sf: boolean; of: boolean; pf: boolean }
function parity(r: number): boolean {
  let bits = 0;
  for (let v = r & 0xff; v; v >>= 1) bits += v & 1;
  return bits % 2 === 0;
}
function subFlags(a: number, b: number): Flags {
  const r = (a - b) | 0;
  return { cf: a >>> 0 < b >>> 0, zf: r === 0, sf: r < 0, of: (a < 0) !== (b < 0) && (r < 0) !== (a < 0), pf: parity(r) };
}
function logicFlags(r: number, bits: number): Flags {
  return { cf: false, zf: r === 0, sf: ((r >>> (bits - 1)) & 1) === 1, of: false, pf: parity(r) };
}
/** Jcc condition `cc` by the SDM's definitions. */
function taken(cc: number, f: Flags): boolean {
  const t = [f.of, f.cf, f.zf, f.cf || f.zf, f.sf, f.pf, f.sf !== f.of, f.zf || f.sf !== f.of][cc >> 1];
  return t !== ((cc & 1) === 1);
}

/** Lead instructions with %eax = a, %ecx = b and the flags they leave. */
const LEADS: { asm: (b: number) => string; flags: (a: number, b: number) => Flags }[] = [
  { asm: () => 'cmp %ecx, %eax', flags: subFlags },
  { asm: (b) => `cmp $${b}, %eax`, flags: subFlags },
  { asm: (b) => `cmp $${(b << 24) >> 24}, %eax`, flags: (a, b) => subFlags(a, (b << 24) >> 24) },
  { asm: () => 'test %ecx, %eax', flags: (a, b) => logicFlags(a & b, 32) },
  { asm: (b) => `test $${b & 0xff}, %al`, flags: (a, b) => logicFlags(a & b & 0xff, 8) },
  { asm: (b) => `test $${b & 0xff}, %ah`, flags: (a, b) => logicFlags((a >>> 8) & b & 0xff, 8) },
  { asm: (b) => `test $${b & 0xff}, %cl`, flags: (_a, b) => logicFlags(b & b & 0xff, 8) },
];

/** How %eax gets the value a before the pair: by itself (a pair), loaded or incremented (a triple). */
const SETUPS: ((a: number) => string)[] = [
  (a) => `mov $${a}, %eax`,
  (a) => `movl $${a}, (%edi); mov (%edi), %eax`,
  (a) => `mov $${(a - 1) | 0}, %eax; add $1, %eax`,
];

/** One case per setup, lead, pair and condition: 1 at 0x100000 + 8k when the Jcc fell through, then EFLAGS. */
function program(): { source: string; expected: boolean[] } {
  const lines: string[] = ['mov $0x100000, %esi; mov $0x200000, %edi'];
  const expected: boolean[] = [];
  for (const setup of SETUPS) {
    for (const lead of LEADS) {
      for (const [a, b] of PAIRS) {
        for (let cc = 0; cc < 16; cc++) {
          lines.push(`mov $${b | 0}, %ecx; ${setup(a | 0)}; ${lead.asm(b | 0)}; j${CC[cc]} 1f; movl $1, (%esi); 1: pushf; popl 4(%esi); add $8, %esi`);
          expected.push(taken(cc, lead.flags(a | 0, b | 0)));
        }
      }
    }
  }
  return { source: lines.join('\n') + '\nhlt', expected };
}

function results(g: Guest, n: number): { fellThrough: boolean[]; flags: number[] } {
  const fellThrough: boolean[] = [];
  const flags: number[] = [];
  for (let k = 0; k < n; k++) {
    fellThrough.push(g.mem.read32(0x100000 + 8 * k) === 1);
    flags.push(g.mem.read32(0x100000 + 8 * k + 4) & 0x8d5);
  }
  return { fellThrough, flags };
}

d('fused records', () => {
  it('branch, set the flags and count instructions exactly as their instructions one at a time', () => {
    const { source, expected } = program();
    const code = assemble(source);
    const fused = makeGuest(code);
    expect(fused.cpu.run(1e6)).toBe('halt-forever');
    const stepped = makeGuest(code); // a bound of one instruction never lets a pair run both
    while (stepped.cpu.run(stepped.cpu.instructions + 1) === 'limit');
    const f = results(fused, expected.length);
    expect(f.fellThrough).toEqual(expected.map((t) => !t));
    expect(f).toEqual(results(stepped, expected.length));
    expect(fused.cpu.instructions).toBe(stepped.cpu.instructions);
    expect(fused.cpu.eip).toBe(stepped.cpu.eip);
  });

  it('stops between its instructions at a run bound and at an exec watch', () => {
    // mov (a pair's setup, not fused) at 0x1000, add at 0x1005, cmp at 0x1008, je at 0x100b, hlt at 0x1012
    const code = assemble('mov $1, %eax; add $0, %eax; cmp $1, %eax; je 1f; mov $2, %eax; 1: hlt');
    for (const [bound, eip] of [[2, 0x1008], [3, 0x100b], [4, 0x1012]]) {
      const g = makeGuest(code);
      expect(g.cpu.run(bound)).toBe('limit');
      expect([g.cpu.eip, g.cpu.instructions]).toEqual([eip, bound]);
      g.cpu.run(10);
      expect([g.cpu.eax, g.cpu.eip, g.cpu.instructions]).toEqual([1, 0x1013, 5]);
    }
    for (const [watch, count] of [[0x1008, 2], [0x100b, 3]]) {
      const g = makeGuest(code);
      g.cpu.execWatch.add(watch);
      expect(g.cpu.run(100)).toBe('watch');
      expect([g.cpu.eip, g.cpu.instructions]).toEqual([watch, count]);
    }
  });

  it('drops the record when its Jcc is rewritten', () => {
    // The second pass finds `je` patched to `jne` (0x74 -> 0x75): the fall-through sets %edx.
    const g = makeGuest(assemble(`
      xor %ecx, %ecx
      xor %edx, %edx
    again:
      add $0, %ecx
      cmp %ecx, %ecx
    branch:
      je 1f
      mov $7, %edx
    1:
      movb $0x75, branch
      inc %ecx
      cmp $2, %ecx
      jb again
      hlt`));
    g.cpu.run(1000);
    expect([g.cpu.ecx, g.cpu.edx]).toEqual([2, 7]);
  });
});
