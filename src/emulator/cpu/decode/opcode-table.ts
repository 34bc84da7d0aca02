// The opcode table: the one place that says, for every encoding, its mnemonic, its operands (Intel SDM
// vol. 2 appendix A notation, Intel operand order) and the handler that executes it. The decoder derives
// from a row whether a ModRM byte and which immediates follow; the disassembler formats the operands;
// the run loop calls the handler. Group opcodes hold a sub-table indexed by ModRM.reg.
//
// Operand notation: E = ModRM r/m (register or memory), G = ModRM reg, M = memory-only r/m, R = register-
// only r/m, S = segment register (ModRM.reg), C/D = control/debug register (ModRM.reg), Z = register from
// the low opcode bits (the row's `arg`), I = immediate, J = relative target, A = far pointer, O = moffs,
// X = DS:(E)SI, Y = ES:(E)DI. Sizes: b byte, w word, d dword, v word/dword by operand size, z immediate of
// operand size (at most 32 bits), bs byte sign-extended to the operand size, p far pointer, a bound pair,
// q quadword, s descriptor-table pseudo-descriptor. Plain register names (AL, eAX, DX, CL, ES...) and '1'
// are fixed operands.
import * as arith from '../exec/arith.ts';
import * as bit from '../exec/bit.ts';
import * as control from '../exec/control.ts';
import * as data from '../exec/data.ts';
import * as io from '../exec/io.ts';
import * as shift from '../exec/shift.ts';
import * as stack from '../exec/stack.ts';
import * as str from '../exec/string.ts';
import * as sys from '../exec/system.ts';
import type { Handler } from './insn.ts';

export interface OpRow {
  /** Intel mnemonic (lower case); the disassembler derives the AT&T form. */
  mnemonic: string;
  /** Comma-separated operand specs, Intel order (destination first); '' when none. */
  operands: string;
  exec: Handler;
  /** Handler parameter: ALU operation, condition code, register number, segment register... */
  arg: number;
  /** A ModRM byte follows the opcode. */
  modrm: boolean;
  /** Immediate kinds, in encoding order: 'b', 'bs', 'w', 'z', 'v', 'Jb', 'Jz', 'Ap', 'O'. */
  imms: string[];
  /** Sub-table by ModRM.reg (then this row is only a dispatcher). */
  group: (OpRow | undefined)[] | null;
  /** LOCK is allowed (with a memory destination). */
  lockable: boolean;
}

const MODRM_OPERAND = /^[EGMRSCD][a-z]*$/; // 'Ev', 'Gb', 'M', 'Sw'... but not 'ES', 'CL', 'DX'

function immKind(spec: string): string | null {
  if (spec === 'Ib' || spec === 'Jb' || spec === 'Jz' || spec === 'Ap' || spec === 'Iw' || spec === 'Iz' || spec === 'Iv') {
    return spec === 'Ib' ? 'b' : spec === 'Iw' ? 'w' : spec === 'Iz' ? 'z' : spec === 'Iv' ? 'v' : spec;
  }
  if (spec === 'Ibs') return 'bs';
  if (spec.startsWith('O')) return 'O';
  return null;
}

function op(mnemonic: string, operands: string, exec: Handler, arg = 0, lockable = false): OpRow {
  const specs = operands ? operands.split(',') : [];
  const imms: string[] = [];
  for (const s of specs) {
    const k = immKind(s);
    if (k) imms.push(k);
  }
  return { mnemonic, operands, exec, arg, modrm: specs.some((s) => MODRM_OPERAND.test(s)), imms, group: null, lockable };
}

function group(rows: (OpRow | undefined)[]): OpRow {
  return { mnemonic: '', operands: '', exec: sys.undefinedOp, arg: 0, modrm: true, imms: [], group: rows, lockable: false };
}

/** The row for encodings this CPU does not implement: #UD, reported. */
export const UNDEFINED_ROW = op('(bad)', '', sys.undefinedOp);

const ALU_NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const SHIFT_NAMES = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];

/** One-byte opcode map. */
export const ONE_BYTE: (OpRow | undefined)[] = new Array(256);
/** Two-byte (0F xx) opcode map. */
export const TWO_BYTE: (OpRow | undefined)[] = new Array(256);

