// Per-instruction masks of the EFLAGS bits the Intel SDM documents as undefined; the differential test
// ignores these bits (hosts differ from the 386 there, and from each other). Each entry quotes the
// "Flags Affected" section of the instruction in the Intel 64 and IA-32 Architectures Software
// Developer's Manual, vol. 2 (instruction set reference). Flags the SDM calls "unaffected" or defines
// are compared exactly.
import { FLAG, STATUS_FLAGS } from './layout.ts';

const { CF, PF, AF, ZF, SF, OF } = FLAG;

export const UNDEFINED = {
  /** AND, OR, XOR, TEST: "The OF and CF flags are cleared; the SF, ZF, and PF flags are set according
   *  to the result. The state of the AF flag is undefined." */
  logic: AF,
  /** MUL: "The OF and CF flags are set to 0 if the upper half of the result is 0; otherwise, they are
   *  set to 1. The SF, ZF, AF, and PF flags are undefined." IMUL: "... The SF, ZF, AF, and PF flags are
   *  undefined." (all forms) */
  multiply: SF | ZF | AF | PF,
  /** DIV, IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined." */
  divide: STATUS_FLAGS,
  /** DAA, DAS: "... The SF, ZF, and PF flags are set according to the result. The OF flag is undefined." */
  decimalAdjust: OF,
  /** AAA, AAS: "The AF and CF flags are set to 1 if the adjustment results in a decimal carry [borrow];
   *  otherwise they are set to 0. The OF, SF, ZF, and PF flags are undefined." */
  asciiAdjust: OF | SF | ZF | PF,
  /** AAM, AAD: "The SF, ZF, and PF flags are set according to the resulting binary value in the AL
   *  register. The OF, AF, and CF flags are undefined." */
  asciiMultiplyDivide: OF | AF | CF,
  /** BT, BTS, BTR, BTC: "The CF flag contains the value of the selected bit. The ZF flag is unaffected.
   *  The OF, SF, AF, and PF flags are undefined." */
  bitTest: OF | SF | AF | PF,
  /** BSF, BSR: "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag is cleared.
   *  The CF, OF, SF, AF, and PF flags are undefined." */
  bitScan: CF | OF | SF | AF | PF,
} as const;

export type ShiftKind = 'rol' | 'ror' | 'rcl' | 'rcr' | 'shl' | 'shr' | 'sar';

/**
 * Undefined flags of a shift or rotate by `count` (the count operand before masking).
 * SAL/SAR/SHL/SHR: "The CF flag contains the value of the last bit shifted out of the destination
 * operand; it is undefined for SHL and SHR instructions where the count is greater than or equal to the
 * size (in bits) of the destination operand. The OF flag is affected only for 1-bit shifts ...;
 * otherwise, it is undefined. ... If the count is 0, the flags are not affected. For a non-zero count,
 * the AF flag is undefined."
 * RCL/RCR/ROL/ROR: "If the masked count is 0, the flags are not affected. If the masked count is 1,
 * then the OF flag is affected, otherwise (masked count is greater than 1) the OF flag is undefined.
 * The CF flag is affected when the masked count is nonzero. The SF, ZF, AF, and PF flags are always
 * unaffected." (The count is masked to 5 bits: "The count is masked to 5 bits".)
 */
export function shiftUndefined(kind: ShiftKind, size: 8 | 16 | 32, count: number): number {
  const masked = count & 0x1f;
  if (masked === 0) return 0;
  let undefinedFlags = masked === 1 ? 0 : OF;
  if (kind === 'shl' || kind === 'shr' || kind === 'sar') {
    undefinedFlags |= AF;
    if ((kind === 'shl' || kind === 'shr') && masked >= size) undefinedFlags |= CF;
  }
  return undefinedFlags;
}

/**
 * SHLD/SHRD: "If the count is 1 or greater, the CF flag is filled with the last bit shifted out of the
 * destination operand and the SF, ZF, and PF flags are set according to the value of the result. For a
 * 1-bit shift, the OF flag is set if a sign change occurred; otherwise, it is cleared. For shifts
 * greater than 1 bit, the OF flag is undefined. If a shift occurs, the AF flag is undefined. If the
 * count operand is 0, the flags are not affected. If the count is greater than the operand size, the
 * flags are undefined." (The generator never makes a count greater than the operand size, because the
 * result is then undefined too: "If the count is greater than the operand size, the result is undefined.")
 */
export function doubleShiftUndefined(count: number): number {
  const masked = count & 0x1f;
  if (masked === 0) return 0;
  return masked === 1 ? AF : AF | OF;
}
