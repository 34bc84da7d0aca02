// Differential-test forms for the integer ALU: ADD/OR/ADC/SBB/AND/SUB/XOR/CMP in every encoding
// (00-05 families, 80/81/82/83 groups), TEST, INC/DEC, NEG/NOT, MOV, XCHG, XADD, CMPXCHG, CMPXCHG8B,
// MUL/IMUL (one-, two- and three-operand) and DIV/IDIV with operands that do not raise #DE.
// Opcodes from the Intel SDM vol. 2, appendix A (opcode map).
import { SIZE_MASK, type CaseBuilder, type Size } from './case-builder.ts';
import { ACC_NAME, AH, SIZES, SIZE_LETTER, WIDE_SIZES, maybeLock, maybeSegment, type Form } from './form.ts';
import { EAX, EBX, ECX, EDX, SCRATCH_ADDR, MEM_SIZE } from './layout.ts';
import { UNDEFINED } from './undefined-flags.ts';

const ALU_OPS = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

function aluUndefined(op: number): number {
  return op === 1 || op === 4 || op === 6 ? UNDEFINED.logic : 0;
}

/** A form whose single instruction is `prefixes opcode modrm [imm]` with r/m operand of `size`. */
function rmForm(
  name: string, size: Size, opcode: number[], regField: number | 'random',
  extra: { imm?: Size; lockable?: boolean; undefinedFlags?: number } = {},
): Form {
  return {
    name,
    build(g) {
      const rm = g.pickRm(size);
      if (extra.lockable) maybeLock(g, rm);
      maybeSegment(g, rm);
      g.opsize(size);
      g.emit(...opcode);
      g.modrm(regField === 'random' ? g.pickReg() : regField, rm);
      if (extra.imm) g.imm(extra.imm, g.value(extra.imm));
      g.undefinedFlags |= extra.undefinedFlags ?? 0;
    },
  };
}

function immForm(name: string, size: Size, opcode: number[], immSize: Size, undefinedFlags = 0): Form {
  return {
    name,
    build(g) {
      g.opsize(size);
      g.emit(...opcode);
      g.imm(immSize, g.value(immSize));
      g.undefinedFlags |= undefinedFlags;
    },
  };
}

function aluForms(): Form[] {
  const forms: Form[] = [];
  ALU_OPS.forEach((op, i) => {
    const undef = aluUndefined(i);
    const lockable = op !== 'cmp';
    forms.push(rmForm(`${op}.Eb.Gb`, 8, [i * 8], 'random', { lockable, undefinedFlags: undef }));
    forms.push(rmForm(`${op}.Gb.Eb`, 8, [i * 8 + 2], 'random', { undefinedFlags: undef }));
    forms.push(immForm(`${op}.AL.Ib`, 8, [i * 8 + 4], 8, undef));
    forms.push(rmForm(`${op}.Eb.Ib`, 8, [0x80], i, { imm: 8, lockable, undefinedFlags: undef }));
    forms.push(rmForm(`${op}.Eb.Ib.82`, 8, [0x82], i, { imm: 8, lockable, undefinedFlags: undef }));
    for (const size of WIDE_SIZES) {
      const v = SIZE_LETTER[size];
      forms.push(rmForm(`${op}.E${v}.G${v}`, size, [i * 8 + 1], 'random', { lockable, undefinedFlags: undef }));
      forms.push(rmForm(`${op}.G${v}.E${v}`, size, [i * 8 + 3], 'random', { undefinedFlags: undef }));
      forms.push(immForm(`${op}.${ACC_NAME[size]}.I${v}`, size, [i * 8 + 5], size, undef));
      forms.push(rmForm(`${op}.E${v}.I${v}`, size, [0x81], i, { imm: size, lockable, undefinedFlags: undef }));
      forms.push(rmForm(`${op}.E${v}.Ib`, size, [0x83], i, { imm: 8, lockable, undefinedFlags: undef }));
    }
  });
  return forms;
}

function testForms(): Form[] {
  const undef = UNDEFINED.logic;
  const forms: Form[] = [
    rmForm('test.Eb.Gb', 8, [0x84], 'random', { undefinedFlags: undef }),
    immForm('test.AL.Ib', 8, [0xa8], 8, undef),
    rmForm('test.Eb.Ib', 8, [0xf6], 0, { imm: 8, undefinedFlags: undef }),
  ];
  for (const size of WIDE_SIZES) {
    const v = SIZE_LETTER[size];
    forms.push(rmForm(`test.E${v}.G${v}`, size, [0x85], 'random', { undefinedFlags: undef }));
    forms.push(immForm(`test.${ACC_NAME[size]}.I${v}`, size, [0xa9], size, undef));
    forms.push(rmForm(`test.E${v}.I${v}`, size, [0xf7], 0, { imm: size, undefinedFlags: undef }));
  }
  return forms;
}

