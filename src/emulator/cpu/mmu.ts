// Linear-to-physical translation: the i386 two-level page walk with 4 KiB pages and PSE 4 MiB pages,
// global pages (PGE), accessed/dirty bits, U/S and R/W checks with CR0.WP, and #PF with CR2 and the
// error code (Intel SDM vol. 3A §4.3 "32-bit paging", §4.6 "access rights", §4.7 "page-fault exceptions").
//
// Results are cached in the CPU's software TLB (`cpu.tlb`, one Int32 per linear page): the physical page
// address ORed with permission bits. A fast-path bit is granted only when the access is allowed AND needs
// no further bookkeeping: write bits are withheld until the dirty bit is set, and for physical pages that
// hold decoded code or are watched by a write tracker (PhysicalMemory.pageFlags) they are stored as
// "slow" write bits, so such writes take the slow path (which reports them) without a page walk; so are
// all the bits of the linear pages a memory observer watches (Cpu.observesPage; when what it watches
// changes, `reclassifyPage` moves an entry's bits without a new walk). Pages above RAM are never cached
// (they read as all ones).
import type { Cpu } from './cpu.ts';
import { PAGE_CODE } from '../memory/physical-memory.ts';
import { CR0_PG, CR0_WP, CR4_PGE, CR4_PSE, EXC_PF } from './state.ts';

/** Supervisor may read / write, user may read / write, the entry is global. */
export const TLB_RS = 1;
export const TLB_WS = 2;
export const TLB_RU = 4;
export const TLB_WU = 8;
export const TLB_GLOBAL = 16;
/**
 * "Allowed, but through the slow path": the permission bits shifted left by SLOW_SHIFT. Write bits of
 * pages that hold decoded code or are watched by a write tracker, and every bit of the pages a memory
 * observer watches, are stored this way: the fast path misses, the slow path reports the access and
 * skips the walk.
 */
export const SLOW_SHIFT = 5;
const FAST_PERMS = TLB_RS | TLB_WS | TLB_RU | TLB_WU;
const FAST_WRITES = TLB_WS | TLB_WU;
const SLOW_WRITES = FAST_WRITES << SLOW_SHIFT;

const PTE_P = 1;
const PTE_RW = 2;
const PTE_US = 4;
const PTE_A = 0x20;
const PTE_D = 0x40;
const PTE_PS = 0x80;
const PTE_G = 0x100;

/**
 * Translates `lin` for an access by `user` (CPL 3, not a system-structure access) that writes if `write`.
 * Sets accessed/dirty bits, raises #PF on failure, and caches the result in the TLB when it may.
 * Returns the physical address.
 */
export function translate(cpu: Cpu, lin: number, write: boolean, user: boolean): number {
  const mem = cpu.mem;
  const vpn = lin >>> 12;
  if ((cpu.cr0 & CR0_PG) === 0) {
    const phys = lin >>> 0;
    if (phys < mem.size) fill(cpu, vpn, phys, FAST_PERMS, mem.pageFlags[vpn] !== 0);
    return phys;
  }
  const pdeAddr = ((cpu.cr3 & ~0xfff) + ((lin >>> 22) << 2)) >>> 0;
  const pde = mem.read32(pdeAddr);
  if ((pde & PTE_P) === 0) pageFault(cpu, lin, 0, write, user);
  let phys: number;
  let perms: number; // U/S and R/W combined over the levels
  let dirty: boolean;
  let global: boolean;
  if (pde & PTE_PS && cpu.cr4 & CR4_PSE) {
    perms = pde & (PTE_US | PTE_RW);
    checkAccess(cpu, lin, perms, write, user);
    const newPde = pde | PTE_A | (write ? PTE_D : 0);
    if (newPde !== pde) writeTableEntry(cpu, pdeAddr, newPde);
    phys = ((pde & 0xffc00000) | (lin & 0x3fffff)) >>> 0;
    dirty = (newPde & PTE_D) !== 0;
    global = (pde & PTE_G) !== 0;
  } else {
    const pteAddr = ((pde & ~0xfff) + (((lin >>> 12) & 0x3ff) << 2)) >>> 0;
    const pte = mem.read32(pteAddr);
    if ((pte & PTE_P) === 0) pageFault(cpu, lin, 0, write, user);
    perms = pde & pte & (PTE_US | PTE_RW);
    checkAccess(cpu, lin, perms, write, user);
    if ((pde & PTE_A) === 0) writeTableEntry(cpu, pdeAddr, pde | PTE_A);
    const newPte = pte | PTE_A | (write ? PTE_D : 0);
    if (newPte !== pte) writeTableEntry(cpu, pteAddr, newPte);
    phys = ((pte & ~0xfff) | (lin & 0xfff)) >>> 0;
    dirty = (newPte & PTE_D) !== 0;
    global = (pte & PTE_G) !== 0;
  }
  if (phys < mem.size) {
    let bits = TLB_RS;
    if (perms & PTE_US) bits |= TLB_RU;
    if (dirty) {
      if (perms & PTE_RW || (cpu.cr0 & CR0_WP) === 0) bits |= TLB_WS;
      if (perms & PTE_US && perms & PTE_RW) bits |= TLB_WU;
    }
    if (global && cpu.cr4 & CR4_PGE) bits |= TLB_GLOBAL;
    fill(cpu, vpn, phys, bits, mem.pageFlags[phys >>> 12] !== 0);
  }
  return phys;
}

function checkAccess(cpu: Cpu, lin: number, perms: number, write: boolean, user: boolean): void {
  if (user) {
    if ((perms & PTE_US) === 0 || (write && (perms & PTE_RW) === 0)) pageFault(cpu, lin, 1, write, user);
  } else if (write && (perms & PTE_RW) === 0 && cpu.cr0 & CR0_WP) {
    pageFault(cpu, lin, 1, write, user);
  }
}

