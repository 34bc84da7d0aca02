// Test support: a scripted GuestMachine for the session and engine tests (straight-line code, one call,
// scripted stops, a fake clock advanced by the instructions it runs).
import type { GuestMachine, GuestStop } from '../guest.ts';

/**
 * A scripted guest: one instruction per byte of straight-line code from 0x1000, where 0x1005 is a
 * 5-byte call to 0x2000 whose body returns to 0x100a after 3 instructions; scripted stops fire at given
 * instruction counts. Each instruction takes 1 us of the fake clock.
 */
export class FakeGuest implements GuestMachine {
  instructions = 0;
  eip = 0x1000;
  esp = 0x8000;
  onLog: GuestMachine['onLog'] = null;
  stops = new Map<number, GuestStop['reason']>();
  idle = false;
  typed: string[] = [];
  scanCodes: number[][] = [];
  clock = { now: 0 };
  private changed = true;
  keyboard = {
    typeText: (text: string) => {
      if (/[^\x20-\x7e\n]/.test(text)) throw new RangeError('cannot type that');
      this.typed.push(text);
      this.idle = false;
    },
    sendScanCodes: (bytes: number[]) => {
      this.scanCodes.push(bytes);
      this.idle = false;
    },
  };
  /** The next device event; a halted CPU sleeps until then and wakes in the handler at 0x3000. */
  deadline = Infinity;
  scheduler = { nextDeadline: () => this.deadline };
  cpu = {
    halted: false,
    execWatch: new Set<number>(),
    saveState: () => ({
      regs: [1, 2, 3, 4, this.esp, 6, 7, 8],
      eip: this.eip,
      eflags: 0x202,
      segs: Array.from({ length: 6 }, (_, i) => ({ selector: i === 1 ? 0x08 : 0x10, base: 0, limit: 0xffffffff })),
      cr0: 0x11,
      cr2: 0,
      cr3: 0,
      cr4: 0,
      cpl: 0,
    }),
    disassemble: (linear: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const address = linear + i;
        return address === 0x1005
          ? { address, bytes: [0xe8, 0, 0, 0, 0], text: 'call 0x2000' }
          : { address, bytes: [0x90], text: 'nop' };
      }),
    lastUndefinedOpcode: null,
  };
  memory = { size: 0x10000, readBytes: (paddr: number, length: number) => new Uint8Array(length).fill(paddr & 0xff) };
  debug = {
    programNames: () => ['hello'],
    address: (name: string) => (name === 'callee' ? 0x2000 : undefined),
    kernel: { symbols: { symbols: [] }, lines: { rows: [] } },
  };

  step(): void {
    this.instructions++;
    this.clock.now += 0.001;
    if (this.eip === 0x1005) {
      this.esp -= 4;
      this.eip = 0x2000;
    } else if (this.eip === 0x2002) {
      this.esp += 4;
      this.eip = 0x100a;
    } else {
      this.eip++;
    }
    this.changed = true;
  }

  run(max: number): GuestStop {
    if (this.idle) return { reason: 'idle', instructions: this.instructions };
    if (this.cpu.halted) {
      if (this.instructions + max < this.deadline) {
        this.instructions += max;
        return { reason: 'limit', instructions: this.instructions };
      }
      max -= this.deadline - this.instructions;
      this.instructions = this.deadline;
      this.deadline = Infinity;
      this.cpu.halted = false;
      this.eip = 0x3000;
    }
    for (let n = 0; n < max; n++) {
      if (this.cpu.execWatch.has(this.eip) && n > 0) return { reason: 'watch', instructions: this.instructions, address: this.eip };
      this.step();
      const stop = this.stops.get(this.instructions);
      if (stop) {
        this.stops.delete(this.instructions);
        if (stop === 'idle') this.idle = true;
        return { reason: stop, instructions: this.instructions };
      }
    }
    return { reason: 'limit', instructions: this.instructions };
  }
  screen() {
    return { cells: new Uint16Array(2000).fill(0x0720), cursor: { row: 0, col: 0, visible: true } };
  }
  screenChanged() {
    const c = this.changed;
    this.changed = false;
    return c;
  }
  waitingForInput() {
    return false;
  }
  readLinear(linear: number, length: number) {
    return linear < 0x10000 ? new Uint8Array(length) : null;
  }
  locate(address: number) {
    return { space: 'kernel' as const, name: address >= 0x2000 ? 'callee' : 'main', offset: address & 0xfff, file: null, line: null };
  }
  stackTrace() {
    return [{ address: this.eip, ...this.locate(this.eip) }];
  }
}
