// Builds what the debugger panels show while the guest is stopped (registers, the disassembly around
// EIP with symbols, the source location, the call stack) and reads memory windows, from a GuestMachine.
import type { Inspection, MemoryDump, MemoryRequest, Outcome, Registers } from '../protocol.ts';
import { disassemblyWindow } from './disassembly-window.ts';
import type { GuestLocation, GuestMachine } from './guest.ts';
import type { SourceLibrary } from './source-library.ts';

const GENERAL = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const; // encoding order
const SEGMENTS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const; // encoding order
const DISPLAY_GENERAL = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp'] as const;
const DISPLAY_SEGMENTS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;
const CS = 1;
const PAGE = 4096;
/** The largest memory window the UI may ask for. */
export const MAX_MEMORY_WINDOW = 64 * 1024;

/** `name+offset`, or null when the address is in no known symbol. */
export function symbolText(location: GuestLocation): string | null {
  if (!location.name) return null;
  return location.offset ? `${location.name}+${location.offset}` : location.name;
}

/** The linear address of the next instruction (CS base + EIP). */
export function linearEip(machine: GuestMachine): number {
  const state = machine.cpu.saveState();
  return (state.segs[CS].base + state.eip) >>> 0;
}

export function registersOf(machine: GuestMachine): Registers {
  const s = machine.cpu.saveState();
  return {
    general: DISPLAY_GENERAL.map((name) => ({ name, value: s.regs[GENERAL.indexOf(name)] >>> 0 })),
    eip: s.eip >>> 0,
    eflags: s.eflags >>> 0,
    segments: DISPLAY_SEGMENTS.map((name) => {
      const seg = s.segs[SEGMENTS.indexOf(name)];
      return { name, selector: seg.selector, base: seg.base >>> 0, limit: seg.limit >>> 0 };
    }),
    control: [
      { name: 'cr0', value: s.cr0 >>> 0 },
      { name: 'cr2', value: s.cr2 >>> 0 },
      { name: 'cr3', value: s.cr3 >>> 0 },
      { name: 'cr4', value: s.cr4 >>> 0 },
    ],
    cpl: s.cpl,
  };
}

export function inspect(machine: GuestMachine, sources: SourceLibrary): Inspection {
  const eip = linearEip(machine);
  const here = machine.locate(eip);
  const functionStart = here.name ? eip - here.offset : null;
  const window = disassemblyWindow((linear, count) => machine.cpu.disassemble(linear, count, 'att'), eip, functionStart);
  return {
    registers: registersOf(machine),
    disassembly: window.lines.map((insn) => ({
      address: insn.address,
      bytes: insn.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' '),
      text: insn.text,
      symbol: symbolText(machine.locate(insn.address)),
    })),
    currentLine: window.current,
    source: here.file && here.line !== null ? { file: here.file, line: here.line, available: sources.has(here.file) } : null,
    stack: machine.stackTrace().map((frame) => ({
      address: frame.address >>> 0,
      symbol: symbolText(frame),
      location: frame.file && frame.line !== null ? { file: frame.file, line: frame.line } : null,
      space: frame.space,
    })),
  };
}

export function readMemory(machine: GuestMachine, request: MemoryRequest): Outcome<MemoryDump> {
  const { space, address, length } = request;
  if (!Number.isInteger(address) || address < 0 || address > 0xffffffff) return { ok: false, error: `${address} is not a 32-bit address` };
  if (!Number.isInteger(length) || length <= 0 || length > MAX_MEMORY_WINDOW) {
    return { ok: false, error: `a memory window must be 1 to ${MAX_MEMORY_WINDOW} bytes` };
  }
  const bytes = new Uint8Array(length);
  const readable = new Uint8Array(length);
  for (let offset = 0; offset < length; ) {
    const at = address + offset;
    if (at > 0xffffffff) break;
    const chunk = Math.min(length - offset, PAGE - (at % PAGE));
    const data = space === 'linear' ? machine.readLinear(at, chunk) : at + chunk <= machine.memory.size ? machine.memory.readBytes(at, chunk) : null;
    if (data) {
      bytes.set(data, offset);
      readable.fill(1, offset, offset + chunk);
    }
    offset += chunk;
  }
  return { ok: true, value: { space, address, bytes, readable } };
}