function build(): void {
  const t = ONE_BYTE;
  for (let a = 0; a < 8; a++) {
    const name = ALU_NAMES[a];
    const lockable = a !== 7;
    t[a * 8 + 0] = op(name, 'Eb,Gb', arith.alu_Eb_Gb, a, lockable);
    t[a * 8 + 1] = op(name, 'Ev,Gv', arith.alu_Ev_Gv, a, lockable);
    t[a * 8 + 2] = op(name, 'Gb,Eb', arith.alu_Gb_Eb, a);
    t[a * 8 + 3] = op(name, 'Gv,Ev', arith.alu_Gv_Ev, a);
    t[a * 8 + 4] = op(name, 'AL,Ib', arith.alu_AL_Ib, a);
    t[a * 8 + 5] = op(name, 'eAX,Iz', arith.alu_eAX_Iz, a);
  }
  t[0x06] = op('push', 'ES', stack.push_S, 0);
  t[0x07] = op('pop', 'ES', stack.pop_S, 0);
  t[0x0e] = op('push', 'CS', stack.push_S, 1);
  t[0x16] = op('push', 'SS', stack.push_S, 2);
  t[0x17] = op('pop', 'SS', stack.pop_S, 2);
  t[0x1e] = op('push', 'DS', stack.push_S, 3);
  t[0x1f] = op('pop', 'DS', stack.pop_S, 3);
  t[0x27] = op('daa', '', arith.daa);
  t[0x2f] = op('das', '', arith.das);
  t[0x37] = op('aaa', '', arith.aaa);
  t[0x3f] = op('aas', '', arith.aas);
  for (let r = 0; r < 8; r++) {
    t[0x40 + r] = op('inc', 'Zv', arith.inc_Zv, r);
    t[0x48 + r] = op('dec', 'Zv', arith.dec_Zv, r);
    t[0x50 + r] = op('push', 'Zv', stack.push_Z, r);
    t[0x58 + r] = op('pop', 'Zv', stack.pop_Z, r);
    if (r > 0) t[0x90 + r] = op('xchg', 'Zv,eAX', data.xchg_eAX_Z, r);
    t[0xb0 + r] = op('mov', 'Zb,Ib', data.mov_Eb_Ib, r);
    t[0xb8 + r] = op('mov', 'Zv,Iv', data.mov_Ev_Iz, r);
  }
  t[0x60] = op('pusha', '', stack.pusha);
  t[0x61] = op('popa', '', stack.popa);
  t[0x62] = op('bound', 'Gv,Ma', arith.bound);
  t[0x63] = op('arpl', 'Ew,Gw', sys.arpl);
  t[0x68] = op('push', 'Iz', stack.push_I);
  t[0x69] = op('imul', 'Gv,Ev,Iz', arith.imul_Gv_Ev_I);
  t[0x6a] = op('push', 'Ibs', stack.push_I);
  t[0x6b] = op('imul', 'Gv,Ev,Ibs', arith.imul_Gv_Ev_I);
  t[0x6c] = op('ins', 'Yb,DX', str.ins);
  t[0x6d] = op('ins', 'Yv,DX', str.ins);
  t[0x6e] = op('outs', 'DX,Xb', str.outs);
  t[0x6f] = op('outs', 'DX,Xv', str.outs);
  for (let c = 0; c < 16; c++) {
    t[0x70 + c] = op('j' + CC[c], 'Jb', control.jcc, c);
    TWO_BYTE[0x80 + c] = op('j' + CC[c], 'Jz', control.jcc, c);
    TWO_BYTE[0x90 + c] = op('set' + CC[c], 'Eb', data.setcc, c);
    TWO_BYTE[0x40 + c] = op('cmov' + CC[c], 'Gv,Ev', data.cmov, c);
  }
  t[0x80] = group(ALU_NAMES.map((n, a) => op(n, 'Eb,Ib', arith.alu_Eb_Ib, a, a !== 7)));
  t[0x81] = group(ALU_NAMES.map((n, a) => op(n, 'Ev,Iz', arith.alu_Ev_I, a, a !== 7)));
  t[0x82] = t[0x80];
  t[0x83] = group(ALU_NAMES.map((n, a) => op(n, 'Ev,Ibs', arith.alu_Ev_I, a, a !== 7)));
  t[0x84] = op('test', 'Eb,Gb', arith.test_Eb_Gb);
  t[0x85] = op('test', 'Ev,Gv', arith.test_Ev_Gv);
  t[0x86] = op('xchg', 'Eb,Gb', data.xchg_Eb_Gb, 0, true);
  t[0x87] = op('xchg', 'Ev,Gv', data.xchg_Ev_Gv, 0, true);
  t[0x88] = op('mov', 'Eb,Gb', data.mov_Eb_Gb);
  t[0x89] = op('mov', 'Ev,Gv', data.mov_Ev_Gv);
  t[0x8a] = op('mov', 'Gb,Eb', data.mov_Gb_Eb);
  t[0x8b] = op('mov', 'Gv,Ev', data.mov_Gv_Ev);
  t[0x8c] = op('mov', 'Ev,Sw', data.mov_Ev_Sw);
  t[0x8d] = op('lea', 'Gv,M', data.lea);
  t[0x8e] = op('mov', 'Sw,Ev', data.mov_Sw_Ew);
  t[0x8f] = group([op('pop', 'Ev', stack.pop_Ev)]);
  t[0x90] = op('nop', '', data.nop);
  t[0x98] = op('cbw', '', arith.cbw);
  t[0x99] = op('cwd', '', arith.cwd);
  t[0x9a] = op('callf', 'Ap', control.callf_Ap);
  t[0x9b] = op('fwait', '', sys.fwait);
  t[0x9c] = op('pushf', '', stack.pushf);
  t[0x9d] = op('popf', '', stack.popf);
  t[0x9e] = op('sahf', '', data.sahf);
  t[0x9f] = op('lahf', '', data.lahf);
  t[0xa0] = op('mov', 'AL,Ob', data.mov_AL_Ob);
  t[0xa1] = op('mov', 'eAX,Ov', data.mov_eAX_Ov);
  t[0xa2] = op('mov', 'Ob,AL', data.mov_Ob_AL);
  t[0xa3] = op('mov', 'Ov,eAX', data.mov_Ov_eAX);
  t[0xa4] = op('movs', 'Yb,Xb', str.movs);
  t[0xa5] = op('movs', 'Yv,Xv', str.movs);
  t[0xa6] = op('cmps', 'Xb,Yb', str.cmps);
  t[0xa7] = op('cmps', 'Xv,Yv', str.cmps);
  t[0xa8] = op('test', 'AL,Ib', arith.test_AL_Ib);
  t[0xa9] = op('test', 'eAX,Iz', arith.test_eAX_Iz);
  t[0xaa] = op('stos', 'Yb,AL', str.stos);
  t[0xab] = op('stos', 'Yv,eAX', str.stos);
  t[0xac] = op('lods', 'AL,Xb', str.lods);
  t[0xad] = op('lods', 'eAX,Xv', str.lods);
  t[0xae] = op('scas', 'AL,Yb', str.scas);
  t[0xaf] = op('scas', 'eAX,Yv', str.scas);
  t[0xc0] = group(SHIFT_NAMES.map((n) => op(n, 'Eb,Ib', shift.shift_E_Ib)));
  t[0xc1] = group(SHIFT_NAMES.map((n) => op(n, 'Ev,Ib', shift.shift_E_Ib)));
  t[0xc2] = op('ret', 'Iw', control.ret);
  t[0xc3] = op('ret', '', control.ret);
  t[0xc4] = op('les', 'Gv,Mp', data.loadFarPointer, 0);
  t[0xc5] = op('lds', 'Gv,Mp', data.loadFarPointer, 3);
  t[0xc6] = group([op('mov', 'Eb,Ib', data.mov_Eb_Ib)]);
  t[0xc7] = group([op('mov', 'Ev,Iz', data.mov_Ev_Iz)]);
  t[0xc8] = op('enter', 'Iw,Ib', stack.enter);
  t[0xc9] = op('leave', '', stack.leave);
  t[0xca] = op('retf', 'Iw', control.retf);
  t[0xcb] = op('retf', '', control.retf);
  t[0xcc] = op('int3', '', control.int3);
  t[0xcd] = op('int', 'Ib', control.int_Ib);
  t[0xce] = op('into', '', control.into);
  t[0xcf] = op('iret', '', control.iret);
  t[0xd0] = group(SHIFT_NAMES.map((n) => op(n, 'Eb,1', shift.shift_E_1)));
  t[0xd1] = group(SHIFT_NAMES.map((n) => op(n, 'Ev,1', shift.shift_E_1)));
  t[0xd2] = group(SHIFT_NAMES.map((n) => op(n, 'Eb,CL', shift.shift_E_CL)));
  t[0xd3] = group(SHIFT_NAMES.map((n) => op(n, 'Ev,CL', shift.shift_E_CL)));
  t[0xd4] = op('aam', 'Ib', arith.aam);
  t[0xd5] = op('aad', 'Ib', arith.aad);
  t[0xd6] = op('salc', '', arith.salc);
  t[0xd7] = op('xlat', '', data.xlat);
  for (let e = 0xd8; e <= 0xdf; e++) t[e] = op('(fpu)', 'E', sys.fpuEscape);
  t[0xe0] = op('loopne', 'Jb', control.loop);
  t[0xe1] = op('loope', 'Jb', control.loop);
  t[0xe2] = op('loop', 'Jb', control.loop);
  t[0xe3] = op('jecxz', 'Jb', control.loop);
  t[0xe4] = op('in', 'AL,Ib', io.in_AL);
  t[0xe5] = op('in', 'eAX,Ib', io.in_eAX);
  t[0xe6] = op('out', 'Ib,AL', io.out_AL);
  t[0xe7] = op('out', 'Ib,eAX', io.out_eAX);
  t[0xe8] = op('call', 'Jz', control.call_J);
  t[0xe9] = op('jmp', 'Jz', control.jmp_J);
  t[0xea] = op('jmpf', 'Ap', control.jmpf_Ap);
  t[0xeb] = op('jmp', 'Jb', control.jmp_J);
  t[0xec] = op('in', 'AL,DX', io.in_AL);
  t[0xed] = op('in', 'eAX,DX', io.in_eAX);
  t[0xee] = op('out', 'DX,AL', io.out_AL);
  t[0xef] = op('out', 'DX,eAX', io.out_eAX);
  t[0xf1] = op('int1', '', control.int1);
  t[0xf4] = op('hlt', '', sys.hlt);
  t[0xf5] = op('cmc', '', data.cmc);
  t[0xf6] = group([
    op('test', 'Eb,Ib', arith.test_Eb_Ib),
    op('test', 'Eb,Ib', arith.test_Eb_Ib),
    op('not', 'Eb', arith.not_E, 0, true),
    op('neg', 'Eb', arith.neg_E, 0, true),
    op('mul', 'Eb', arith.mul_E, 0),
    op('imul', 'Eb', arith.mul_E, 1),
    op('div', 'Eb', arith.div_E, 0),
    op('idiv', 'Eb', arith.div_E, 1),
  ]);
  t[0xf7] = group([
    op('test', 'Ev,Iz', arith.test_Ev_Iz),
    op('test', 'Ev,Iz', arith.test_Ev_Iz),
    op('not', 'Ev', arith.not_E, 0, true),
    op('neg', 'Ev', arith.neg_E, 0, true),
    op('mul', 'Ev', arith.mul_E, 0),
    op('imul', 'Ev', arith.mul_E, 1),
    op('div', 'Ev', arith.div_E, 0),
    op('idiv', 'Ev', arith.div_E, 1),
  ]);
  t[0xf8] = op('clc', '', data.clc);
  t[0xf9] = op('stc', '', data.stc);
  t[0xfa] = op('cli', '', sys.cli);
  t[0xfb] = op('sti', '', sys.sti);
  t[0xfc] = op('cld', '', data.cld);
  t[0xfd] = op('std', '', data.std);
  t[0xfe] = group([op('inc', 'Eb', arith.inc_E, 0, true), op('dec', 'Eb', arith.dec_E, 0, true)]);
  t[0xff] = group([
    op('inc', 'Ev', arith.inc_E, 0, true),
    op('dec', 'Ev', arith.dec_E, 0, true),
    op('call', 'Ev', control.call_Ev),
    op('callf', 'Mp', control.callf_Mp),
    op('jmp', 'Ev', control.jmp_Ev),
    op('jmpf', 'Mp', control.jmpf_Mp),
    op('push', 'Ev', stack.push_Ev),
  ]);

  const u = TWO_BYTE;
  u[0x00] = group([
    op('sldt', 'Ev', sys.storeSystemSelector),
    op('str', 'Ev', sys.storeSystemSelector),
    op('lldt', 'Ew', sys.lldt),
    op('ltr', 'Ew', sys.ltr),
    op('verr', 'Ew', sys.verrVerw),
    op('verw', 'Ew', sys.verrVerw),
  ]);
  u[0x01] = group([
    op('sgdt', 'Ms', sys.storeTable),
    op('sidt', 'Ms', sys.storeTable),
    op('lgdt', 'Ms', sys.loadTable),
    op('lidt', 'Ms', sys.loadTable),
    op('smsw', 'Ev', sys.smsw),
    undefined,
    op('lmsw', 'Ew', sys.lmsw),
    op('invlpg', 'Mb', sys.invlpg),
  ]);
  u[0x02] = op('lar', 'Gv,Ev', sys.larLsl, 0);
  u[0x03] = op('lsl', 'Gv,Ev', sys.larLsl, 1);
  u[0x06] = op('clts', '', sys.clts);
  u[0x08] = op('invd', '', sys.invd);
  u[0x09] = op('wbinvd', '', sys.invd);
  u[0x0b] = op('ud2', '', sys.undefinedOp);
  u[0x1f] = group(new Array(8).fill(op('nop', 'Ev', data.nop)));
  u[0x20] = op('mov', 'Rd,Cd', sys.movFromCr);
  u[0x21] = op('mov', 'Rd,Dd', sys.movDr);
  u[0x22] = op('mov', 'Cd,Rd', sys.movToCr);
  u[0x23] = op('mov', 'Dd,Rd', sys.movDr);
  u[0x31] = op('rdtsc', '', sys.rdtsc);
  u[0xa0] = op('push', 'FS', stack.push_S, 4);
  u[0xa1] = op('pop', 'FS', stack.pop_S, 4);
  u[0xa2] = op('cpuid', '', sys.cpuid);
  u[0xa3] = op('bt', 'Ev,Gv', bit.bitTest, 0);
  u[0xa4] = op('shld', 'Ev,Gv,Ib', shift.shiftDouble, 0);
  u[0xa5] = op('shld', 'Ev,Gv,CL', shift.shiftDouble, 0);
  u[0xa8] = op('push', 'GS', stack.push_S, 5);
  u[0xa9] = op('pop', 'GS', stack.pop_S, 5);
  u[0xab] = op('bts', 'Ev,Gv', bit.bitTest, 1, true);
  u[0xac] = op('shrd', 'Ev,Gv,Ib', shift.shiftDouble, 1);
  u[0xad] = op('shrd', 'Ev,Gv,CL', shift.shiftDouble, 1);
  u[0xaf] = op('imul', 'Gv,Ev', arith.imul_Gv_Ev);
  u[0xb0] = op('cmpxchg', 'Eb,Gb', arith.cmpxchg, 0, true);
  u[0xb1] = op('cmpxchg', 'Ev,Gv', arith.cmpxchg, 0, true);
  u[0xb2] = op('lss', 'Gv,Mp', data.loadFarPointer, 2);
  u[0xb3] = op('btr', 'Ev,Gv', bit.bitTest, 2, true);
  u[0xb4] = op('lfs', 'Gv,Mp', data.loadFarPointer, 4);
  u[0xb5] = op('lgs', 'Gv,Mp', data.loadFarPointer, 5);
  u[0xb6] = op('movzx', 'Gv,Eb', data.movzx, 8);
  u[0xb7] = op('movzx', 'Gv,Ew', data.movzx, 16);
  u[0xb9] = op('ud1', 'Gv,Ev', sys.undefinedOp);
  u[0xba] = group([
    undefined,
    undefined,
    undefined,
    undefined,
    op('bt', 'Ev,Ib', bit.bitTest, 0),
    op('bts', 'Ev,Ib', bit.bitTest, 1, true),
    op('btr', 'Ev,Ib', bit.bitTest, 2, true),
    op('btc', 'Ev,Ib', bit.bitTest, 3, true),
  ]);
  u[0xbb] = op('btc', 'Ev,Gv', bit.bitTest, 3, true);
  u[0xbc] = op('bsf', 'Gv,Ev', bit.bitScan, 0);
  u[0xbd] = op('bsr', 'Gv,Ev', bit.bitScan, 1);
  u[0xbe] = op('movsx', 'Gv,Eb', data.movsx, 8);
  u[0xbf] = op('movsx', 'Gv,Ew', data.movsx, 16);
  u[0xc0] = op('xadd', 'Eb,Gb', arith.xadd, 0, true);
  u[0xc1] = op('xadd', 'Ev,Gv', arith.xadd, 0, true);
  u[0xc7] = group([undefined, op('cmpxchg8b', 'Mq', arith.cmpxchg8b, 0, true)]);
  for (let r = 0; r < 8; r++) u[0xc8 + r] = op('bswap', 'Zd', bit.bswap, r);
}

build();