function unaryForms(): Form[] {
  const forms: Form[] = [];
  const groups: [string, number][] = [['inc', 0], ['dec', 1]];
  for (const [name, ext] of groups) {
    forms.push(rmForm(`${name}.Eb`, 8, [0xfe], ext, { lockable: true }));
    for (const size of WIDE_SIZES) {
      forms.push(rmForm(`${name}.E${SIZE_LETTER[size]}`, size, [0xff], ext, { lockable: true }));
      forms.push({
        name: `${name}.r${SIZE_LETTER[size]}`,
        build(g) {
          g.opsize(size);
          g.emit(0x40 + ext * 8 + g.pickReg());
        },
      });
    }
  }
  for (const [name, ext] of [['not', 2], ['neg', 3]] as const) {
    for (const size of SIZES) forms.push(rmForm(`${name}.E${SIZE_LETTER[size]}`, size, [size === 8 ? 0xf6 : 0xf7], ext, { lockable: true }));
  }
  return forms;
}

function movForms(): Form[] {
  const forms: Form[] = [
    rmForm('mov.Eb.Gb', 8, [0x88], 'random'),
    rmForm('mov.Gb.Eb', 8, [0x8a], 'random'),
    rmForm('mov.Eb.Ib', 8, [0xc6], 0, { imm: 8 }),
    { name: 'mov.rb.Ib', build(g) { g.emit(0xb0 + g.pickReg()); g.imm(8, g.value(8)); } },
  ];
  for (const size of WIDE_SIZES) {
    const v = SIZE_LETTER[size];
    forms.push(rmForm(`mov.E${v}.G${v}`, size, [0x89], 'random'));
    forms.push(rmForm(`mov.G${v}.E${v}`, size, [0x8b], 'random'));
    forms.push(rmForm(`mov.E${v}.I${v}`, size, [0xc7], 0, { imm: size }));
    forms.push({ name: `mov.r${v}.I${v}`, build(g) { g.opsize(size); g.emit(0xb8 + g.pickReg()); g.imm(size, g.value(size)); } });
  }
  for (const size of SIZES) {
    const wide = size === 8 ? 0 : 1;
    const moffs = (g: CaseBuilder): number => SCRATCH_ADDR + g.rng.range(0, MEM_SIZE - size / 8);
    forms.push({ name: `mov.${ACC_NAME[size]}.O${SIZE_LETTER[size]}`, build(g) { g.opsize(size); g.emit(0xa0 + wide); g.imm(32, moffs(g)); } });
    forms.push({ name: `mov.O${SIZE_LETTER[size]}.${ACC_NAME[size]}`, build(g) { g.opsize(size); g.emit(0xa2 + wide); g.imm(32, moffs(g)); } });
  }
  return forms;
}

function exchangeForms(): Form[] {
  const forms: Form[] = [
    rmForm('xchg.Eb.Gb', 8, [0x86], 'random', { lockable: true }),
    rmForm('xadd.Eb.Gb', 8, [0x0f, 0xc0], 'random', { lockable: true }),
    cmpxchgForm(8),
  ];
  for (const size of WIDE_SIZES) {
    const v = SIZE_LETTER[size];
    forms.push(rmForm(`xchg.E${v}.G${v}`, size, [0x87], 'random', { lockable: true }));
    forms.push({ name: `xchg.r${v}.${ACC_NAME[size]}`, build(g) { g.opsize(size); g.emit(0x90 + g.rng.range(1, 7)); } });
    forms.push(rmForm(`xadd.E${v}.G${v}`, size, [0x0f, 0xc1], 'random', { lockable: true }));
    forms.push(cmpxchgForm(size));
  }
  forms.push({
    name: 'cmpxchg8b.Mq',
    build(g) {
      const m = g.pickMem(8, { avoid: [EAX, EDX, EBX, ECX] });
      if (g.rng.chance(0.5)) {
        g.setReg(EAX, 32, g.memRead(m.addr, 32));
        g.setReg(EDX, 32, g.memRead(m.addr + 4, 32));
      }
      maybeLock(g, m);
      g.emit(0x0f, 0xc7);
      g.modrm(1, m);
    },
  });
  return forms;
}

