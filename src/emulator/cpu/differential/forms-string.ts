// Differential-test forms for the string instructions MOVS, CMPS, STOS, LODS and SCAS at 8/16/32 bits,
// without a prefix, with REP (F3) and, for CMPS/SCAS, with REPE (F3) and REPNE (F2); DF is random.
// ESI/EDI are placed so every iteration stays in the scratch buffer; for CMPS/SCAS half the cases make
// the compared elements mostly equal so REPE/REPNE stop part-way. Intel SDM vol. 2, "REP/REPE/REPZ/
// REPNE/REPNZ" and the individual instructions.
import type { CaseBuilder, Size } from './case-builder.ts';
import { SIZES, SIZE_LETTER, maybeSegmentPrefix, type Form } from './form.ts';
import { EAX, ECX, EDI, ESI, FLAG, MEM_SIZE, SCRATCH_ADDR } from './layout.ts';

interface StringOp {
  name: string;
  opcode: number;
  usesSource: boolean;
  usesDest: boolean;
  compares: boolean;
}

const OPS: StringOp[] = [
  { name: 'movs', opcode: 0xa4, usesSource: true, usesDest: true, compares: false },
  { name: 'cmps', opcode: 0xa6, usesSource: true, usesDest: true, compares: true },
  { name: 'stos', opcode: 0xaa, usesSource: false, usesDest: true, compares: false },
  { name: 'lods', opcode: 0xac, usesSource: true, usesDest: false, compares: false },
  { name: 'scas', opcode: 0xae, usesSource: false, usesDest: true, compares: true },
];

/** A start address for `count` elements of `n` bytes walking up (DF=0) or down (DF=1) inside the buffer. */
function stringStart(g: CaseBuilder, count: number, n: number, down: boolean): number {
  const extent = Math.max(1, count) * n;
  const first = g.rng.range(0, MEM_SIZE - extent);
  return SCRATCH_ADDR + (down ? first + extent - n : first);
}

function stringForm(op: StringOp, size: Size, prefix: 'none' | 'rep' | 'repne'): Form {
  const n = size / 8;
  const mnemonic = `${op.name}${SIZE_LETTER[size]}`;
  const name = prefix === 'none' ? mnemonic : `${prefix === 'rep' && op.compares ? 'repe' : prefix}.${mnemonic}`;
  return {
    name,
    build(g) {
      const repeated = prefix !== 'none';
      const count = repeated ? (g.rng.chance(0.1) ? 0 : g.rng.range(1, 24)) : 1;
      if (repeated) g.setReg(ECX, 32, count);
      const down = (g.eflags & FLAG.DF) !== 0;
      if (op.usesSource) g.setReg(ESI, 32, stringStart(g, count, n, down));
      if (op.usesDest) g.setReg(EDI, 32, stringStart(g, count, n, down));
      if (op.compares && g.rng.chance(0.5)) makeMostlyEqual(g, op, size, count, down);
      if (prefix === 'rep') g.emit(0xf3);
      if (prefix === 'repne') g.emit(0xf2);
      if (op.usesSource) maybeSegmentPrefix(g);
      g.opsize(size);
      g.emit(op.opcode + (size === 8 ? 0 : 1));
    },
  };
}

/** Makes the destination elements equal to the source (CMPS) or to the accumulator (SCAS), then breaks one. */
function makeMostlyEqual(g: CaseBuilder, op: StringOp, size: Size, count: number, down: boolean): void {
  const n = size / 8;
  const step = down ? -n : n;
  for (let i = 0; i < Math.max(1, count); i++) {
    const dest = g.regs[EDI] + i * step;
    const value = op.name === 'cmps' ? g.memRead(g.regs[ESI] + i * step, size) : g.reg(EAX, size);
    g.memWrite(dest, size, value);
  }
  if (g.rng.chance(0.7)) {
    const k = g.rng.below(Math.max(1, count));
    const at = g.regs[EDI] + k * step;
    g.memWrite(at, size, g.memRead(at, size) ^ (1 << g.rng.below(size)));
  }
}

export function stringForms(): Form[] {
  const forms: Form[] = [];
  for (const op of OPS) {
    for (const size of SIZES) {
      forms.push(stringForm(op, size, 'none'));
      forms.push(stringForm(op, size, 'rep'));
      if (op.compares) forms.push(stringForm(op, size, 'repne'));
    }
  }
  return forms;
}
