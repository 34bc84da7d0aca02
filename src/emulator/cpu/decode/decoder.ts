// Instruction decoder (Intel SDM vol. 2A ch. 2 "instruction format"): prefixes (66, 67, segment
// overrides, F0, F2/F3; the last of each kind wins), the one- and two-byte maps of opcode-table.ts with
// groups by ModRM.reg, ModRM/SIB with 16- and 32-bit addressing, immediates, and the 15-byte limit.
// Produces an `Insn` whose `exec` is the row's handler, or #UD's for undefined encodings and a misplaced
// LOCK prefix.
import { CS, DS, EBP, ESP, FS, GS, SS, ES } from '../state.ts';
import { Insn } from './insn.ts';
import { ONE_BYTE, TWO_BYTE, UNDEFINED_ROW, type OpRow } from './opcode-table.ts';
import { specialize } from '../exec/fast.ts';
import { undefinedOp } from '../exec/system.ts';

/** Maximum instruction length (longer raises #GP(0)). */
export const MAX_INSN_LENGTH = 15;

// 16-bit addressing: rm -> base, index (SDM table 2-1).
const BASE16 = [3, 3, 5, 5, 6, 7, 5, 3]; // BX BX BP BP SI DI BP BX
const INDEX16 = [6, 7, 6, 7, -1, -1, -1, -1]; // SI DI SI DI - - - -

/**
 * Decodes one instruction. `fetch(k)` returns byte k of the instruction (it may raise a fault for an
 * unreadable byte); `code32` is CS.D. Returns null when the instruction exceeds 15 bytes.
 */
