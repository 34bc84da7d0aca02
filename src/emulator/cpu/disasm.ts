// Disassembler over the decoder's `Insn` and the opcode table's operand specs: AT&T syntax as GNU
// objdump prints it (operands reversed, %registers, $immediates, size suffixes only where no register
// operand gives the size), or Intel syntax (`mov eax, DWORD PTR [ebx+0x4]`).
import type { Insn } from './decode/insn.ts';
import { SEG_NAMES } from './state.ts';

export type Syntax = 'att' | 'intel';

const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const REG8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const FIXED: Record<string, number> = { AL: 0, CL: 1, DX: 2 };
const SEGMENT_OPERANDS = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];

function hex(v: number): string {
  return '0x' + (v >>> 0).toString(16);
}

/** Operand size in bytes for a spec letter ('b', 'w', 'd', 'v', 'z', ...). */
function specSize(spec: string, i: Insn): number {
  const s = spec.slice(1);
  if (s === 'b' || s === 'bs') return s === 'b' ? 1 : i.o32 ? 4 : 2;
  if (s === 'w') return 2;
  if (s === 'd') return 4;
  return i.o32 ? 4 : 2;
}

function regName(r: number, size: number): string {
  return size === 1 ? REG8[r] : size === 2 ? REG16[r] : REG32[r];
}

const SUFFIX: Record<number, string> = { 1: 'b', 2: 'w', 4: 'l' };
/** Sizes of the memory-only operand kinds (far pointer, bound pair, quadword, byte for INVLPG). */
const MEMORY_SIZES: Record<string, (o32: boolean) => number> = {
  Mp: (o32) => (o32 ? 6 : 4),
  Ma: (o32) => (o32 ? 8 : 4),
  Mq: () => 8,
  Mb: () => 1,
};
const PTR: Record<number, string> = { 1: 'BYTE PTR ', 2: 'WORD PTR ', 4: 'DWORD PTR ', 6: 'FWORD PTR ', 8: 'QWORD PTR ' };

