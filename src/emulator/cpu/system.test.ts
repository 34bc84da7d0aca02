// Protected-mode behaviour the host cannot show from user mode, checked against the Intel SDM vol. 3A
// rules: page faults and their error codes (§4.7), CR0.WP and U/S (§4.6), interrupt delivery with the
// TSS stack switch and IRET to ring 3 (§6.12, §5.8), segment-load checks (§5.4-5.5), double and triple
// faults (§6.15), the STI shadow (STI reference page), and the I/O privilege checks (vol. 1 §19.5).
import { describe, expect, it } from 'vitest';
import { CR0_PG, CR0_WP, FLAG_IF } from './state.ts';
import {
  assemble, gateDescriptor, HAVE_BINUTILS, IDT, installWorld, KCODE, KDATA, makeGuest, SKIP_REASON, TSS, UCODE, UDATA,
  type Guest,
} from './testing/guest.ts';

const d = describe.skipIf(!HAVE_BINUTILS);
if (!HAVE_BINUTILS) console.warn(SKIP_REASON);

/**
 * Exception handlers record (vector, error code, CR2, return EIP, CS) at 0x5000 and halt. They address
 * memory through SS: after an IRET to ring 3 the kernel's DS is nulled (SDM IRET, outer return).
 */
const HANDLERS = 0x2000;
const LOG = 0x5000;

/** Kernel code at 0x1000 plus one handler stub per vector 0..31 at HANDLERS + 16*v. */
/** A kernel interrupt gate for `vector` to a handler at 0x4000 that only returns. */
function installIretHandler(g: Guest, vector: number): void {
  g.mem.writeBytes(0x4000, assemble('iret', 0x4000));
  const [lo, hi] = gateDescriptor(KCODE, 0x4000, 0xe, 0);
  g.mem.write32(IDT + vector * 8, lo);
  g.mem.write32(IDT + vector * 8 + 4, hi);
}

function world(kernel: string, opts: { paging?: boolean; esp0?: number } = {}): Guest {
  const g = makeGuest(assemble(kernel + '\nhlt'));
  const stubs: number[] = [];
  const handlers: Record<number, number> = {};
  for (let v = 0; v < 48; v++) {
    // with error code: vectors 8, 10-14, 17
    const hasErr = v === 8 || (v >= 10 && v <= 14) || v === 17;
    const src = hasErr
      ? `movl $${v}, %ss:${LOG}; popl %ss:${LOG + 4}; movl %cr2, %eax; movl %eax, %ss:${LOG + 8}; popl %ss:${LOG + 12}; popl %ss:${LOG + 16}; hlt`
      : `movl $${v}, %ss:${LOG}; movl $-1, %ss:${LOG + 4}; popl %ss:${LOG + 12}; popl %ss:${LOG + 16}; hlt`;
    const bytes = assemble(src, HANDLERS + v * 64);
    g.mem.writeBytes(HANDLERS + v * 64, bytes);
    handlers[v] = HANDLERS + v * 64;
    stubs.push(v);
  }
  installWorld(g, handlers, HANDLERS, opts.esp0 ?? 0x70000, { 0x80: 3 });
  g.mem.write32(LOG, 0xdead);
  if (opts.paging) identityPaging(g);
  return g;
}

/** Identity-maps the first 4 MiB with 4 KiB pages (page directory 0x10000, table 0x11000), all U/S R/W. */
function identityPaging(g: Guest): void {
  g.mem.write32(0x10000, 0x11000 | 7);
  for (let p = 0; p < 1024; p++) g.mem.write32(0x11000 + p * 4, (p << 12) | 7);
  g.cpu.cr3 = 0x10000;
  g.cpu.cr0 |= CR0_PG;
  g.cpu.flushTlb(false);
}

function setPte(g: Guest, page: number, flags: number): void {
  g.mem.write32(0x11000 + page * 4, (page << 12) | flags);
  g.cpu.flushTlb(false);
}

function log(g: Guest): { vector: number; error: number; cr2: number; eip: number; cs: number } {
  const m = g.mem;
  return { vector: m.read32(LOG), error: m.read32(LOG + 4) | 0, cr2: m.read32(LOG + 8), eip: m.read32(LOG + 12), cs: m.read32(LOG + 16) };
}

