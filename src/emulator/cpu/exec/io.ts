// Port I/O (Intel SDM vol. 1 §19.5 "I/O privilege level", §19.5.2 "I/O permission bit map"): IN/OUT
// with an immediate port or DX. When CPL > IOPL the access is allowed only if every bit of the port range
// is clear in the TSS's I/O permission bitmap (32-bit TSS, map base at offset 0x66); else #GP(0).
import type { Cpu } from '../cpu.ts';
import type { Insn } from '../decode/insn.ts';
import { EXC_GP, FLAG_IOPL } from '../state.ts';
import { setRegV } from './operands.ts';

export function checkIoPermission(cpu: Cpu, port: number, size: number): void {
  if (cpu.cpl <= (cpu.flags & FLAG_IOPL) >>> 12) return;
  const tr = cpu.tr;
  const is32 = (tr.rights & 0x0f) === 9 || (tr.rights & 0x0f) === 11;
  if (!is32 || tr.limit < 0x67) cpu.fault(EXC_GP, 0);
  const mapBase = cpu.sysRd16(tr.base + 0x66);
  const byte = mapBase + (port >>> 3);
  if (byte + 1 > tr.limit) cpu.fault(EXC_GP, 0);
  const bits = cpu.sysRd16(tr.base + byte);
  const mask = ((1 << size) - 1) << (port & 7);
  if (bits & mask) cpu.fault(EXC_GP, 0);
}

function portOf(cpu: Cpu, i: Insn): number {
  return i.opcode >= 0xec ? cpu.r16[2 << 1] : i.imm & 0xff;
}

/** IN AL,Ib / IN AL,DX (E4 / EC) */
export function in_AL(cpu: Cpu, i: Insn): void {
  const port = portOf(cpu, i);
  checkIoPermission(cpu, port, 1);
  cpu.r8[0] = cpu.io.in8(port);
}

/** IN eAX,Ib / IN eAX,DX (E5 / ED) */
export function in_eAX(cpu: Cpu, i: Insn): void {
  const port = portOf(cpu, i);
  checkIoPermission(cpu, port, i.o32 ? 4 : 2);
  setRegV(cpu, i, 0, i.o32 ? cpu.io.in32(port) : cpu.io.in16(port));
}

/** OUT Ib,AL / OUT DX,AL (E6 / EE) */
export function out_AL(cpu: Cpu, i: Insn): void {
  const port = portOf(cpu, i);
  checkIoPermission(cpu, port, 1);
  cpu.io.out8(port, cpu.r8[0]);
}

/** OUT Ib,eAX / OUT DX,eAX (E7 / EF) */
export function out_eAX(cpu: Cpu, i: Insn): void {
  const port = portOf(cpu, i);
  checkIoPermission(cpu, port, i.o32 ? 4 : 2);
  if (i.o32) cpu.io.out32(port, cpu.regs[0]);
  else cpu.io.out16(port, cpu.r16[0]);
}
