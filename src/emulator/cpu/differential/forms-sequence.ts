// Differential-test forms made of short instruction sequences: a flag producer (ALU op, TEST of registers
// or of a byte register and an immediate, INC/DEC, NEG, shift by 1), optionally an instruction that
// leaves the flags alone (MOV, LEA, NOT, XCHG, NOP), then a flag consumer (SETcc, Jcc, CMOVcc, ADC, SBB,
// RCL/RCR, LAHF, PUSHF, LOOPcc, SALC, CMC). Single
// instructions start from flags set by POPF; these check that flags computed by one instruction (lazily,
// in our CPU) reach the next one intact, including through the decoder's specialised fast paths and the
// fused CMP/TEST + Jcc pairs.
// Undefined flags: the producers here leave at most AF undefined (logic ops and shifts, see
// undefined-flags.ts), which no consumer but LAHF and PUSHF reads; those are handled per form.
import type { CaseBuilder } from './case-builder.ts';
import type { Form } from './form.ts';
import { EAX, ESP, FLAG } from './layout.ts';
import { UNDEFINED, shiftUndefined } from './undefined-flags.ts';

const MARKER = 0x47; // inc edi, skipped by a taken branch

/** Register numbers for producer and preserver operands; never ESP when the consumer uses the stack. */
function registers(g: CaseBuilder, keepEsp: boolean): () => number {
  return () => (keepEsp ? g.rng.pick([0, 1, 2, 3, 5, 6, 7]) : g.rng.below(8));
}

/** Emits a random flag producer; returns the flags it leaves undefined. */
function producer(g: CaseBuilder, definedOnly: boolean, reg: () => number): number {
  const rng = g.rng;
  const rr = (): number => 0xc0 | (reg() << 3) | reg();
  for (;;) {
    const kind = rng.below(6);
    if (kind === 0) {
      const op = rng.below(8);
      const logic = op === 1 || op === 4 || op === 6;
      if (definedOnly && logic) continue;
      if (rng.chance(0.5)) g.emit(op * 8 + (rng.chance(0.3) ? 0 : 1), rr());
      else g.emit(0x83, 0xc0 | (op << 3) | reg(), g.value(8));
      return logic ? UNDEFINED.logic : 0;
    }
    if (kind === 1) {
      if (definedOnly) continue;
      const form = rng.below(3);
      if (form === 0) g.emit(0x85, rr());
      else if (form === 1) g.emit(0xf6, 0xc0 | reg(), g.value(8)); // TEST r/m8, imm8 on a byte register
      else g.emit(0xa8, g.value(8)); // TEST AL, imm8
      return UNDEFINED.logic;
    }
    if (kind === 2) {
      g.emit(rng.pick([0x40, 0x48]) + reg());
      return 0;
    }
    if (kind === 3) {
      g.emit(0xf7, 0xd8 | reg());
      return 0;
    }
    if (kind === 4) {
      if (definedOnly) continue;
      g.emit(0xd1, 0xc0 | (rng.pick([4, 5, 7]) << 3) | reg());
      return shiftUndefined('shl', 32, 1);
    }
    g.emit(0x39, rr()); // cmp
    return 0;
  }
}

/** Now and then an instruction that does not touch the flags, between producer and consumer. */
function preserver(g: CaseBuilder, reg: () => number): void {
  const rng = g.rng;
  switch (rng.below(6)) {
    case 0: g.emit(0x89, 0xc0 | (reg() << 3) | reg()); break;
    case 1: g.emit(0x8d, 0x40 | (reg() << 3) | rng.pick([0, 1, 2, 3, 5, 6, 7]), rng.u32()); break;
    case 2: g.emit(0xf7, 0xd0 | reg()); break;
    case 3: g.emit(0x87, 0xc0 | (reg() << 3) | reg()); break;
    case 4: g.emit(0x90); break;
    default: break;
  }
}

interface Consumer {
  name: string;
  /** Producer restricted to fully defined flags (the consumer stores AF where it cannot be masked). */
  definedOnly?: boolean;
  /** The consumer pushes: ESP must stay where the form put it. */
  usesStack?: boolean;
  /** Status flags the consumer writes (the producer's undefined ones among these are defined afterwards). */
  writes?: number;
  emit(g: CaseBuilder, producerUndefined: number): void;
}

const CONSUMERS: Consumer[] = [
  { name: 'setcc', emit(g) { g.emit(0x0f, 0x90 + g.rng.below(16), 0xc0 | g.rng.below(8)); } },
  { name: 'jcc.Jb', emit(g) { g.emit(0x70 + g.rng.below(16), 1, MARKER); } },
  { name: 'jcc.Jd', emit(g) { g.emit(0x0f, 0x80 + g.rng.below(16)); g.imm(32, 1); g.emit(MARKER); } },
  { name: 'cmovcc', emit(g) { g.emit(0x0f, 0x40 + g.rng.below(16), 0xc0 | g.rng.below(64)); } },
  { name: 'adc', writes: 0xfff, emit(g) { g.emit(0x11, 0xc0 | g.rng.below(64)); } },
  { name: 'sbb', writes: 0xfff, emit(g) { g.emit(0x19, 0xc0 | g.rng.below(64)); } },
  { name: 'rcl', writes: FLAG.CF | FLAG.OF, emit(g) { g.emit(0xd1, 0xd0 | g.rng.below(8)); } },
  { name: 'rcr', writes: FLAG.CF | FLAG.OF, emit(g) { g.emit(0xd1, 0xd8 | g.rng.below(8)); } },
  {
    name: 'lahf',
    emit(g, undef) {
      g.emit(0x9f);
      if (undef & FLAG.AF) g.undefinedRegBits[EAX] |= FLAG.AF << 8; // AH bit 4 = AF
    },
  },
  {
    name: 'pushf',
    definedOnly: true,
    usesStack: true,
    emit(g) {
      g.setReg(ESP, 32, g.bufferAddress(0, 4));
      g.emit(0x9c);
    },
  },
  { name: 'loopcc', emit(g) { g.emit(g.rng.pick([0xe0, 0xe1]), 1, MARKER); } },
  { name: 'salc', emit(g) { g.emit(0xd6); } },
  { name: 'cmc', writes: FLAG.CF, emit(g) { g.emit(0xf5); } },
];

export function sequenceForms(): Form[] {
  return CONSUMERS.map((consumer) => ({
    name: `seq.${consumer.name}`,
    build(g) {
      const reg = registers(g, consumer.usesStack ?? false);
      const undef = producer(g, consumer.definedOnly ?? false, reg);
      if (g.rng.chance(0.5)) preserver(g, reg);
      consumer.emit(g, undef);
      g.undefinedFlags |= undef & ~(consumer.writes ?? 0);
    },
  }));
}
