// Differential-test forms for the small instructions: BCD adjusts (DAA DAS AAA AAS AAM AAD), LEA with
// random 32- and 16-bit (67 prefix) addressing, LAHF/SAHF, CBW/CWDE/CWD/CDQ, CLC/STC/CMC/CLD/STD, NOP
// (90, 66 90, PAUSE and the 0F 1F /0 multi-byte NOP that compilers use for padding), SALC (D6, undocumented
// but on every Intel CPU) and XLAT.
// Opcodes from the Intel SDM vol. 2, appendix A.
import type { CaseBuilder } from './case-builder.ts';
import { WIDE_SIZES, SIZE_LETTER, maybeSegmentPrefix, type Form } from './form.ts';
import { EAX, EBX } from './layout.ts';
import { UNDEFINED } from './undefined-flags.ts';

/**
 * A random ModRM memory encoding (mod 0..2) with its SIB byte and displacement, for instructions that
 * do not access memory (LEA, NOP Ev): every addressing shape with fully random register values.
 * With `address16`, the 16-bit forms of SDM table 2-1.
 */
function randomAddressing(g: CaseBuilder, regField: number, address16: boolean): void {
  const rng = g.rng;
  const mod = rng.below(3);
  const rm = rng.below(8);
  g.emit((mod << 6) | (regField << 3) | rm);
  if (address16) {
    if (mod === 1) g.imm(8, rng.u32());
    else if (mod === 2 || rm === 6 && mod === 0) g.imm(16, g.value(16));
    return;
  }
  const sib = rng.u32() & 0xff;
  if (rm === 4) g.emit(sib);
  if (mod === 1) g.imm(8, rng.u32());
  else if (mod === 2 || (mod === 0 && (rm === 5 || (rm === 4 && (sib & 7) === 5)))) g.imm(32, g.value(32));
}

function bcdForms(): Form[] {
  const simple: [string, number, number][] = [
    ['daa', 0x27, UNDEFINED.decimalAdjust],
    ['das', 0x2f, UNDEFINED.decimalAdjust],
    ['aaa', 0x37, UNDEFINED.asciiAdjust],
    ['aas', 0x3f, UNDEFINED.asciiAdjust],
  ];
  const forms: Form[] = simple.map(([name, opcode, undef]) => ({
    name,
    build(g) {
      g.emit(opcode);
      g.undefinedFlags |= undef;
    },
  }));
  forms.push({
    name: 'aam.Ib',
    build(g) {
      g.emit(0xd4, g.rng.chance(0.5) ? 10 : g.rng.range(1, 255)); // AAM 0 raises #DE (not a user-level case)
      g.undefinedFlags |= UNDEFINED.asciiMultiplyDivide;
    },
  });
  forms.push({
    name: 'aad.Ib',
    build(g) {
      g.emit(0xd5, g.rng.chance(0.5) ? 10 : g.rng.u32());
      g.undefinedFlags |= UNDEFINED.asciiMultiplyDivide;
    },
  });
  return forms;
}

function leaForms(): Form[] {
  const forms: Form[] = [];
  for (const size of WIDE_SIZES) {
    for (const address16 of [false, true]) {
      forms.push({
        name: `lea.G${SIZE_LETTER[size]}.M${address16 ? '.a16' : ''}`,
        build(g) {
          g.opsize(size);
          if (address16) g.emit(0x67);
          g.emit(0x8d);
          randomAddressing(g, g.pickReg(), address16);
        },
      });
    }
  }
  return forms;
}

function oneByteForms(): Form[] {
  const table: [string, number[]][] = [
    ['lahf', [0x9f]], ['sahf', [0x9e]],
    ['cbw', [0x66, 0x98]], ['cwde', [0x98]], ['cwd', [0x66, 0x99]], ['cdq', [0x99]],
    ['clc', [0xf8]], ['stc', [0xf9]], ['cmc', [0xf5]], ['cld', [0xfc]], ['std', [0xfd]],
    ['nop', [0x90]], ['nop.66', [0x66, 0x90]], ['pause', [0xf3, 0x90]], ['salc', [0xd6]],
  ];
  return table.map(([name, bytes]) => ({ name, build(g) { g.emit(...bytes); } }));
}

function multiByteNopForms(): Form[] {
  return WIDE_SIZES.map((size) => ({
    name: `nop.E${SIZE_LETTER[size]}`,
    build(g: CaseBuilder) {
      g.opsize(size);
      g.emit(0x0f, 0x1f);
      if (g.rng.chance(0.2)) g.emit(0xc0 | g.rng.below(8));
      else randomAddressing(g, 0, false);
    },
  }));
}

const xlat: Form = {
  name: 'xlat',
  build(g) {
    g.setReg(EBX, 32, g.bufferAddress(1) - g.reg(EAX, 8));
    maybeSegmentPrefix(g);
    g.emit(0xd7);
  },
};

export function miscForms(): Form[] {
  return [...bcdForms(), ...leaForms(), ...oneByteForms(), ...multiByteNopForms(), xlat];
}