d('paging', () => {
  it('raises #PF with CR2 and error code 2 for a supervisor write to a non-present page', () => {
    const g = world('movl $1, 0x200010', { paging: true });
    setPte(g, 0x200, 0);
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 14, error: 2, cr2: 0x200010, eip: 0x1000, cs: KCODE });
  });

  it('lets the supervisor write a read-only page unless CR0.WP is set (then error code 3)', () => {
    const g = world('movl $7, 0x200000; mov %cr0, %eax; or $0x10000, %eax; mov %eax, %cr0; movl $8, 0x200000', { paging: true });
    setPte(g, 0x200, 5); // present, user, read-only
    g.cpu.run(1000);
    expect(g.mem.read32(0x200000)).toBe(7);
    expect(log(g)).toMatchObject({ vector: 14, error: 3, cr2: 0x200000 });
    expect(g.cpu.cr0 & CR0_WP).toBe(CR0_WP);
  });

  it('sets accessed and dirty bits, and maps 4 MiB PSE pages', () => {
    const g = world('movl 0x3000, %eax; movl %eax, 0x3004; movl 0x400008, %ebx', { paging: true });
    g.mem.write32(0x10004, 0x00800000 | 0x83); // 4 MiB page at linear 4 MiB -> physical 8 MiB (beyond RAM)
    g.cpu.cr4 |= 0x10;
    g.cpu.run(1000);
    expect(g.mem.read32(0x11000 + 3 * 4) & 0x60).toBe(0x60);
    expect(g.mem.read32(0x10004) & 0x20).toBe(0x20);
    expect(g.cpu.ebx).toBe(0xffffffff); // above RAM reads as all ones
  });

  it('keeps global pages across a CR3 reload and drops them with INVLPG', () => {
    const g = world('movl 0x3000, %eax; movl $0x10000, %ebx; mov %ebx, %cr3; movl 0x3000, %ecx; invlpg 0x3000; movl 0x3000, %edx', { paging: true });
    g.mem.write32(0x3000, 0x11);
    g.mem.write32(0x4000, 0x22);
    g.cpu.cr4 |= 0x80; // PGE
    g.mem.write32(0x11000 + 3 * 4, 0x3000 | 0x107); // global
    g.cpu.run(2); // first read fills the TLB
    g.mem.write32(0x11000 + 3 * 4, 0x4000 | 0x107); // remap without flushing
    g.cpu.run(1000);
    expect(g.cpu.ecx).toBe(0x11); // the global entry survived MOV CR3
    expect(g.cpu.edx).toBe(0x22); // INVLPG dropped it
  });

  it('runs a higher-half kernel: code and data above 0x80000000', () => {
    const g = world('movl 0xc0003000, %ebx; movl $0x77, 0xc0003004', { paging: true });
    g.mem.write32(0x10000 + 0x300 * 4, 0x11000 | 3); // 0xC0000000 -> the identity table
    g.mem.write32(0x3000, 0x1234);
    g.cpu.flushTlb(false);
    g.cpu.eip = 0xc0001000 | 0;
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect(g.cpu.ebx).toBe(0x1234);
    expect(g.mem.read32(0x3004)).toBe(0x77);
    expect(g.cpu.eip >>> 0).toBe(0xc0001011); // after the hlt
  });

  it('reports user accesses to supervisor pages with error code 5 and splits page-straddling accesses', () => {
    const g = world(`
      pushl $${UDATA}; pushl $0x6ffc; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user:
      mov $${UDATA}, %cx; mov %cx, %ds
      movl 0x2ffe, %eax
      movl %eax, 0x3100
      movl 0x200ffe, %ebx`, { paging: true });
    g.mem.write32(0x2ffe, 0xaabbccdd);
    setPte(g, 0x201, 3); // supervisor-only page after the straddled boundary
    g.cpu.run(1000);
    expect(g.mem.read32(0x3100)).toBe(0xaabbccdd);
    expect(log(g)).toMatchObject({ vector: 14, error: 5, cr2: 0x201000 });
  });
});