function pageFault(cpu: Cpu, lin: number, present: number, write: boolean, user: boolean): never {
  cpu.cr2 = lin >>> 0;
  cpu.fault(EXC_PF, present | (write ? 2 : 0) | (user ? 4 : 0));
}

/** Page-table entries are written like any memory (dirty tracking, code invalidation). */
function writeTableEntry(cpu: Cpu, paddr: number, value: number): void {
  cpu.mem.write32(paddr, value);
}

/** Bound on the list of filled TLB slots. */
const MAX_TLB_LIST = 1 << 16;

/** The TLB bits of linear page `vpn` for permissions `bits` (fast ones), moved to the slow bits it needs. */
function classify(cpu: Cpu, vpn: number, bits: number, flagged: boolean): number {
  if (cpu.observesPage(vpn)) return (bits & ~FAST_PERMS) | ((bits & FAST_PERMS) << SLOW_SHIFT);
  if (flagged) return (bits & ~FAST_WRITES) | ((bits & FAST_WRITES) << SLOW_SHIFT);
  return bits;
}

/** Caches a translation; `flagged`: the physical page is a code or watched page (writes go slow). */
function fill(cpu: Cpu, vpn: number, phys: number, bits: number, flagged: boolean): void {
  const entry = classify(cpu, vpn, bits, flagged);
  if (cpu.tlb[vpn] === 0) {
    // INVLPG leaves stale page numbers in the list; dropping everything now and then bounds it (a TLB
    // may always be flushed: it is only a cache).
    if (cpu.tlbFilled.length >= MAX_TLB_LIST) flushTlb(cpu, false);
    cpu.tlbFilled.push(vpn);
  }
  cpu.tlb[vpn] = (phys & ~0xfff) | entry;
}

/** Re-derives the fast and slow bits of linear page `vpn`'s TLB entry, if any (its observation changed). */
export function reclassifyPage(cpu: Cpu, vpn: number): void {
  const e = cpu.tlb[vpn];
  if (e === 0) return;
  const bits = (e & (FAST_PERMS | TLB_GLOBAL)) | ((e >>> SLOW_SHIFT) & FAST_PERMS);
  cpu.tlb[vpn] = (e & ~0xfff) | classify(cpu, vpn, bits, cpu.mem.pageFlags[e >>> 12] !== 0);
}

/** Drops every TLB entry, or only the non-global ones (MOV CR3 with CR4.PGE). */
export function flushTlb(cpu: Cpu, keepGlobal: boolean): void {
  cpu.breakChunk(); // the run loop caches a translation of the current code page
  const tlb = cpu.tlb;
  const filled = cpu.tlbFilled;
  let kept = 0;
  for (let i = 0; i < filled.length; i++) {
    const vpn = filled[i];
    if (keepGlobal && tlb[vpn] & TLB_GLOBAL) filled[kept++] = vpn;
    else tlb[vpn] = 0;
  }
  filled.length = kept;
}

/** INVLPG: drops the entry for one linear page, global or not. */
export function invalidatePage(cpu: Cpu, lin: number): void {
  cpu.breakChunk();
  cpu.tlb[lin >>> 12] = 0; // the stale vpn stays in tlbFilled; flushing it again is harmless
}

/** Sends writes to physical page `page` (-1: every page) through the slow path from now on. */
export function revokeWrites(cpu: Cpu, page: number): void {
  const tlb = cpu.tlb;
  const filled = cpu.tlbFilled;
  for (let i = 0; i < filled.length; i++) {
    const e = tlb[filled[i]];
    if (e !== 0 && (page < 0 || e >>> 12 === page)) tlb[filled[i]] = slowWrites(e);
  }
}

/** The entry with its fast write bits turned into slow ones. */
function slowWrites(e: number): number {
  return (e & ~FAST_WRITES) | ((e & FAST_WRITES) << SLOW_SHIFT);
}

/**
 * The slow path's translation for a write: the cached physical address when the TLB says the write is
 * allowed (fast or slow bit), else a page walk. Re-grants the fast bits once the page is unflagged.
 */
export function translateWrite(cpu: Cpu, lin: number, user: boolean): number {
  const vpn = lin >>> 12;
  const e = cpu.tlb[vpn];
  const fast = user ? TLB_WU : TLB_WS;
  if (e & (fast | (fast << SLOW_SHIFT))) {
    if ((e & fast) === 0 && cpu.mem.pageFlags[e >>> 12] === 0 && !cpu.observesPage(vpn)) {
      cpu.tlb[vpn] = (e & ~SLOW_WRITES) | ((e >>> SLOW_SHIFT) & FAST_WRITES);
    }
    return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
  }
  return translate(cpu, lin, true, user);
}

/** The slow path's translation for a read or fetch: the cached physical address if any, else a walk. */
export function translateRead(cpu: Cpu, lin: number, user: boolean): number {
  const e = cpu.tlb[lin >>> 12];
  const r = user ? TLB_RU : TLB_RS;
  if (e & (r | (r << SLOW_SHIFT))) return ((e & ~0xfff) | (lin & 0xfff)) >>> 0;
  return translate(cpu, lin, false, user);
}

/** Marks physical page `page` as holding decoded code: later writes to it take the slow path. */
export function markCodePage(cpu: Cpu, page: number): void {
  const flags = cpu.mem.pageFlags;
  if (flags[page] & PAGE_CODE) return;
  flags[page] |= PAGE_CODE;
  revokeWrites(cpu, page);
}