/** Text of one decoded instruction at linear `address`. */
export function disassembleInsn(i: Insn, address: number, syntax: Syntax = 'att'): string {
  const att = syntax === 'att';
  const row = i.row;
  const specs = row.operands ? row.operands.split(',') : [];
  const next = (address + i.len) >>> 0;
  let mnemonic = row.mnemonic;
  let sizeFromReg = false;
  let memSize = 0;
  const parts: string[] = [];
  const addrRegs = i.a32 ? REG32 : REG16;

  const memText = (size: number): string => {
    if (att) {
      const segPrefix = i.segOverride >= 0 ? `%${SEG_NAMES[i.segOverride]}:` : '';
      const disp = i.disp < 0 && (i.base >= 0 || i.index >= 0 || i.hasSib) ? '-' + hex(-i.disp) : hex(i.a32 ? i.disp : i.disp & 0xffff);
      if (!i.hasSib && i.base < 0 && i.index < 0) return segPrefix + disp;
      const base = i.base >= 0 ? `%${addrRegs[i.base]}` : '';
      let index = '';
      if (i.index >= 0) index = `,%${addrRegs[i.index]}${i.a32 ? `,${1 << i.scale}` : ''}`;
      else if (i.hasSib && i.base !== 4) index = `,%eiz,${1 << i.scale}`;
      return `${segPrefix}${i.hasDisp ? disp : ''}(${base}${index})`;
    }
    const seg = i.segOverride >= 0 ? `${SEG_NAMES[i.segOverride]}:` : 'ds:';
    const prefix = size ? PTR[size] ?? '' : '';
    if (!i.hasSib && i.base < 0 && i.index < 0) return `${seg}${hex(i.a32 ? i.disp : i.disp & 0xffff)}`;
    let inner = '';
    if (i.base >= 0) inner = addrRegs[i.base];
    if (i.index >= 0) inner += (inner ? '+' : '') + addrRegs[i.index] + (i.a32 ? `*${1 << i.scale}` : '');
    else if (i.hasSib && i.base !== 4) inner += (inner ? '+' : '') + `eiz*${1 << i.scale}`;
    if (i.hasDisp || !inner) inner += (inner ? (i.disp < 0 ? '-' : '+') : '') + hex(inner && i.disp < 0 ? -i.disp : i.disp);
    return `${prefix}${i.segOverride >= 0 ? seg : ''}[${inner}]`;
  };
  const reg = (name: string): string => (att ? '%' + name : name);
  const imm = (v: number): string => (att ? '$' + hex(v) : hex(v));

  for (const spec of specs) {
    const c = spec[0];
    if (spec === '1') {
      if (!att) parts.push('1'); // objdump omits the implicit count of 1 in AT&T syntax only
      continue;
    }
    if (spec === 'eAX') {
      parts.push(reg(i.o32 ? 'eax' : 'ax'));
      sizeFromReg = true;
    } else if (spec in FIXED) {
      const port = spec === 'DX' && /^(in|out|ins|outs)$/.test(row.mnemonic);
      parts.push(port ? (att ? '(%dx)' : 'dx') : reg(spec.toLowerCase()));
      if (spec !== 'DX') sizeFromReg = true;
    } else if (SEGMENT_OPERANDS.includes(spec)) {
      parts.push(reg(spec.toLowerCase()));
    } else if (c === 'E' || c === 'M' || c === 'R') {
      const size = c === 'M' ? 0 : specSize(spec, i);
      if (i.isMem) {
        // A segment register moves 16 bits to or from memory whatever the operand size.
        memSize = MEMORY_SIZES[spec]?.(i.o32) ?? (row.operands.includes('Sw') ? 2 : size);
        parts.push(memText(memSize));
      } else {
        parts.push(reg(regName(i.rm, c === 'R' ? 4 : size || (i.o32 ? 4 : 2))));
        sizeFromReg = true;
      }
    } else if (c === 'G') {
      parts.push(reg(regName(i.reg, specSize(spec, i))));
      sizeFromReg = true;
    } else if (c === 'Z') {
      parts.push(reg(regName(row.arg, spec === 'Zd' ? 4 : specSize(spec, i))));
      sizeFromReg = true;
    } else if (spec === 'Sw') {
      parts.push(reg(SEG_NAMES[i.reg] ?? '?'));
      sizeFromReg = true;
    } else if (spec === 'Cd') {
      parts.push(reg('cr' + i.reg));
    } else if (spec === 'Dd') {
      parts.push(reg((att ? 'db' : 'dr') + i.reg));
    } else if (spec === 'Ib') {
      parts.push(imm(parts.length > 0 && row.mnemonic === 'enter' ? i.imm2 : i.imm & 0xff));
    } else if (spec === 'Iw') {
      parts.push(imm(i.imm & 0xffff));
    } else if (spec === 'Ibs' || spec === 'Iz' || spec === 'Iv') {
      parts.push(imm(i.o32 ? i.imm : i.imm & 0xffff));
    } else if (c === 'J') {
      const target = i.o32 ? (next + i.imm) >>> 0 : (next + i.imm) & 0xffff;
      parts.push(hex(target));
    } else if (spec === 'Ap') {
      parts.push(att ? `$${hex(i.imm2)},$${hex(i.imm)}` : `${hex(i.imm2)}:${hex(i.imm)}`);
    } else if (c === 'O') {
      memSize = spec === 'Ob' ? 1 : i.o32 ? 4 : 2;
      parts.push(memText(att ? 0 : memSize));
    } else if (c === 'X' || c === 'Y') {
      const size = specSize(spec, i);
      const r = addrRegs[c === 'X' ? 6 : 7];
      const seg = c === 'X' ? (i.segOverride >= 0 ? SEG_NAMES[i.segOverride] : 'ds') : 'es';
      parts.push(att ? `%${seg}:(%${r})` : `${PTR[size]}${seg}:[${r}]`);
      memSize = size;
    } else {
      parts.push(spec);
    }
  }

  // Mnemonic adjustments (objdump conventions).
  const o = i.o32;
  switch (mnemonic) {
    case 'cbw': mnemonic = att ? (o ? 'cwtl' : 'cbtw') : o ? 'cwde' : 'cbw'; break;
    case 'cwd': mnemonic = att ? (o ? 'cltd' : 'cwtd') : o ? 'cdq' : 'cwd'; break;
    case 'callf': mnemonic = att ? 'lcall' : 'call'; break;
    case 'jmpf': mnemonic = att ? 'ljmp' : 'jmp'; break;
    case 'retf': mnemonic = att ? 'lret' : 'retf'; break;
    case 'jecxz': mnemonic = i.a32 ? 'jecxz' : 'jcxz'; break;
    case 'pusha': case 'popa': case 'pushf': case 'popf': case 'iret':
      if (!o) mnemonic += 'w';
      break;
    case 'movzx': case 'movsx':
      if (att) mnemonic = (mnemonic === 'movzx' ? 'movz' : 'movs') + (row.operands.endsWith('b') ? 'b' : 'w') + (o ? 'l' : 'w');
      break;
    case 'movs': case 'cmps': case 'stos': case 'lods': case 'scas': case 'ins': case 'outs':
      if (att && (mnemonic === 'movs' || mnemonic === 'cmps' || mnemonic === 'ins' || mnemonic === 'outs')) mnemonic += SUFFIX[memSize];
      break;
    case 'lgdt': case 'lidt': case 'sgdt': case 'sidt':
      mnemonic += att ? (o ? 'l' : 'w') : o ? 'd' : 'w';
      break;
    case 'nop':
      if (i.rep === 0xf3 && !i.hasModrm) return 'pause';
      break;
    case 'xlat':
      parts.push(att ? `%${i.segOverride >= 0 ? SEG_NAMES[i.segOverride] : 'ds'}:(%${i.a32 ? 'ebx' : 'bx'})` : `BYTE PTR ds:[${i.a32 ? 'ebx' : 'bx'}]`);
      break;
    default:
      break;
  }
  const noSuffix = ['lea', 'invlpg', 'lds', 'les', 'lfs', 'lgs', 'lss', 'bound', 'cmpxchg8b', 'push', 'pop', 'sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', 'lmsw', 'smsw', 'call', 'jmp', 'lcall', 'ljmp', 'arpl', 'lar', 'lsl'];
  if (att && i.isMem && !sizeFromReg && memSize && !noSuffix.includes(mnemonic) && row.operands !== '' && !/^(movs|cmps|stos|lods|scas|ins|outs)/.test(row.mnemonic)) {
    mnemonic += SUFFIX[memSize] ?? '';
  }
  if (att && (row.mnemonic === 'call' || row.mnemonic === 'jmp' || row.mnemonic === 'callf' || row.mnemonic === 'jmpf') && specs[0] !== 'Jz' && specs[0] !== 'Jb' && specs[0] !== 'Ap') {
    parts[0] = '*' + parts[0];
  }
  if (row.mnemonic === '(fpu)') return '(bad)';
  let prefix = '';
  if (i.lock) prefix += 'lock ';
  if (i.rep === 0xf3) prefix += /^(cmps|scas)/.test(row.mnemonic) ? 'repz ' : 'rep ';
  else if (i.rep === 0xf2) prefix += 'repnz ';
  // objdump keeps ENTER's and BOUND's operands in Intel order.
  const ordered = att && row.mnemonic !== 'enter' && row.mnemonic !== 'bound' ? parts.reverse() : parts;
  const operandText = ordered.join(',');
  if (!operandText) return prefix + mnemonic;
  // objdump pads the mnemonic to a column, except after a prefix.
  return prefix ? `${prefix}${mnemonic} ${operandText}` : `${mnemonic.padEnd(6)} ${operandText}`;
}
