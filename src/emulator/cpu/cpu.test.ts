// Instruction semantics on small assembled programs (values worked out from the Intel SDM definitions).
import { describe, expect, it } from 'vitest';
import { assemble, HAVE_BINUTILS, makeGuest, runAsm, SKIP_REASON } from './testing/guest.ts';
import { FLAG_CF, FLAG_OF, FLAG_SF, FLAG_ZF } from './state.ts';
import { WatchSet } from './cpu.ts';

const d = describe.skipIf(!HAVE_BINUTILS);
if (!HAVE_BINUTILS) console.warn(SKIP_REASON);

const ARITH = 0x8d5; // CF PF AF ZF SF OF

d('integer instructions', () => {
  it('computes ADD/SUB/ADC/SBB flags lazily and materialises them for PUSHF', () => {
    const { cpu } = runAsm(`
      mov $0x7fffffff, %eax; add $1, %eax; pushf; pop %ebx
      mov $0, %ecx; sub $1, %ecx; pushf; pop %edx
      stc; mov $0xffffffff, %esi; adc $0, %esi; pushf; pop %edi`);
    expect(cpu.eax).toBe(0x80000000);
    expect(cpu.ebx & ARITH).toBe(FLAG_OF | FLAG_SF | 0x10 | 0x4); // OF SF AF PF
    expect(cpu.ecx).toBe(0xffffffff);
    expect(cpu.edx & ARITH).toBe(FLAG_CF | FLAG_SF | 0x10 | 0x4);
    expect(cpu.esi).toBe(0);
    expect(cpu.edi & (FLAG_CF | FLAG_ZF)).toBe(FLAG_CF | FLAG_ZF);
  });

  it('keeps CF across INC/DEC and handles byte/word registers', () => {
    const { cpu } = runAsm(`stc; mov $0xff, %al; inc %al; pushf; pop %ebx; mov $0x1234, %cx; mov $0x56, %ch; dec %cx`);
    expect(cpu.eax & 0xff).toBe(0);
    expect(cpu.ebx & (FLAG_CF | FLAG_ZF)).toBe(FLAG_CF | FLAG_ZF);
    expect(cpu.ecx & 0xffff).toBe(0x5633);
  });

  it('multiplies and divides in every width, raising #DE on overflow', () => {
    const { cpu } = runAsm(`
      mov $0x80000000, %eax; mov $4, %ecx; mul %ecx; mov %edx, %esi
      mov $-7, %eax; cdq; mov $2, %ecx; idiv %ecx; mov %edx, %edi
      mov $-3, %ebx; imul $5, %ebx, %ebx; mov %eax, %ebp`);
    expect(cpu.esi).toBe(2);
    expect(cpu.ebp | 0).toBe(-3);
    expect(cpu.edi | 0).toBe(-1);
    expect(cpu.ebx | 0).toBe(-15);
    const div0 = runAsm(`mov $1, %eax; xor %ecx, %ecx; div %ecx`);
    // No IDT: #DE escalates to a triple fault, the instruction never completes.
    expect(div0.cpu.run(10)).toBe('triple-fault');
  });

  it('detects 32-bit signed multiply overflow exactly at the boundary, and INT_MIN / -1 as #DE', () => {
    const { cpu, mem } = runAsm(`
      mov $0x10000, %eax; imul $0x8000, %eax, %ebx; pushf; pop %ecx
      imul $0x7fff, %eax, %edx; pushf; pop %esi; mov %edx, 0x3000
      mov $-0x10000, %eax; mov $0x8000, %edi; imul %edi; mov %edx, %ebp; pushf; pop %edi`);
    expect(cpu.ebx).toBe(0x80000000);
    expect(cpu.ecx & (FLAG_CF | FLAG_OF)).toBe(FLAG_CF | FLAG_OF);
    expect(mem.read32(0x3000)).toBe(0x7fff0000);
    expect(cpu.esi & (FLAG_CF | FLAG_OF)).toBe(0);
    expect([cpu.eax, cpu.ebp]).toEqual([0x80000000, 0xffffffff]); // -2^31 fits: no overflow
    expect(cpu.edi & (FLAG_CF | FLAG_OF)).toBe(0);
    const g = makeGuest(assemble('mov $0x80000000, %eax; cdq; mov $-1, %ecx; idiv %ecx'));
    expect(g.cpu.run(10)).toBe('triple-fault'); // #DE with no IDT
    expect(g.cpu.eip).toBe(0x1000 + 5 + 1 + 5);
  });

  it('shifts and rotates, including through CF and double shifts', () => {
    const { cpu } = runAsm(`
      mov $0x81, %al; rol $1, %al; mov %eax, %ebx
      clc; mov $0x1, %ecx; rcr $1, %ecx; pushf; pop %edx
      mov $0x12345678, %esi; mov $0x9abcdef0, %edi; shld $8, %edi, %esi
      mov $-16, %ebp; sar $2, %ebp`);
    expect(cpu.ebx & 0xff).toBe(0x03);
    expect(cpu.ecx).toBe(0);
    expect(cpu.edx & FLAG_CF).toBe(FLAG_CF);
    expect(cpu.esi).toBe(0x3456789a);
    expect(cpu.ebp | 0).toBe(-4);
  });

  it('runs REP string instructions and stops REPE CMPS at the first difference', () => {
    const { cpu, mem } = runAsm(`
      cld; mov $0x3000, %edi; mov $0x41424344, %eax; mov $4, %ecx; rep stosl
      mov $0x3000, %esi; mov $0x3100, %edi; mov $16, %ecx; rep movsb
      movb $0, 0x3105; mov $0x3000, %esi; mov $0x3100, %edi; mov $16, %ecx; repe cmpsb; mov %ecx, %ebx`);
    expect(mem.read32(0x3100)).toBe(0x41424344);
    expect(mem.read32(0x310c)).toBe(0x41424344);
    expect(cpu.ebx).toBe(10); // stopped after comparing byte 5
  });

  it('splits long REP strings into restartable steps so that the run bound still acts', () => {
    const g = makeGuest(assemble('mov $0x3000, %edi; mov $10000, %ecx; rep stosb; hlt'));
    expect(g.cpu.run(3)).toBe('limit');
    expect([g.cpu.ecx, g.cpu.edi, g.cpu.eip]).toEqual([10000 - 4096, 0x3000 + 4096, 0x100a]);
    expect(g.cpu.run(100)).toBe('halt-forever');
    expect([g.cpu.ecx, g.cpu.edi, g.cpu.instructions]).toEqual([0, 0x3000 + 10000, 6]);
  });

  it('copies and fills page runs in bulk with element-by-element semantics', () => {
    const written: number[] = [];
    const g = runAsm(`
      cld
      mov $0x3000, %edi; mov $0x11223344, %eax; mov $0x2400, %ecx; rep stosl
      mov $0x3000, %edi; mov $0x41, %al; mov $1, %ecx; rep stosb
      mov $0x3000, %esi; mov $0x3001, %edi; mov $0x1800, %ecx; rep movsb
      mov $0x3ffe, %esi; mov $0x8002, %edi; mov $0x800, %ecx; rep movsl
      mov $0x5002, %edi; mov $0xbeef, %ax; mov $0x900, %ecx; rep stosw`, (guest) => {
      guest.mem.trackWrites({ pageWritten: (p) => written.push(p) }).watch(0x9);
    });
    expect(g.mem.read32(0x3000 + 0x1000)).toBe(0x41414141); // overlapping forward copy replicates the byte
    expect(g.mem.read8(0x3000 + 0x1800)).toBe(0x41);
    expect(g.mem.read8(0x3000 + 0x1801)).toBe(0x33); // untouched stosl pattern: 44 33 22 11
    expect(g.mem.read32(0x8002)).toBe(0x41414141); // from 0x3ffe, inside the replicated run
    expect(g.mem.read32(0x8002 + 4 * 0x7ff)).toBe(0x33441122); // from 0x5ffa: pattern bytes 22 11 44 33
    expect(g.mem.read16(0x5002 + 2 * 0x8ff)).toBe(0xbeef);
    expect(g.mem.read16(0x5002 + 2 * 0x900)).toBe(0x1122); // first byte after the run: pattern 22 11
    expect([g.cpu.ecx, g.cpu.edi]).toEqual([0, 0x5002 + 0x1200]);
    expect(written).toEqual([9]);
  });

  it('implements the i486/i686 additions: BSWAP, XADD, CMPXCHG, CMPXCHG8B, CMOV, BSF/BSR, SETcc', () => {
    const { cpu, mem } = runAsm(`
      mov $0x11223344, %eax; bswap %eax; mov %eax, 0x3000
      mov $5, %ebx; movl $10, 0x3004; xadd %ebx, 0x3004
      mov $10, %eax; mov $99, %ecx; cmpxchg %ecx, 0x3004
      mov $1, %edx; mov $2, %esi; cmp %edx, %esi; cmovg %esi, %edx
      mov $0x00f0, %edi; bsf %edi, %ebp; bsr %edi, %ecx; setnz %al`);
    expect(mem.read32(0x3000)).toBe(0x44332211);
    expect(cpu.ebx).toBe(10);
    expect(mem.read32(0x3004)).toBe(15); // cmpxchg: EAX (10) != 15, so EAX <- 15
    expect(cpu.eax & 0xff).toBe(1);
    expect(cpu.edx).toBe(2);
    expect(cpu.ebp).toBe(4);
    expect(cpu.ecx).toBe(7);
    const g = runAsm(`mov $1, %eax; mov $2, %edx; mov $3, %ebx; mov $4, %ecx; movl $1, 0x3000; movl $2, 0x3004; cmpxchg8b 0x3000; setz %al`);
    expect(g.mem.read32(0x3000)).toBe(3);
    expect(g.mem.read32(0x3004)).toBe(4);
    expect(g.cpu.eax & 0xff).toBe(1);
  });

  it('enters and leaves frames, PUSHA/POPA, BT family', () => {
    const { cpu } = runAsm(`
      mov $0x1111, %ebp; enter $8, $0; mov %esp, %eax; leave; mov %esp, %ebx
      mov $7, %ecx; pusha; mov $0, %ecx; popa
      movl $0, 0x3000; mov $35, %edx; bts %edx, 0x3000; mov 0x3004, %esi`);
    expect(cpu.eax).toBe(0x80000 - 4 - 8);
    expect(cpu.ebx).toBe(0x80000);
    expect(cpu.ecx).toBe(7);
    expect(cpu.esi).toBe(8);
  });

  it('answers CPUID with a deterministic i686 identity and RDTSC with the instruction count', () => {
    const { cpu } = runAsm(`xor %eax, %eax; cpuid; mov %ebx, 0x3000; mov %edx, 0x3004; mov %ecx, 0x3008; mov $1, %eax; cpuid; mov %edx, %esi; mov %eax, 0x300c; rdtsc`);
    const vendor = String.fromCharCode(...makeBytes(cpu, 0x3000, 12));
    expect(vendor).toBe('GenuineIntel');
    expect(cpu.esi & ((1 << 3) | (1 << 4) | (1 << 13) | (1 << 15))).toBe((1 << 3) | (1 << 4) | (1 << 13) | (1 << 15));
    expect(cpu.esi & 1).toBe(0); // no FPU
    expect(cpu.mem.read32(0x300c)).toBe(0x663); // QEMU's qemu32 signature: family 6 model 6 stepping 3
    expect(cpu.eax).toBe(9); // instructions retired before RDTSC
  });

  it('calls the magic handler on xchg %ebx,%ebx and xchg %bx,%bx only', () => {
    const seen: number[] = [];
    runAsm(`mov $0x04100002, %ebx; xchg %ebx, %ebx; xchg %bx, %bx; xchg %eax, %ebx`, (g) => {
      g.cpu.magicHandler = (c) => seen.push(c.ebx);
    });
    expect(seen).toEqual([0x04100002, 0x04100002]);
  });

  it('sets the flags of TEST with an immediate on byte registers, bytes in memory and dwords, and moves through [base+disp]', () => {
    const { cpu, mem } = runAsm(`
      mov $0x3000, %ebx; movl $0x80818283, 4(%ebx); mov 4(%ebx), %ecx; mov %ecx, -4(%ebx)
      mov $0x8100, %eax; test $0x80, %ah; pushf; popl 0x3100
      test $0x7e, %ah; pushf; popl 0x3104
      testb $0x03, 4(%ebx); pushf; popl 0x3108
      testb $0x80, 7(%ebx); pushf; popl 0x310c
      mov $-1, %edx; stc; test $0x80000000, %edx; pushf; popl 0x3110
      test $0x7fff0000, %ecx; pushf; popl 0x3114`);
    const flags = (a: number) => mem.read32(a) & ARITH;
    expect([cpu.ecx, mem.read32(0x2ffc)]).toEqual([0x80818283, 0x80818283]);
    expect(flags(0x3100)).toBe(FLAG_SF); // 0x80: odd parity, CF and OF cleared
    expect(flags(0x3104)).toBe(FLAG_ZF | 0x4);
    expect(flags(0x3108)).toBe(0x4); // 0x83 & 3 = 3: even parity
    expect(flags(0x310c)).toBe(FLAG_SF);
    expect(flags(0x3110)).toBe(FLAG_SF | 0x4); // the carry set before is cleared
    expect(flags(0x3114)).toBe(0x4); // 0x00810000: low byte 0, even parity
  });

  it('executes self-modifying code: a store invalidates the decoded instruction', () => {
    // The loop patches the immediate of its own `mov $1, %eax` to 2 on the second pass.
    const { cpu } = runAsm(`
      xor %ecx, %ecx
    again:
      mov $1, %eax
      add %eax, %ecx
      movb $2, again+1
      cmp $3, %ecx
      jb again`);
    expect(cpu.ecx).toBe(3);
  });

  it('re-decodes code patched by a device or loader through PhysicalMemory', () => {
    const g = makeGuest(assemble('mov $1, %eax; hlt'));
    g.cpu.run(10);
    expect(g.cpu.eax).toBe(1);
    g.mem.write8(0x1001, 7); // the immediate of the cached `mov`
    g.cpu.eip = 0x1000;
    g.cpu.halted = false;
    g.cpu.run(20);
    expect(g.cpu.eax).toBe(7);
  });

  it('stops with a clear reason when the guest leaves protected mode', () => {
    const g = makeGuest(assemble('mov %cr0, %eax; and $0xfffffffe, %eax; mov %eax, %cr0; nop'));
    expect(g.cpu.run(100)).toBe('unsupported');
    expect(g.cpu.unsupportedReason).toMatch(/real mode/);
    expect(g.cpu.eip).toBe(0x1009); // after `mov %eax,%cr0`
  });

  it('raises #UD for unknown encodings and reports them', () => {
    const g = makeGuest([0x0f, 0xff, 0x00]);
    const reports: string[] = [];
    g.cpu.onUndefinedOpcode = (op) => reports.push(`${op.address.toString(16)}:${op.bytes.join(',')}`);
    expect(g.cpu.run(10)).toBe('triple-fault'); // no IDT
    expect(reports[0]).toBe('1000:15,255');
    expect(g.cpu.lastUndefinedOpcode?.address).toBe(0x1000);
  });

  it('raises #NM or #UD for x87 instructions by CR0.EM/TS, never a host error', () => {
    const g = makeGuest(assemble('fld1'));
    expect(g.cpu.run(10)).toBe('triple-fault');
    expect(g.cpu.lastUndefinedOpcode?.bytes).toEqual([0xd9, 0xe8]);
  });
});

