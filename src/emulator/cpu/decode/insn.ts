// A decoded instruction: the compact record the decoder produces once per instruction (cached by
// physical address) and the execution handlers and the disassembler consume. One class, one shape, so the
// interpreter's property loads stay monomorphic.
import type { Cpu } from '../cpu.ts';
import type { OpRow } from './opcode-table.ts';

/** Executes one decoded instruction. `cpu.eip` already points past it; `cpu.prevEip` at its start. */
export type Handler = (cpu: Cpu, i: Insn) => void;

export class Insn {
  /** The table row this instruction was decoded from (mnemonic, operand spec, handler). */
  row: OpRow;
  exec: Handler;
  /** Length in bytes, prefixes included. */
  len = 0;
  /** Opcode: 0x00-0xFF one-byte map, 0x100-0x1FF the 0F map. */
  opcode = 0;
  /** Operand size is 32 bits (else 16). */
  o32 = true;
  /** Address size is 32 bits (else 16). */
  a32 = true;
  /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE). */
  rep = 0;
  lock = false;
  /** Segment override prefix (ES..GS) or -1. */
  segOverride = -1;
  /** Effective segment of the memory operand (override or the addressing default). */
  seg = 3;
  hasModrm = false;
  mod = 0;
  reg = 0;
  rm = 0;
  /** The r/m operand is memory (mod != 3, or a moffs form). */
  isMem = false;
  /** Memory operand = disp + base + (index << scale), base/index -1 when absent. */
  base = -1;
  index = -1;
  scale = 0;
  disp = 0;
  /** The encoding had a SIB byte / a displacement (the disassembler prints them as objdump does). */
  hasSib = false;
  hasDisp = false;
  imm = 0;
  imm2 = 0;
  /** Parameter copied from the row (ALU operation, condition code, ...). */
  arg = 0;
  /** The bytes this record depends on: `len`, or all its instructions' when `exec` is a fused record. */
  span = 0;
  /**
   * For a fused record (exec/fused.ts, set by the CPU's code cache): the instruction after this one (a
   * pair itself when this record is a triple) and its offset in the code page.
   */
  next: Insn | null = null;
  nextOff = 0;

  constructor(row: OpRow) {
    this.row = row;
    this.exec = row.exec;
  }
}
