// Multiboot v1 loading into a RAM double: segments and bss, the boot information GRUB gives (mem_lower/upper,
// cmdline, loader name, memory map), the a.out kludge, and the refusals with their messages.
import { describe, expect, it } from 'vitest';
import { LoadError } from './load-error.ts';
import { MULTIBOOT_BOOTLOADER_MAGIC, findMultibootHeader, loadMultiboot, type GuestMemory } from './multiboot.ts';
import { DebugInfo } from '../debug/debug-info.ts';
import { fixtureKernel } from './testing/fixtures.ts';

/** A plain RAM double with the PhysicalMemory write interface. */
class TestRam implements GuestMemory {
  readonly bytes: Uint8Array;
  constructor(readonly size: number) {
    this.bytes = new Uint8Array(size);
  }
  writeBytes(paddr: number, data: Uint8Array): void {
    this.bytes.set(data, paddr);
  }
  u32(paddr: number): number {
    return new DataView(this.bytes.buffer).getUint32(paddr, true);
  }
  cstring(paddr: number): string {
    let s = '';
    while (this.bytes[paddr]) s += String.fromCharCode(this.bytes[paddr++]);
    return s;
  }
}

const MB = 0x100000;

function loadError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LoadError);
    return (e as Error).message;
  }
  throw new Error('expected a LoadError');
}

/** A raw a.out-kludge image: header at offset 0 asking to be loaded at loadAddr. */
function aoutImage(loadAddr: number, code: number[], bssExtra: number): Uint8Array {
  const img = new Uint8Array(32 + code.length);
  const v = new DataView(img.buffer);
  const flags = 0x10003;
  v.setUint32(0, 0x1badb002, true);
  v.setUint32(4, flags, true);
  v.setUint32(8, (-(0x1badb002 + flags)) >>> 0, true);
  v.setUint32(12, loadAddr, true); // header_addr
  v.setUint32(16, loadAddr, true); // load_addr
  v.setUint32(20, loadAddr + img.length, true); // load_end_addr
  v.setUint32(24, loadAddr + img.length + bssExtra, true); // bss_end_addr
  v.setUint32(28, loadAddr + 32, true); // entry
  img.set(code, 32);
  return img;
}

describe('findMultibootHeader', () => {
  it('finds the fixture kernel header at the start of .text', () => {
    const h = findMultibootHeader(fixtureKernel());
    expect(h).toMatchObject({ offset: 0x1000, flags: 0, aout: null });
  });

  it('ignores a magic with a bad checksum, and headers past 8192 bytes', () => {
    const k = fixtureKernel();
    k[0x1008] ^= 1;
    expect(findMultibootHeader(k)).toBeNull();
    const late = new Uint8Array(9000);
    late.set(aoutImage(MB, [0xf4], 0), 8192);
    expect(findMultibootHeader(late)).toBeNull();
  });
});

