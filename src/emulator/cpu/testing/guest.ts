// Test support: assembles i386 snippets with the host's GNU as/ld (tests skip where they are missing) and
// builds small protected-mode worlds (GDT, IDT, TSS, page tables) directly in guest memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IoBus } from '../../bus/io-bus.ts';
import { PhysicalMemory } from '../../memory/physical-memory.ts';
import { Cpu } from '../cpu.ts';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when GNU as and ld for i386 are installed. */
export const HAVE_BINUTILS = has('as') && has('ld');
/** Why assembler-based tests are skipped. */
export const SKIP_REASON = 'GNU as/ld not installed: assembler-based CPU tests skipped';

const cache = new Map<string, Uint8Array>();

/** Assembles AT&T `source` (32-bit) linked at `origin` into flat binary bytes. */
export function assemble(source: string, origin = 0x1000): Uint8Array {
  const key = `${origin}:${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-as-'));
  try {
    writeFileSync(path.join(dir, 'a.s'), `.code32\n.text\n.globl _start\n_start:\n${source}\n`);
    execFileSync('as', ['--32', '-o', path.join(dir, 'a.o'), path.join(dir, 'a.s')]);
    execFileSync('ld', ['-m', 'elf_i386', `-Ttext=0x${origin.toString(16)}`, '--oformat', 'binary', '-e', '_start', '-o', path.join(dir, 'a.bin'), path.join(dir, 'a.o')]);
    const bytes = new Uint8Array(readFileSync(path.join(dir, 'a.bin')));
    cache.set(key, bytes);
    return bytes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Guest {
  mem: PhysicalMemory;
  io: IoBus;
  cpu: Cpu;
}

/** A 4 MiB machine in flat protected mode with `code` at 0x1000, ESP = 0x80000. */
export function makeGuest(code: Uint8Array | number[] = [], origin = 0x1000): Guest {
  const mem = new PhysicalMemory(4 << 20);
  const io = new IoBus();
  const cpu = new Cpu(mem, io);
  mem.writeBytes(origin, code instanceof Uint8Array ? code : new Uint8Array(code));
  cpu.eip = origin;
  cpu.esp = 0x80000;
  return { mem, io, cpu };
}

/** Assembles `source` at 0x1000, runs it to its `hlt` (at most `limit` instructions). */
export function runAsm(source: string, setup?: (g: Guest) => void, limit = 100000): Guest {
  const g = makeGuest(assemble(source + '\nhlt\n'));
  setup?.(g);
  g.cpu.run(limit);
  return g;
}

/** Encodes a code/data segment descriptor (limit in bytes if < 1 MiB and not forced page-granular). */
export function segmentDescriptor(base: number, limit: number, access: number, flags = 0xc): [number, number] {
  const gran = flags & 0x8 ? limit >>> 12 : limit;
  const lo = ((base & 0xffff) << 16) | (gran & 0xffff);
  const hi = (base & 0xff000000) | ((flags & 0xf) << 20) | (gran & 0xf0000) | (access << 8) | ((base >>> 16) & 0xff);
  return [lo >>> 0, hi >>> 0];
}

/** Encodes a 32-bit interrupt (type 0xE) or trap (0xF) gate. */
export function gateDescriptor(selector: number, offset: number, type: number, dpl: number): [number, number] {
  const lo = (selector << 16) | (offset & 0xffff);
  const hi = (offset & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8);
  return [lo >>> 0, hi >>> 0];
}

export const GDT = 0x500;
export const IDT = 0x800;
export const TSS = 0x700;
/** Selectors of the standard test world. */
export const KCODE = 0x08;
export const KDATA = 0x10;
export const UCODE = 0x1b;
export const UDATA = 0x23;
export const TSS_SEL = 0x28;

/**
 * Installs the 15-410 layout: GDT (null, kernel code 0x08, kernel data 0x10, user code 0x1b, user data
 * 0x23, TSS 0x28), an IDT of 256 interrupt gates to `handlers[vector]` (or `defaultHandler`), a TSS with
 * SS0:ESP0 = 0x10:`esp0`, and loads GDTR/IDTR/TR (by executing nothing: the caches are set directly).
 */
export function installWorld(g: Guest, handlers: Record<number, number>, defaultHandler: number, esp0 = 0x70000, gateDpl: Record<number, number> = {}): void {
  const { mem, cpu } = g;
  const entries: [number, number][] = [
    [0, 0],
    segmentDescriptor(0, 0xffffffff, 0x9a),
    segmentDescriptor(0, 0xffffffff, 0x92),
    segmentDescriptor(0, 0xffffffff, 0xfa),
    segmentDescriptor(0, 0xffffffff, 0xf2),
    segmentDescriptor(TSS, 0x67, 0x89, 0),
  ];
  entries.forEach(([lo, hi], k) => {
    mem.write32(GDT + k * 8, lo);
    mem.write32(GDT + k * 8 + 4, hi);
  });
  for (let v = 0; v < 256; v++) {
    const [lo, hi] = gateDescriptor(KCODE, handlers[v] ?? defaultHandler, 0xe, gateDpl[v] ?? 0);
    mem.write32(IDT + v * 8, lo);
    mem.write32(IDT + v * 8 + 4, hi);
  }
  mem.write32(TSS + 4, esp0);
  mem.write32(TSS + 8, KDATA);
  mem.write16(TSS + 0x66, 0x68); // I/O map base: right after the TSS (limit 0x67: no bitmap)
  cpu.gdtr = { selector: 0, base: GDT, limit: entries.length * 8 - 1, rights: 0 };
  cpu.idtr = { selector: 0, base: IDT, limit: 256 * 8 - 1, rights: 0 };
  cpu.tr = { selector: TSS_SEL, base: TSS, limit: 0x67, rights: 0x8b };
}
