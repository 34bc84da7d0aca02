// Differential-test forms for shifts and rotates (C0/C1/D0-D3 groups: ROL ROR RCL RCR SHL SHR SAR, counts
// 0..31 and beyond by immediate and CL), SHLD/SHRD, BT/BTS/BTR/BTC (register and memory, including bit
// offsets outside the addressed operand), BSF/BSR, SETcc, CMOVcc, MOVSX/MOVZX and BSWAP.
// Opcodes from the Intel SDM vol. 2, appendix A; undefined flags from undefined-flags.ts.
import type { CaseBuilder, Size } from './case-builder.ts';
import { SIZES, SIZE_LETTER, WIDE_SIZES, maybeLock, maybeSegment, type Form } from './form.ts';
import { ECX } from './layout.ts';
import { UNDEFINED, doubleShiftUndefined, shiftUndefined, type ShiftKind } from './undefined-flags.ts';

const SHIFTS: [ShiftKind, number][] = [['rol', 0], ['ror', 1], ['rcl', 2], ['rcr', 3], ['shl', 4], ['shr', 5], ['sar', 7]];

/** Condition-code mnemonics in encoding order (the low nibble of Jcc/SETcc/CMOVcc). */
export const CONDITIONS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;

/** A shift count: mostly 0..31 with the size boundaries favoured, sometimes a byte with high bits set. */
function shiftCount(g: CaseBuilder, size: Size, max = 31): number {
  const rng = g.rng;
  if (rng.chance(0.3)) return rng.pick([0, 1, 2, size - 1, size, size + 1, max].filter((c) => c <= max)) | (max === 31 && rng.chance(0.3) ? rng.pick([0x20, 0x40, 0xe0]) : 0);
  if (rng.chance(0.15) && max === 31) return rng.u32() & 0xff;
  return rng.range(0, max);
}

function shiftForms(): Form[] {
  const forms: Form[] = [];
  for (const [kind, ext] of SHIFTS) {
    for (const size of SIZES) {
      const v = SIZE_LETTER[size];
      const wide = size === 8 ? 0 : 1;
      forms.push({
        name: `${kind}.E${v}.1`,
        build(g) {
          const rm = g.pickRm(size);
          maybeSegment(g, rm);
          g.opsize(size);
          g.emit(0xd0 + wide);
          g.modrm(ext, rm);
          g.undefinedFlags |= shiftUndefined(kind, size, 1);
        },
      });
      forms.push({
        name: `${kind}.E${v}.Ib`,
        build(g) {
          const rm = g.pickRm(size);
          const count = shiftCount(g, size);
          g.opsize(size);
          g.emit(0xc0 + wide);
          g.modrm(ext, rm);
          g.imm(8, count);
          g.undefinedFlags |= shiftUndefined(kind, size, count);
        },
      });
      forms.push({
        name: `${kind}.E${v}.CL`,
        build(g) {
          g.setReg(ECX, 8, shiftCount(g, size));
          const rm = g.pickRm(size, { avoid: [ECX] });
          g.opsize(size);
          g.emit(0xd2 + wide);
          g.modrm(ext, rm);
          g.undefinedFlags |= shiftUndefined(kind, size, g.reg(ECX, 8));
        },
      });
    }
  }
  return forms;
}

function doubleShiftForms(): Form[] {
  const forms: Form[] = [];
  for (const [name, base] of [['shld', 0xa4], ['shrd', 0xac]] as const) {
    for (const size of WIDE_SIZES) {
      const v = SIZE_LETTER[size];
      // 16-bit counts above 16 give an undefined result (see doubleShiftUndefined), so stay at or below.
      const max = size === 16 ? 16 : 31;
      forms.push({
        name: `${name}.E${v}.G${v}.Ib`,
        build(g) {
          const rm = g.pickRm(size);
          const count = shiftCount(g, size, max);
          g.opsize(size);
          g.emit(0x0f, base);
          g.modrm(g.pickReg(), rm);
          g.imm(8, count);
          g.undefinedFlags |= doubleShiftUndefined(count);
        },
      });
      forms.push({
        name: `${name}.E${v}.G${v}.CL`,
        build(g) {
          g.setReg(ECX, 8, shiftCount(g, size, max));
          const rm = g.pickRm(size, { avoid: [ECX] });
          g.opsize(size);
          g.emit(0x0f, base + 1);
          g.modrm(g.pickReg(), rm);
          g.undefinedFlags |= doubleShiftUndefined(g.reg(ECX, 8));
        },
      });
    }
  }
  return forms;
}

const BIT_TESTS: [string, number][] = [['bt', 4], ['bts', 5], ['btr', 6], ['btc', 7]];