/** CMPXCHG: half the cases make the accumulator equal to the destination, so both paths run. */
function cmpxchgForm(size: Size): Form {
  const v = SIZE_LETTER[size];
  return {
    name: `cmpxchg.E${v}.G${v}`,
    build(g) {
      const rm = g.pickRm(size, { avoid: [EAX] });
      if (g.rng.chance(0.5)) g.setReg(EAX, size, g.read(rm, size));
      maybeLock(g, rm);
      g.opsize(size);
      g.emit(0x0f, size === 8 ? 0xb0 : 0xb1);
      g.modrm(g.pickReg(), rm);
    },
  };
}

function multiplyForms(): Form[] {
  const forms: Form[] = [];
  const undef = UNDEFINED.multiply;
  for (const size of SIZES) {
    const v = SIZE_LETTER[size];
    const op = size === 8 ? 0xf6 : 0xf7;
    forms.push(rmForm(`mul.E${v}`, size, [op], 4, { undefinedFlags: undef }));
    forms.push(rmForm(`imul.E${v}`, size, [op], 5, { undefinedFlags: undef }));
    forms.push(divideForm('div', size, false));
    forms.push(divideForm('idiv', size, true));
  }
  for (const size of WIDE_SIZES) {
    const v = SIZE_LETTER[size];
    forms.push(rmForm(`imul.G${v}.E${v}`, size, [0x0f, 0xaf], 'random', { undefinedFlags: undef }));
    forms.push(rmForm(`imul.G${v}.E${v}.I${v}`, size, [0x69], 'random', { imm: size, undefinedFlags: undef }));
    forms.push(rmForm(`imul.G${v}.E${v}.Ib`, size, [0x6b], 'random', { imm: 8, undefinedFlags: undef }));
  }
  return forms;
}

/** True when DIV/IDIV of hi:lo by `divisor` at `size` bits does not raise #DE (SDM "DIV"/"IDIV" Operation). */
function divisionFits(signed: boolean, size: Size, hi: number, lo: number, divisor: number): boolean {
  const bits = BigInt(size);
  const mask = BigInt(SIZE_MASK[size]);
  let dividend = (BigInt(hi >>> 0) & mask) << bits | (BigInt(lo >>> 0) & mask);
  let d = BigInt(divisor >>> 0) & mask;
  if (d === 0n) return false;
  if (!signed) return dividend / d <= mask;
  dividend = BigInt.asIntN(size * 2, dividend);
  d = BigInt.asIntN(size, d);
  const q = dividend / d;
  return q >= -(1n << (bits - 1n)) && q < 1n << (bits - 1n);
}

function divideForm(name: 'div' | 'idiv', size: Size, signed: boolean): Form {
  // `div ah` (8-bit) and `div dx`/`div edx` always overflow: the high half of the dividend is the divisor.
  const hiReg = size === 8 ? AH : EDX;
  return {
    name: `${name}.E${SIZE_LETTER[size]}`,
    build(g) {
      const rm = g.pickRm(size, { notReg: [hiReg], avoid: [EAX, EDX] });
      for (let attempt = 0; attempt < 200; attempt++) {
        g.setReg(EAX, size, g.value(size));
        if (!(rm.kind === 'reg' && rm.reg === EAX)) g.write(rm, size, g.value(size) || 1);
        const divisor = g.read(rm, size);
        const lo = g.reg(EAX, size);
        const mask = SIZE_MASK[size];
        const strategy = g.rng.below(3);
        const hi = strategy === 0 ? g.value(size)
          : strategy === 1 ? (signed && lo & (1 << (size - 1)) ? mask : 0)
          : g.rng.below(Math.max(1, signed ? (divisor & mask) >>> 1 : divisor));
        g.setReg(hiReg, size, hi);
        if (divisionFits(signed, size, hi, lo, divisor)) {
          g.opsize(size);
          g.emit(size === 8 ? 0xf6 : 0xf7);
          g.modrm(signed ? 7 : 6, rm);
          g.undefinedFlags |= UNDEFINED.divide;
          return;
        }
      }
      throw new Error(`generator bug: no non-faulting ${name} operands found`);
    },
  };
}

export function aluFamilyForms(): Form[] {
  return [...aluForms(), ...testForms(), ...unaryForms(), ...movForms(), ...exchangeForms(), ...multiplyForms()];
}