d('privilege transitions', () => {
  it('IRETs to ring 3 and comes back through an interrupt gate on the TSS ring-0 stack', () => {
    const g = world(`
      pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user:
      mov %ss, %ebx
      mov $5, %ecx
      int $0x80`, { esp0: 0x9000 });
    // Vector 0x80: a DPL-3 gate to a handler that copies its frame to 0x5100.
    const handler = assemble('mov %esp, %ss:0x5120; popl %ss:0x5100; popl %ss:0x5104; popl %ss:0x5108; popl %ss:0x510c; popl %ss:0x5110; hlt', 0x4000);
    g.mem.writeBytes(0x4000, handler);
    const [lo, hi] = gateDescriptor(KCODE, 0x4000, 0xe, 3);
    g.mem.write32(IDT + 0x80 * 8, lo);
    g.mem.write32(IDT + 0x80 * 8 + 4, hi);
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect(g.cpu.ebx & 0xffff).toBe(UDATA);
    const m = g.mem;
    expect(m.read32(0x5120)).toBe(0x9000 - 20);
    expect([m.read32(0x5104), m.read32(0x510c), m.read32(0x5110)]).toEqual([UCODE, 0x6ff0, UDATA]);
    expect(m.read32(0x5108) & FLAG_IF).toBe(FLAG_IF);
    expect(g.cpu.cpl).toBe(0);
    expect(g.cpu.segSel[2]).toBe(KDATA);
    expect(g.cpu.eflags & FLAG_IF).toBe(0); // interrupt gate cleared IF
    expect(g.mem.read32(TSS + 4)).toBe(0x9000);
  });

  it('calls ring 0 through a call gate with parameter copy and returns to ring 3 with RETF', () => {
    const g = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user:
      pushl $0x11
      pushl $0x22
      lcall $0x33, $0
      mov %esp, %ecx
      mov $0x99, %edx
      hlt`, { esp0: 0x9000 });
    const copyFrame = [0, 4, 8, 12, 16, 20].map((k) => `mov %ss:${k}(%esp), %eax; mov %eax, %ss:${0x5100 + k}`).join('; ');
    g.mem.writeBytes(0x4000, assemble(`mov %esp, %ss:0x5120; ${copyFrame}; lret $8`, 0x4000));
    const [lo, hi] = gateDescriptor(KCODE, 0x4000, 0xc, 3); // 32-bit call gate, DPL 3
    g.mem.write32(0x500 + 0x30, lo);
    g.mem.write32(0x500 + 0x34, (hi & ~0x1f) | 2); // two parameters
    g.cpu.gdtr = { ...g.cpu.gdtr, limit: 0x37 };
    g.cpu.run(1000);
    const esp = g.mem.read32(0x5120);
    expect(esp).toBe(0x9000 - 24);
    const frame = [0, 1, 2, 3, 4, 5].map((k) => g.mem.read32(0x5100 + 4 * k));
    expect(frame.slice(1)).toEqual([UCODE, 0x22, 0x11, 0x6ff0 - 8, UDATA]);
    expect([g.cpu.ecx, g.cpu.edx]).toEqual([0x6ff0, 0x99]);
    expect(log(g)).toMatchObject({ vector: 13, error: 0, cs: UCODE }); // HLT at CPL 3
  });

  it('raises #TS(selector) when the TSS names an unusable ring-0 stack', () => {
    const g = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: int $0x80`);
    g.mem.write32(TSS + 8, UDATA); // SS0 = a DPL-3 data segment
    // #TS(SS0) is raised while delivering INT 0x80 from ring 3; delivering the #TS needs the same stack
    // switch and faults again (contributory twice -> #DF), and so does #DF -> triple fault.
    expect(g.cpu.run(1000)).toBe('triple-fault');
    const seen: number[] = [];
    const h = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: int $0x80`);
    h.mem.write32(TSS + 8, UDATA);
    h.cpu.interruptObserver = { onInterrupt: (v, e) => seen.push(v, e) };
    h.cpu.run(1000);
    expect(seen.slice(0, 6)).toEqual([0x80, -1, 10, UDATA & 0xfffc, 8, 0]);
  });

  it('marks the TSS busy on LTR and refuses to load a busy one', () => {
    const g = world('mov $0x28, %ax; ltr %ax; str %ebx; ltr %ax');
    g.mem.write8(0x500 + 0x28 + 5, 0x89); // available 32-bit TSS
    g.cpu.run(1000);
    expect(g.cpu.ebx).toBe(0x28);
    expect(g.mem.read8(0x500 + 0x28 + 5)).toBe(0x8b);
    expect(log(g)).toMatchObject({ vector: 13, error: 0x28 });
  });

  it('refuses INT n to a DPL-0 gate from ring 3 with #GP(vector*8+2)', () => {
    const g = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: int $0x30`);
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 13, error: 0x30 * 8 + 2, cs: UCODE });
  });

  it('checks I/O privilege: #GP(0) at CPL 3 with IOPL 0, allowed by the TSS I/O bitmap', () => {
    const g = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: mov $0x60, %dx; inb %dx, %al; movl %eax, %ebx; outb %al, $0x61`);
    // TSS limit large enough for a bitmap at 0x68 that allows ports 0x60 only.
    g.cpu.tr = { ...g.cpu.tr, limit: 0x68 + 0x20 };
    for (let k = 0; k < 0x20; k++) g.mem.write8(TSS + 0x68 + k, 0xff);
    g.mem.write8(TSS + 0x68 + (0x60 >> 3), 0xfe);
    g.io.register(0x60, 1, { read8: () => 0x42 });
    g.cpu.run(1000);
    expect(g.cpu.ebx & 0xff).toBe(0x42);
    expect(log(g)).toMatchObject({ vector: 13, error: 0 });
  });

  it('keeps IF and IOPL unchanged on POPF at CPL 3 and faults CLI', () => {
    const g = world(`pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: pushl $0x3000; popf; pushf; popl %ebx; cli`);
    g.cpu.run(1000);
    expect(g.cpu.ebx & (FLAG_IF | 0x3000)).toBe(FLAG_IF);
    expect(log(g)).toMatchObject({ vector: 13, error: 0, cs: UCODE });
  });
});

d('segmentation', () => {
  it('raises #GP(selector) beyond the GDT limit and #NP(selector) for a not-present descriptor', () => {
    const g = world('mov $0x40, %ax; mov %ax, %ds');
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 13, error: 0x40 });
    const h = world('mov $0x10, %ax; mov %ax, %ds');
    h.mem.write8(0x500 + 0x10 + 5, 0x12); // data descriptor with P=0
    h.cpu.run(1000);
    expect(log(h)).toMatchObject({ vector: 11, error: 0x10 });
  });

  it('enforces segment limits with #GP(0), and #SS(0) on the stack segment', () => {
    const g = world('mov $0x30, %ax; mov %ax, %es; movl %es:0xffc, %eax; movl %es:0xffe, %ebx');
    g.mem.write32(0x500 + 0x30, 0x00000fff); // base 0, limit 0xfff, byte granular
    g.mem.write32(0x500 + 0x34, 0x00409200);
    g.cpu.gdtr = { ...g.cpu.gdtr, limit: 0x37 };
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 13, error: 0, eip: 0x100c });
  });

  it('far-jumps to a code segment and rejects a data segment as a jump target', () => {
    const g = world('ljmp $0x08, $target; hlt; target: movl $1, %ebx; ljmp $0x10, $0');
    g.cpu.run(1000);
    expect(g.cpu.ebx).toBe(1);
    expect(log(g)).toMatchObject({ vector: 13, error: 0x10 });
  });

  it('reads access rights and limits with LAR/LSL and checks VERR/VERW', () => {
    const g = world('mov $0x1b, %ecx; lar %ecx, %eax; lsl %ecx, %ebx; mov $0x08, %edx; verw %dx; setz %dl; verr %cx; setz %dh');
    g.cpu.run(1000);
    expect(g.cpu.eax).toBe(0x00c0fa00); // bits 16-19 (limit) are masked out
    expect(g.cpu.ebx).toBe(0xffffffff);
    expect(g.cpu.edx & 0xffff).toBe(0x0100);
  });
});

d('exceptions and interrupts', () => {
  it('escalates a fault while delivering a fault to #DF, and a fault in #DF to a triple fault', () => {
    const g = world('movl $1, 0x200000', { paging: true });
    setPte(g, 0x200, 0);
    g.mem.write8(IDT + 14 * 8 + 5, 0x0e); // #PF gate not present -> #NP while delivering #PF -> #DF
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 8, error: 0 });
    const t = world('movl $1, 0x200000', { paging: true });
    setPte(t, 0x200, 0);
    t.mem.write8(IDT + 14 * 8 + 5, 0x0e);
    t.mem.write8(IDT + 8 * 8 + 5, 0x0e);
    expect(t.cpu.run(1000)).toBe('triple-fault');
    expect(t.cpu.run(1000)).toBe('triple-fault');
  });

  it('pushes the faulting EIP for faults and the next EIP for traps (INT3)', () => {
    const g = world('nop; int3');
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 3, eip: 0x1002 });
  });

  it('inhibits interrupts for one instruction after MOV SS', () => {
    const g = world('sti; nop; mov %ss, %ax; mov %ax, %ss; inc %ebx; inc %ebx');
    g.cpu.run(4); // up to and including MOV SS (at 0x1005, 2 bytes)
    g.cpu.setIrqLine(true);
    g.cpu.interruptAck = () => 0x20;
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 0x20, eip: 0x1008 }); // after the INC that follows MOV SS
    expect(g.cpu.ebx).toBe(1);
  });

  it('takes a pending interrupt only after the instruction following STI', () => {
    const g = world('sti; inc %eax; inc %eax; inc %eax');
    g.cpu.setIrqLine(true);
    g.cpu.interruptAck = () => 0x20;
    g.cpu.run(1000);
    expect(log(g)).toMatchObject({ vector: 0x20, eip: 0x1002 });
    expect(g.cpu.eax).toBe(1);
  });

  it('wakes from HLT on an interrupt and reports halt states', () => {
    const g = world('sti; hlt; movl $1, %ebx; cli; hlt');
    installIretHandler(g, 0x21);
    g.cpu.interruptAck = () => 0x21;
    expect(g.cpu.run(1000)).toBe('halt');
    expect(g.cpu.run(1000)).toBe('halt');
    g.cpu.setIrqLine(true);
    g.cpu.interruptAck = () => {
      g.cpu.setIrqLine(false);
      return 0x21;
    };
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect(g.cpu.ebx).toBe(1);
  });

  it('stops at exec watches before executing, then continues past them', () => {
    const g = world('inc %eax; inc %eax; inc %eax');
    g.cpu.execWatch.add(0x1001);
    expect(g.cpu.run(1000)).toBe('watch');
    expect([g.cpu.eip, g.cpu.eax]).toEqual([0x1001, 1]);
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect(g.cpu.eax).toBe(3);
  });
});

d('hooks and state', () => {
  it('stops at an exec watch a hook adds during the run, on a page that had none', () => {
    const g = world('movl $1, 0x3000; inc %eax; inc %eax'); // the movl is 10 bytes: the second inc is at 0x100b
    g.cpu.execWatch.add(0x9000);
    g.cpu.memoryObserver = { onAccess: () => g.cpu.execWatch.add(0x100b) };
    expect(g.cpu.run(1000)).toBe('watch');
    expect([g.cpu.eip, g.cpu.eax]).toEqual([0x100b, 1]);
  });

  it('reports memory accesses with linear and physical addresses when observed', () => {
    const g = world('movl $5, 0x3000; movl 0x3002, %eax', { paging: true });
    g.mem.write32(0x11000 + 3 * 4, 0x7000 | 7); // linear 0x3000 -> physical 0x7000
    g.cpu.flushTlb(false);
    const seen: string[] = [];
    g.cpu.memoryObserver = { onAccess: (lin, phys, size, w) => seen.push(`${lin.toString(16)}>${phys.toString(16)}/${size}${w ? 'w' : 'r'}`) };
    g.cpu.run(2);
    expect(seen).toEqual(['3000>7000/4w', '3002>7002/4r']);
  });

  it('reports every access while observed, with the translation cached and privilege still checked', () => {
    const g = world(`
      mov $3, %ecx
    1: incl 0x3000; loop 1b
      movl 0x200000, %ebx
      pushl $${UDATA}; pushl $0x6ff0; pushl $0x202; pushl $${UCODE}; pushl $user; iret
    user: mov $${UDATA}, %ax; mov %ax, %ds; movl 0x200000, %eax`, { paging: true });
    setPte(g, 0x200, 3); // supervisor-only
    let writes = 0;
    g.cpu.memoryObserver = { onAccess: (lin, _p, _s, w) => { if (w && lin === 0x3000) writes++; } };
    g.cpu.run(1000);
    expect(writes).toBe(3);
    expect(g.mem.read32(0x3000)).toBe(3);
    expect(log(g)).toMatchObject({ vector: 14, error: 5, cr2: 0x200000 });
  });

  it('reports every access to the observed ranges, while other pages keep the fast path (empty ranges observe nothing)', () => {
    const g = world(`
      mov $3, %ecx
    1: incl 0x3000; incl 0x4000; loop 1b`, { paging: true });
    const seen: number[] = [];
    g.cpu.memoryObserver = { onAccess: (lin) => seen.push(lin), ranges: [{ start: 0, end: 0 }, { start: 0x3000, end: 0x3004 }] };
    g.cpu.run(1000);
    expect([g.mem.read32(0x3000), g.mem.read32(0x4000)]).toEqual([3, 3]);
    expect(seen.filter((a) => a === 0x3000)).toHaveLength(6); // a read and a write each time
    expect(seen.filter((a) => a === 0x4000).length).toBeLessThanOrEqual(1); // at most the TLB miss
  });

  it('runs a watch handler in the run loop: on through the watch when it says so, else a stop there', () => {
    const g = world('inc %eax; inc %ebx; inc %eax');
    g.cpu.execWatch.add(0x1001);
    const seen: number[][] = [];
    let goOn = true;
    g.cpu.watchHandler = (lin) => {
      seen.push([lin, g.cpu.eax, g.cpu.ebx]);
      return goOn;
    };
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect([g.cpu.eax, g.cpu.ebx, seen]).toEqual([2, 1, [[0x1001, 1, 0]]]);
    const h = world('inc %eax; inc %ebx; inc %eax');
    h.cpu.execWatch.add(0x1001);
    h.cpu.watchHandler = g.cpu.watchHandler;
    goOn = false;
    expect(h.cpu.run(1000)).toBe('watch');
    expect(h.cpu.run(1000)).toBe('halt-forever'); // past the watch without asking again
    expect([h.cpu.ebx, seen.length]).toEqual([1, 2]);
  });

  it('stops at a watch a hook adds during the run, on the page it is running, with or without watches before', () => {
    for (const before of [[], [0x5000]]) {
      const g = world('xchg %ebx, %ebx; inc %eax; inc %ecx; inc %edx');
      for (const a of before) g.cpu.execWatch.add(a);
      g.cpu.magicHandler = (cpu) => cpu.execWatch.add(0x1003); // inc %ecx
      expect(g.cpu.run(1000)).toBe('watch');
      expect([g.cpu.eip, g.cpu.eax, g.cpu.ecx]).toEqual([0x1003, 1, 0]);
    }
  });

  it('takes an interrupt a watch handler raises before the watched instruction, then meets the watch again', () => {
    const g = world('sti; nop; inc %ebx; inc %ecx');
    installIretHandler(g, 0x21);
    g.cpu.interruptAck = () => {
      g.cpu.setIrqLine(false);
      return 0x21;
    };
    g.cpu.execWatch.add(0x1002);
    const events: string[] = [];
    g.cpu.interruptObserver = { onInterrupt: (v) => events.push(`interrupt ${v} ebx=${g.cpu.ebx}`) };
    g.cpu.watchHandler = () => {
      events.push(`watch ebx=${g.cpu.ebx}`);
      if (events.length === 1) g.cpu.setIrqLine(true);
      return true;
    };
    expect(g.cpu.run(1000)).toBe('halt'); // interrupts on
    expect(g.cpu.ecx).toBe(1);
    expect(events).toEqual(['watch ebx=0', 'interrupt 33 ebx=0', 'watch ebx=0']);
  });

  it('re-decodes code patched by aligned dword stores in an observed page, and reports each store', () => {
    // Each pass stores the loop count into `patch`, the immediate of its own `add $imm32, %eax`. The first store
    // sets the dirty bit (a walk); the later ones find the write allowed in the TLB.
    const g = world(`
      mov $3, %ecx
      nop; nop
    1: .byte 0x05 # add $imm32, %eax
    patch: .long 1 # aligned: 0x1008
      movl %ecx, patch
      loop 1b`, { paging: true });
    const stores: number[] = [];
    g.cpu.memoryObserver = { onAccess: (lin, _p, size, w) => { if (w) stores.push(lin, size); }, ranges: [{ start: 0x1000, end: 0x2000 }] };
    g.cpu.run(1000);
    expect(g.cpu.eax).toBe(1 + 3 + 2); // each pass adds what the pass before stored
    expect(stores).toEqual([0x1008, 4, 0x1008, 4, 0x1008, 4]);
  });

  it('keeps the pages wholly inside the unobserved range on the fast path, moving cached entries without a new walk', () => {
    const g = world('1: incl 0x3000; incl 0x4000; jmp 1b', { paging: true });
    const seen: number[] = [];
    const counts = () => [0x3000, 0x4000].map((a) => seen.filter((x) => x === a).length);
    g.cpu.memoryObserver = { onAccess: (lin) => seen.push(lin), ranges: [{ start: 0x3000, end: 0x5000 }] };
    g.cpu.run(9); // three rounds: both pages observed, their translations cached
    expect(counts()).toEqual([6, 6]);
    seen.length = 0;
    g.cpu.unobservedRange = { start: 0x3800, end: 0x5000 }; // page 0x3000 lies only partly inside
    g.cpu.run(18);
    expect(counts()).toEqual([6, 0]); // not even a TLB miss for 0x4000: its entry was kept
    seen.length = 0;
    g.cpu.unobservedRange = null;
    g.cpu.run(27);
    expect(counts()).toEqual([6, 6]);
    expect(g.mem.read32(0x4000)).toBe(9);
  });

  it('reports interrupts by kind, CR3 writes, and stops at the boundary after a device asks', () => {
    const g = world('int $0x30; mov $0x10000, %eax; mov %eax, %cr3; outb %al, $0x80; inc %ebx');
    installIretHandler(g, 0x30);
    const events: string[] = [];
    g.cpu.interruptObserver = { onInterrupt: (v, e, kind, eip) => events.push(`${kind} ${v} ${e} ${eip.toString(16)}`) };
    g.cpu.onCr3Write = (cr3) => events.push(`cr3 ${cr3.toString(16)}`);
    g.io.register(0x80, 1, { write8: () => g.cpu.requestStop() });
    expect(g.cpu.run(1000)).toBe('stop-requested');
    expect(g.cpu.eip).toBe(0x100c); // after the OUT, before the INC
    expect(g.cpu.ebx).toBe(0);
    expect(events).toEqual(['software 48 -1 1002', 'cr3 10000']);
    expect(g.cpu.run(1000)).toBe('halt-forever');
    expect(g.cpu.ebx).toBe(1);
  });

  it('saves and restores the whole CPU state as plain data', () => {
    const g = world('mov $1, %eax; add $1, %eax; add $1, %eax; add $1, %eax');
    g.cpu.run(2);
    const saved = JSON.parse(JSON.stringify(g.cpu.saveState()));
    g.cpu.run(1000);
    expect(g.cpu.eax).toBe(4);
    g.cpu.loadState(saved);
    expect(g.cpu.eax).toBe(2);
    g.cpu.run(1000);
    expect(g.cpu.eax).toBe(4);
  });

  it('saves states that later segment and table loads leave alone, sharing the parts that did not change', () => {
    const g = world(`mov $${UDATA}, %ax; mov %ax, %es; lgdt 0x6000`);
    g.mem.write16(0x6000, 0x2f);
    g.mem.write32(0x6002, g.cpu.gdtr.base);
    const first = g.cpu.saveState();
    const copy = JSON.parse(JSON.stringify(first));
    expect(g.cpu.saveState().segs).toBe(first.segs); // nothing changed: shared
    g.cpu.run(2);
    const second = g.cpu.saveState();
    expect(second.segs[0].selector).toBe(UDATA); // ES
    expect(second.gdtr).toBe(first.gdtr);
    g.cpu.run(1);
    expect(g.cpu.saveState().gdtr.limit).toBe(0x2f);
    expect(first).toEqual(copy);
    g.cpu.loadState(first);
    expect(g.cpu.saveState()).toEqual(copy);
    g.cpu.run(3);
    expect(first).toEqual(copy);
    expect(second.segs[0].selector).toBe(UDATA);
  });

  it('reports a write to a page armed after the TLB already mapped it writable (snapshot re-arm)', () => {
    const g = world('1: incl 0x3000; jmp 1b', { paging: true });
    const written: number[] = [];
    const t = g.mem.trackWrites({ pageWritten: (p) => written.push(p) });
    g.cpu.run(100); // the TLB now maps 0x3000 writable
    t.watchAll();
    g.cpu.run(g.cpu.instructions + 10);
    expect(written).toEqual([3]);
    t.watch(3);
    g.cpu.run(g.cpu.instructions + 10);
    expect(written).toEqual([3, 3]);
    expect(g.mem.read32(0x3000)).toBe(Math.floor(g.cpu.instructions / 2));
  });

  it('tracks CPU writes to watched pages once per arming, at no cost for unwatched pages', () => {
    const g = world('movl $1, 0x3000; movl $2, 0x3004; movl $3, 0x4000');
    const written: number[] = [];
    const t = g.mem.trackWrites({ pageWritten: (p) => written.push(p) });
    t.watch(3);
    g.cpu.run(1000);
    expect(written).toEqual([3]);
    expect(g.mem.read32(0x3004)).toBe(2);
  });
});