/**
 * BT family. With a register bit offset and a memory operand the offset is signed and may address
 * beyond the operand: the SDM ("BT", Operation/Description) accesses the word or dword at
 * EA + (size/8) * floor(offset / size); the offset is chosen first and the operand placed so that word
 * stays in the buffer.
 */
function bitTestForms(): Form[] {
  const forms: Form[] = [];
  for (const [name, ext] of BIT_TESTS) {
    const lockable = name !== 'bt';
    for (const size of WIDE_SIZES) {
      const v = SIZE_LETTER[size];
      forms.push({
        name: `${name}.E${v}.G${v}`,
        build(g) {
          const offsetReg = g.pickReg();
          const useMem = g.rng.chance(0.5);
          if (useMem) {
            const offset = g.rng.chance(0.5) ? g.rng.range(0, size - 1) : g.rng.range(-1024, 1023);
            g.setReg(offsetReg, size, offset);
            const delta = (size / 8) * Math.floor(offset / size);
            const rm = g.pickMem(Math.max(size / 8, delta + size / 8), { below: Math.max(0, -delta), avoid: [offsetReg] });
            if (lockable) maybeLock(g, rm);
            g.opsize(size);
            g.emit(0x0f, 0x83 + ext * 8);
            g.modrm(offsetReg, rm);
          } else {
            g.opsize(size);
            g.emit(0x0f, 0x83 + ext * 8);
            g.modrm(offsetReg, { kind: 'reg', reg: g.pickReg() });
          }
          g.undefinedFlags |= UNDEFINED.bitTest;
        },
      });
      forms.push({
        name: `${name}.E${v}.Ib`,
        build(g) {
          const rm = g.pickRm(size);
          if (lockable) maybeLock(g, rm);
          g.opsize(size);
          g.emit(0x0f, 0xba);
          g.modrm(ext, rm);
          g.imm(8, g.rng.chance(0.7) ? g.rng.below(size) : g.rng.u32());
          g.undefinedFlags |= UNDEFINED.bitTest;
        },
      });
    }
  }
  return forms;
}

function bitScanForms(): Form[] {
  const forms: Form[] = [];
  for (const [name, opcode] of [['bsf', 0xbc], ['bsr', 0xbd]] as const) {
    for (const size of WIDE_SIZES) {
      const v = SIZE_LETTER[size];
      forms.push({
        name: `${name}.G${v}.E${v}`,
        build(g) {
          const rm = g.pickRm(size);
          if (g.rng.chance(0.1)) g.write(rm, size, 0);
          const dest = g.pickReg();
          g.opsize(size);
          g.emit(0x0f, opcode);
          g.modrm(dest, rm);
          g.undefinedFlags |= UNDEFINED.bitScan;
          // "If the content of the source operand is 0, the content of the destination operand is undefined."
          if (g.read(rm, size) === 0) g.undefinedRegBits[dest] = 0xffffffff;
        },
      });
    }
  }
  return forms;
}

function conditionalForms(): Form[] {
  const forms: Form[] = [];
  CONDITIONS.forEach((cc, i) => {
    forms.push({
      name: `set${cc}.Eb`,
      build(g) {
        const rm = g.pickRm(8);
        g.emit(0x0f, 0x90 + i);
        g.modrm(0, rm);
      },
    });
    for (const size of WIDE_SIZES) {
      const v = SIZE_LETTER[size];
      forms.push({
        name: `cmov${cc}.G${v}.E${v}`,
        build(g) {
          const rm = g.pickRm(size);
          g.opsize(size);
          g.emit(0x0f, 0x40 + i);
          g.modrm(g.pickReg(), rm);
        },
      });
    }
  });
  return forms;
}

function extendForms(): Form[] {
  const forms: Form[] = [];
  for (const [name, base] of [['movzx', 0xb6], ['movsx', 0xbe]] as const) {
    for (const destSize of WIDE_SIZES) {
      for (const srcSize of [8, 16] as const) {
        forms.push({
          name: `${name}.G${SIZE_LETTER[destSize]}.E${SIZE_LETTER[srcSize]}`,
          build(g) {
            const rm = g.pickRm(srcSize);
            maybeSegment(g, rm);
            g.opsize(destSize);
            g.emit(0x0f, base + (srcSize === 16 ? 1 : 0));
            g.modrm(g.pickReg(), rm);
          },
        });
      }
    }
  }
  forms.push({ name: 'bswap.rd', build(g) { g.emit(0x0f, 0xc8 + g.pickReg()); } });
  return forms;
}

export function bitFamilyForms(): Form[] {
  return [...shiftForms(), ...doubleShiftForms(), ...bitTestForms(), ...bitScanForms(), ...conditionalForms(), ...extendForms()];
}