export function decode(fetch: (k: number) => number, code32: boolean): Insn | null {
  let k = 0;
  let o32 = code32;
  let a32 = code32;
  let seg = -1;
  let rep = 0;
  let lock = false;
  let b: number;
  for (;;) {
    if (k >= MAX_INSN_LENGTH) return null;
    b = fetch(k++);
    if (b === 0x66) o32 = !code32;
    else if (b === 0x67) a32 = !code32;
    else if (b === 0x26) seg = ES;
    else if (b === 0x2e) seg = CS;
    else if (b === 0x36) seg = SS;
    else if (b === 0x3e) seg = DS;
    else if (b === 0x64) seg = FS;
    else if (b === 0x65) seg = GS;
    else if (b === 0xf0) lock = true;
    else if (b === 0xf2 || b === 0xf3) rep = b;
    else break;
  }
  let opcode = b;
  let row: OpRow | undefined;
  if (b === 0x0f) {
    if (k >= MAX_INSN_LENGTH) return null;
    const b2 = fetch(k++);
    opcode = 0x100 | b2;
    row = TWO_BYTE[b2];
  } else {
    row = ONE_BYTE[b];
  }
  if (row === undefined) row = UNDEFINED_ROW;

  let modrm = -1;
  if (row.modrm) {
    if (k >= MAX_INSN_LENGTH) return null;
    modrm = fetch(k++);
    if (row.group) row = row.group[(modrm >> 3) & 7] ?? UNDEFINED_ROW;
  }
  const insn = new Insn(row);
  insn.opcode = opcode;
  insn.o32 = o32;
  insn.a32 = a32;
  insn.rep = rep;
  insn.lock = lock;
  insn.segOverride = seg;
  insn.arg = row.arg;
  insn.seg = seg >= 0 ? seg : DS;

  if (modrm >= 0) {
    const mod = modrm >> 6;
    insn.hasModrm = true;
    insn.mod = mod;
    insn.reg = (modrm >> 3) & 7;
    insn.rm = modrm & 7;
    // MOV to/from CRn/DRn ignores mod: the operand is always a register.
    const forceReg = opcode >= 0x120 && opcode <= 0x123;
    if (mod !== 3 && !forceReg) {
      insn.isMem = true;
      const rm = modrm & 7;
      let defaultSeg = DS;
      if (a32) {
        let base = rm;
        if (rm === 4) {
          if (k >= MAX_INSN_LENGTH) return null;
          const sib = fetch(k++);
          insn.hasSib = true;
          insn.scale = sib >> 6;
          const index = (sib >> 3) & 7;
          insn.index = index === ESP ? -1 : index;
          base = sib & 7;
          if (base === EBP && mod === 0) {
            base = -1;
          }
        } else if (rm === 5 && mod === 0) {
          base = -1;
        }
        insn.base = base;
        if (base === ESP || base === EBP) defaultSeg = SS;
        if (mod === 1) {
          if (k >= MAX_INSN_LENGTH) return null;
          insn.disp = (fetch(k++) << 24) >> 24;
          insn.hasDisp = true;
        } else if (mod === 2 || base === -1) {
          if (k + 4 > MAX_INSN_LENGTH) return null;
          insn.disp = fetch(k) | (fetch(k + 1) << 8) | (fetch(k + 2) << 16) | (fetch(k + 3) << 24);
          insn.hasDisp = true;
          k += 4;
        }
      } else {
        if (mod === 0 && rm === 6) {
          insn.base = -1;
          if (k + 2 > MAX_INSN_LENGTH) return null;
          insn.disp = fetch(k) | (fetch(k + 1) << 8);
          insn.hasDisp = true;
          k += 2;
        } else {
          insn.base = BASE16[rm];
          insn.index = INDEX16[rm];
          if (insn.base === EBP) defaultSeg = SS;
          if (mod === 1) {
            if (k >= MAX_INSN_LENGTH) return null;
            insn.disp = (fetch(k++) << 24) >> 24;
          insn.hasDisp = true;
          } else if (mod === 2) {
            if (k + 2 > MAX_INSN_LENGTH) return null;
            insn.disp = fetch(k) | (fetch(k + 1) << 8);
            k += 2;
          }
        }
      }
      insn.seg = seg >= 0 ? seg : defaultSeg;
    }
  }

  // Register-in-opcode rows (50+r, B8+r, ...) address their register as r/m for the shared handlers.
  if (row.operands.startsWith('Z')) insn.rm = row.arg;

  let immCount = 0;
  for (const kind of row.imms) {
    if (kind === 'Ap') {
      const offSize = o32 ? 4 : 2;
      if (k + offSize + 2 > MAX_INSN_LENGTH) return null;
      insn.imm = readLe(fetch, k, offSize);
      insn.imm2 = readLe(fetch, k + offSize, 2);
      k += offSize + 2;
      continue;
    }
    const size = kind === 'b' || kind === 'bs' || kind === 'Jb' ? 1 : kind === 'w' ? 2 : kind === 'O' ? (a32 ? 4 : 2) : o32 ? 4 : 2;
    if (k + size > MAX_INSN_LENGTH) return null;
    const raw = readLe(fetch, k, size);
    k += size;
    if (kind === 'O') {
      insn.isMem = true;
      insn.hasDisp = true;
      insn.disp = raw;
      continue;
    }
    let v: number;
    if (kind === 'bs' || kind === 'Jb') v = (raw << 24) >> 24;
    else if (kind === 'Jz' && !o32) v = (raw << 16) >> 16;
    else v = raw;
    if (immCount++ === 0) insn.imm = v;
    else insn.imm2 = v;
  }
  insn.len = k;
  insn.span = k;
  if (lock && (!row.lockable || !insn.isMem)) insn.exec = undefinedOp;
  insn.exec = specialize(insn);
  return insn;
}

/** Little-endian value of `size` (1, 2 or 4) bytes at k; 4-byte values are int32. */
function readLe(fetch: (k: number) => number, k: number, size: number): number {
  if (size === 1) return fetch(k);
  if (size === 2) return fetch(k) | (fetch(k + 1) << 8);
  return fetch(k) | (fetch(k + 1) << 8) | (fetch(k + 2) << 16) | (fetch(k + 3) << 24);
}