function makeBytes(cpu: { mem: { read8(a: number): number } }, addr: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => cpu.mem.read8(addr + k));
}

describe('WatchSet', () => {
  it('marks its addresses page by page through adds, deletes and clear, and tells of every change', () => {
    let changes = 0;
    const w = new WatchSet(() => changes++);
    const marked = (a: number) => w.pageMarks(a >>> 12)?.[a & 0xfff] ?? 0;
    w.add(0x1010);
    w.add(0x1010);
    w.add(0x1ff0);
    w.add(0x5000);
    w.delete(0x1010);
    w.delete(0x2000);
    expect([marked(0x1010), marked(0x1ff0), marked(0x5000), w.pageMarks(2), [...w]]).toEqual([0, 1, 1, undefined, [0x1ff0, 0x5000]]);
    w.delete(0x1ff0);
    expect(w.pageMarks(1)).toBeUndefined();
    w.add(0x1004); // the page's marks are made again from clean ones
    expect([marked(0x1004), marked(0x1010), marked(0x1ff0)]).toEqual([1, 0, 0]);
    expect(changes).toBe(8);
    w.clear();
    expect([w.pageMarks(1), w.pageMarks(5), changes]).toEqual([undefined, undefined, 9]);
    w.add(0x5008);
    expect([marked(0x5000), marked(0x5008)]).toEqual([0, 1]);
  });
});