describe('loadMultiboot', () => {
  it('loads the ELF segments, zero-fills bss and returns the entry', () => {
    const ram = new TestRam(256 * MB);
    ram.bytes.fill(0xcc, 0x10c600, 0x10e000); // stale memory where bss goes
    const boot = loadMultiboot(fixtureKernel(), ram);
    expect(boot.entry).toBe(0x10000c);
    expect(boot.eax).toBe(MULTIBOOT_BOOTLOADER_MAGIC);
    expect(boot.ebx).toBe(boot.infoAddress);
    expect(boot.format).toBe('elf');
    expect(boot.loadedRanges).toEqual([
      { start: 0xff000, end: 0x10b64c, what: 'ELF segment 0' },
      { start: 0x10c64c, end: 0x10d6a4, what: 'ELF segment 1' },
    ]);
    expect(boot.kernelEnd).toBe(0x10d6a4);
    expect(ram.u32(0x100000)).toBe(0x1badb002);
    expect(ram.u32(0x10c64c)).toBe(7); // ticks = 7 in .data
    expect(ram.bytes.subarray(0x10c650, 0x10d6a4).every((b) => b === 0)).toBe(true);
    expect(ram.bytes[0x10d6a4]).toBe(0xcc);
  });

  it('writes the multiboot information GRUB gives', () => {
    const ram = new TestRam(256 * MB);
    const boot = loadMultiboot(fixtureKernel(), ram, { cmdline: '(fd0)/boot/kernel.gz' });
    const info = boot.infoAddress;
    expect(info).toBeLessThan(MB);
    const flags = ram.u32(info);
    expect(flags & 0x1).toBe(1); // mem_lower/mem_upper
    expect(flags & 0x4).toBe(4); // cmdline
    expect(flags & 0x40).toBe(0x40); // mmap
    expect(flags & 0x200).toBe(0x200); // boot_loader_name
    expect(ram.u32(info + 4)).toBe(639);
    expect(ram.u32(info + 8)).toBe(0x3fb80); // as QEMU -m 256 reports: RAM - 128 KB of BIOS tables - 1 MB
    expect(ram.u32(info + 12)).toBe(0x00ffffff); // fd0
    expect(ram.cstring(ram.u32(info + 16))).toBe('(fd0)/boot/kernel.gz');
    expect(ram.u32(info + 20)).toBe(0); // no modules
    expect(ram.cstring(ram.u32(info + 64))).toBe('GRUB 0.97');
    const mmapLength = ram.u32(info + 44);
    const mmapAddr = ram.u32(info + 48);
    const entries: [number, number, number][] = [];
    for (let o = mmapAddr; o < mmapAddr + mmapLength; o += ram.u32(o) + 4) {
      entries.push([ram.u32(o + 4), ram.u32(o + 12), ram.u32(o + 20)]);
    }
    expect(entries).toEqual([
      [0, 0x9fc00, 1],
      [0x9fc00, 0x400, 2],
      [0xf0000, 0x10000, 2],
      [MB, 0x0fee0000, 1],
      [0x0ffe0000, 0x20000, 2],
      [0xfffc0000, 0x40000, 2],
    ]);
    expect(boot.memUpperKB).toBe(0x3fb80);
  });

  it('uses the default command line and adapts mem_upper to the RAM size', () => {
    const ram = new TestRam(32 * MB);
    const boot = loadMultiboot(fixtureKernel(), ram);
    expect(ram.cstring(ram.u32(boot.infoAddress + 16))).toBe('(fd0)/boot/kernel');
    expect(ram.u32(boot.infoAddress + 8)).toBe(31 * 1024 - 128);
  });

  it('honours the a.out kludge', () => {
    const ram = new TestRam(16 * MB);
    const img = aoutImage(0x200000, [0xfa, 0xf4], 100);
    const boot = loadMultiboot(img, ram);
    expect(boot).toMatchObject({ entry: 0x200020, format: 'aout-kludge', elf: null, kernelEnd: 0x200000 + 34 + 100 });
    expect(ram.bytes[0x200020]).toBe(0xfa);
    expect(ram.u32(0x200000)).toBe(0x1badb002);
  });

  it('rejects a kernel without a multiboot header', () => {
    const k = fixtureKernel();
    k[0x1000] = 0; // break the magic
    expect(loadError(() => loadMultiboot(k, new TestRam(256 * MB)))).toMatch(/no multiboot header/);
  });

  it('recognises a user program given in place of a kernel', () => {
    const hello = DebugInfo.fromKernel(fixtureKernel()).program('hello');
    const bytes = hello?.elf?.bytes ?? new Uint8Array(0);
    expect(loadError(() => loadMultiboot(bytes, new TestRam(256 * MB)))).toMatch(/suggests a Pebbles user program/);
  });

  it('rejects an object file that was never linked', () => {
    const k = fixtureKernel();
    new DataView(k.buffer).setUint16(16, 1, true); // e_type ET_REL
    expect(loadError(() => loadMultiboot(k, new TestRam(256 * MB)))).toMatch(/relocatable object file \(\.o\), not a linked kernel/);
  });

  it('rejects a segment outside RAM, naming its address and size', () => {
    const k = fixtureKernel();
    new DataView(k.buffer).setUint32(52 + 32 + 12, 0x10000000, true); // second PT_LOAD p_paddr = 256 MB
    expect(loadError(() => loadMultiboot(k, new TestRam(256 * MB)))).toBe(
      "The kernel's ELF segment 1 at 0x10000000 (size 0x00001058) lies outside the 256 MB of RAM.",
    );
  });

  it('rejects segments over the boot information or the VGA window', () => {
    expect(loadError(() => loadMultiboot(aoutImage(0x9000, [0xf4], 0), new TestRam(16 * MB)))).toMatch(
      /overlaps the multiboot information area/,
    );
    expect(loadError(() => loadMultiboot(aoutImage(0xb8000, [0xf4], 0), new TestRam(16 * MB)))).toMatch(
      /overlaps the VGA memory window/,
    );
  });

  it('rejects required header features it does not provide', () => {
    const img = aoutImage(MB, [0xf4], 0);
    const v = new DataView(img.buffer);
    v.setUint32(4, 0x10010, true);
    v.setUint32(8, (-(0x1badb002 + 0x10010)) >>> 0, true);
    expect(loadError(() => loadMultiboot(img, new TestRam(16 * MB)))).toMatch(/unsupported required bits 0x00000010/);
  });

  it('rejects a truncated a.out image', () => {
    const img = aoutImage(MB, [0xf4], 0);
    expect(loadError(() => loadMultiboot(img.subarray(0, 32), new TestRam(16 * MB)))).toMatch(/truncated/);
  });
});
