// Everything the debugger side knows about a kernel image: the kernel's symbols and line table, and
// those of every user program embedded by exec2obj (each linked at USER_MEM_START, 0x1000000, per the
// 15-410 memory layout). Answers "what is at this address" for kernel and user addresses, choosing the
// user program by name (the platform knows which program a CR3 belongs to) or by matching code bytes.
//
// Never throws: an image that cannot be parsed gives empty tables and a warning.

import { parseElf32, type Elf32 } from '../loader/elf.ts';
import { LineTable } from './dwarf-line.ts';
import { readExec2objTable } from './exec2obj.ts';
import { SymbolTable } from './symbols.ts';

/** Bytes of memory around a PC compared with each program's image, and how many words must match. */
const IDENTIFY_WINDOW = 48;
const IDENTIFY_MIN_WORDS = 4;

/** Pebbles: user memory starts at 16 MB; the kernel is direct-mapped below. */
export const USER_MEM_START = 0x1000000;

export interface ModuleDebug {
  /** 'kernel' or the program's name. */
  name: string;
  elf: Elf32 | null;
  symbols: SymbolTable;
  lines: LineTable;
  /** Code/data bytes of the image at a virtual address (null outside the image). */
  readCode(address: number, length: number): Uint8Array | null;
}

export interface UserProgram extends ModuleDebug {
  tocIndex: number;
  /** Kernel virtual address of the program's bytes, and their length. */
  execbytes: number;
  execlen: number;
  /** Why the program's ELF could not be read, or null. */
  error: string | null;
}

export interface Location {
  address: number;
  space: 'kernel' | 'user';
  /** The user program whose symbols were used (null for the kernel or an unknown program). */
  program: string | null;
  name: string | null;
  offset: number;
  file: string | null;
  line: number | null;
}

function moduleFromElf(name: string, elf: Elf32 | null, warnings: string[]): ModuleDebug {
  const symbols = elf ? SymbolTable.fromElf(elf) : SymbolTable.empty();
  const lineWarnings: string[] = [];
  const lines = elf ? LineTable.fromElf(elf, lineWarnings) : LineTable.empty();
  for (const w of [...(elf?.warnings ?? []), ...lineWarnings]) warnings.push(`${name}: ${w}`);
  return { name, elf, symbols, lines, readCode: (a, n) => elf?.readVirtual(a, n) ?? null };
}

function tryParse(bytes: Uint8Array): { elf: Elf32 | null; error: string | null } {
  try {
    return { elf: parseElf32(bytes), error: null };
  } catch (e) {
    return { elf: null, error: e instanceof Error ? e.message : String(e) };
  }
}

export class DebugInfo {
  readonly kernel: ModuleDebug;
  readonly programs: readonly UserProgram[];
  readonly warnings: readonly string[];
  private readonly byName: Map<string, UserProgram>;

  private constructor(kernel: ModuleDebug, programs: UserProgram[], warnings: string[]) {
    this.kernel = kernel;
    this.programs = programs;
    this.warnings = warnings;
    this.byName = new Map(programs.map((p) => [p.name, p]));
  }

  /** Reads the kernel's and its programs' debug information. Never throws. */
  static fromKernel(kernel: Uint8Array | Elf32): DebugInfo {
    const warnings: string[] = [];
    let elf: Elf32 | null;
    if (kernel instanceof Uint8Array) {
      const parsed = tryParse(kernel);
      if (parsed.error) warnings.push(`kernel: ${parsed.error}`);
      elf = parsed.elf;
    } else {
      elf = kernel;
    }
    const kernelModule = moduleFromElf('kernel', elf, warnings);
    const programs: UserProgram[] = [];
    if (elf) {
      for (const entry of readExec2objTable(elf, kernelModule.symbols, warnings)) {
        const parsed = entry.bytes
          ? tryParse(entry.bytes)
          : { elf: null, error: `its bytes (${entry.execlen} at 0x${entry.execbytes.toString(16)}) are not in the kernel image` };
        if (parsed.error) warnings.push(`program ${entry.name}: ${parsed.error}`);
        programs.push({
          ...moduleFromElf(entry.name, parsed.elf, warnings),
          tocIndex: entry.index,
          execbytes: entry.execbytes,
          execlen: entry.execlen,
          error: parsed.error,
        });
      }
    }
    return new DebugInfo(kernelModule, programs, warnings);
  }

  /** The names of the test programs in the image, in table order. */
  programNames(): string[] {
    return this.programs.map((p) => p.name);
  }

  program(name: string): UserProgram | undefined {
    return this.byName.get(name);
  }

  /** The module an address belongs to: the kernel below 16 MB, else the named user program (or null). */
  module(address: number, program?: string | null): ModuleDebug | null {
    if (address >>> 0 < USER_MEM_START) return this.kernel;
    return program ? (this.byName.get(program) ?? null) : null;
  }

  /** Symbol and source line of an address. */
  locate(address: number, program?: string | null): Location {
    const a = address >>> 0;
    const space = a < USER_MEM_START ? 'kernel' : 'user';
    const mod = this.module(a, program);
    const sym = mod?.symbols.lookup(a) ?? null;
    const src = mod?.lines.lookup(a) ?? null;
    return {
      address: a,
      space,
      program: space === 'user' && mod ? mod.name : null,
      name: sym?.name ?? null,
      offset: sym?.offset ?? 0,
      file: src?.file ?? null,
      line: src?.line ?? null,
    };
  }

  /** The address of a symbol in the kernel, or in the named program. */
  address(name: string, program?: string | null): number | undefined {
    return program ? this.byName.get(program)?.symbols.address(name) : this.kernel.symbols.address(name);
  }

  /**
   * The embedded programs whose image matches the guest's memory around a user address (every word of a
   * 48-byte window that lies in the image equals memory, and at least four were compared), in table
   * order. Programs linked from the same library often match at library code; intersect the answers
   * for several addresses of one stack to tell them apart.
   */
  matchingPrograms(pc: number, readLinear32: (linear: number) => number | null): string[] {
    const start = ((pc >>> 0) & ~3) - IDENTIFY_WINDOW / 2;
    const words: (number | null)[] = [];
    for (let i = 0; i < IDENTIFY_WINDOW / 4; i++) {
      const w = readLinear32(start + i * 4);
      words.push(w === null ? null : w >>> 0);
    }
    return this.programs
      .filter((p) => {
        let compared = 0;
        for (let i = 0; i < words.length; i++) {
          const code = p.readCode(start + i * 4, 4);
          if (!code) continue;
          if (words[i] !== new DataView(code.buffer).getUint32(0, true)) return false;
          compared++;
        }
        return compared >= IDENTIFY_MIN_WORDS && p.symbols.functionAt(pc) !== null;
      })
      .map((p) => p.name);
  }

  /**
   * Which embedded program is running at a user address, judged from memory around it alone (see
   * matchingPrograms). Null when none matches, or when several match and disagree on the function there.
   */
  identifyProgram(pc: number, readLinear32: (linear: number) => number | null): string | null {
    const candidates = this.matchingPrograms(pc, readLinear32);
    if (candidates.length === 0) return null;
    const name = this.locate(pc, candidates[0]).name;
    return candidates.every((p) => this.locate(pc, p).name === name) ? candidates[0] : null;
  }
}
