// The PC the 15-410 kernels run on: an i386 CPU, RAM (default 256 MB, A20 always on), the I/O port bus
// and the devices (8259A pair, 8254 PIT, 8042 keyboard, VGA text, MC146818 RTC, 16550 COM1, debug
// console 0xE9, exit port 0xF4, POST/0x92 ports; PCI absent), a virtual-time scheduler, multiboot boot
// (GRUB's register state), the Simics sim-call interface, and whole-machine snapshots.
// The API is described in docs/emulator.md. run(n) is relative (at most n more instructions); the stop
// 'reset' (guest asked for a CPU reset) is reported, not performed; 'unsupported' means the CPU met
// something it does not emulate, e.g. real mode (`message` says what). The machine owns
// cpu.interruptObserver and cpu.requestStop (callers use m.interruptObserver and m.requestStop()).
//
// Run loop: the CPU runs until the earliest device deadline (or the caller's bound), then due timers
// fire (PIT ticks, typed keys). HLT with IF=1 skips virtual time to the next deadline; with no deadline
// at all the machine is 'idle'. An idle loop that is a jump to itself (`while (1);`) is skipped the same
// way (the skip leaves exactly the state spinning would: only the instruction count changes); with IF=0
// it can never end and is reported as 'halted'. A timer armed by the guest while the CPU runs ends the
// run early, so device events are never late. Virtual time is the CPU's instruction count: same image and
// same inputs at the same instruction counts give the same execution, bit for bit, however run() is sliced.

import { IoBus } from './bus/io-bus.ts';
import { Cpu, type InterruptObserver } from './cpu/cpu.ts';
import { CS, type CpuState, FLAG_IF } from './cpu/state.ts';
import { DebugInfo, type Location, USER_MEM_START } from './debug/debug-info.ts';
import { walkStack, type StackFrame } from './debug/stack-walk.ts';
import { DebugConsole, IsaDebugExit } from './devices/debug-ports.ts';
import type { PortDevice } from './devices/device.ts';
import { Kbc8042, type Kbc8042State } from './devices/kbc8042.ts';
import { Mc146818, type Mc146818State, DEFAULT_RTC_EPOCH } from './devices/mc146818.ts';
import { PicPair, type PicPairState } from './devices/pic8259.ts';
import { Pit8254, type Pit8254State } from './devices/pit8254.ts';
import { SystemPorts, type SystemPortsState } from './devices/system-ports.ts';
import { Uart16550, type Uart16550State } from './devices/uart16550.ts';
import { BLANK_CELL, type Screen, TEXT_BASE, Vga, type VgaState } from './devices/vga.ts';
import { type ImageKind, openKernelImage } from './loader/image.ts';
import { LoadError } from './loader/load-error.ts';
import { loadMultiboot } from './loader/multiboot.ts';
import { PhysicalMemory } from './memory/physical-memory.ts';
import { dispatchSimcall, emptySimcallState, type SimcallState } from './simcall.ts';
import { hashState } from './state-hash.ts';
import { type MemoryImage, MemorySnapshots } from './snapshot.ts';
import { DEFAULT_INSTRUCTIONS_PER_SECOND, VirtualClock } from './time/clock.ts';
import { Scheduler, type SchedulerState } from './time/scheduler.ts';

export interface MachineOptions {
  /** RAM in MB (default 256, the course's machine). */
  memoryMB?: number;
  /** Virtual CPU speed used to derive PIT and RTC time (default 1e9, see time/clock.ts). */
  instructionsPerSecond?: number;
  /** Unix seconds the RTC shows at instruction 0 (default 2026-01-01 00:00 UTC). */
  rtcEpoch?: number;
  /** 'free' (default): PIT ticks reach IRQ0; 'explorer': only injectTimerInterrupt() does. */
  timerMode?: TimerMode;
}

export type TimerMode = 'free' | 'explorer';

export type StopReason =
  | 'limit' | 'halted' | 'idle' | 'magic-break' | 'sim-halt' | 'triple-fault' | 'exit' | 'reset' | 'watch'
  | 'stop-requested' | 'unsupported';

export interface MachineStop {
  reason: StopReason;
  /** The machine's instruction count when it stopped. */
  instructions: number;
  /** 'exit': the status QEMU's isa-debug-exit would give, (value << 1) | 1. */
  exitCode?: number;
  /** 'watch': the linear address reached (not yet executed). */
  address?: number;
  /** 'unsupported': what the CPU could not do. */
  message?: string;
}

export interface LogEntry {
  source: 'kernel' | 'user';
  text: string;
  /** Virtual time of the sim-call. */
  instructions: number;
}

/** A bad kernel image or boot failure, with a message for the user. */
export class BootError extends Error {
  override name = 'BootError';
}

/**
 * While the guest idles in a `jmp .` loop, the CPU runs in probes of this many instructions, so the loop is
 * seen (and its idle time skipped) soon after each interrupt handler returns to it.
 */
const SPIN_PROBE = 4096;
/** Window (instructions) in which a status-port poll that found no key counts as "waiting for input". */
const POLL_WAIT_WINDOW = 100_000;
const MB = 1024 * 1024;

interface DeviceStates {
  pic: PicPairState;
  pit: Pit8254State;
  kbc: Kbc8042State;
  vga: VgaState;
  cmos: Mc146818State;
  uart: Uart16550State;
  system: SystemPortsState;
}

/** A whole-machine snapshot. Opaque: pass it back to `restore`; drop it to free its memory. */
export interface MachineSnapshot {
  readonly memory: MemoryImage;
  readonly cpu: CpuState;
  readonly devices: DeviceStates;
  readonly scheduler: SchedulerState;
  readonly simcalls: SimcallState;
  readonly lastUserSyscall: number;
  /** The log's first `length` entries, in an array the machine may share and extend (see Machine.log). */
  readonly log: { readonly entries: readonly LogEntry[]; readonly length: number };
  readonly debugcon: string;
  readonly uartText: string;
  readonly instructions: number;
}

const hex8 = (v: number) => (v >>> 0).toString(16).padStart(8, '0');

export class Machine {
  readonly memory: PhysicalMemory;
  readonly io = new IoBus();
  readonly cpu: Cpu;
  readonly clock: VirtualClock;
  readonly scheduler = new Scheduler();
  readonly pic: PicPair;
  readonly pit: Pit8254;
  readonly keyboard: Kbc8042;
  readonly vga: Vga;
  readonly cmos: Mc146818;
  readonly uart: Uart16550;
  readonly debugconsole: DebugConsole;
  readonly system: SystemPorts;
  /** Debug information of the booted kernel and its user programs (empty until `boot`). */
  debug: DebugInfo = DebugInfo.fromKernel(new Uint8Array(0));
  /** What `boot` was given ('elf', 'gzip-elf', 'floppy', 'multiboot-binary'), null before boot. */
  imageKind: ImageKind | null = null;
  /** One line about the booted image, e.g. "floppy image (kernel from boot/kernel.gz)". */
  imageDescription = '';
  /**
   * lprintf / sim_puts output: the first `logLength` entries of `logEntries`. Snapshots share the array
   * and note their length, so taking and restoring one costs nothing however long the log is; past a
   * restored length the array may hold another run's entries, which the next append or read cuts off
   * (into a copy: the snapshots still need them).
   */
  private logEntries: LogEntry[] = [];
  private logLength = 0;
  onLog: ((entry: LogEntry) => void) | null = null;
  /** What the sim-calls reported (booted, processes by CR3, tids, test reports). */
  simcalls: SimcallState = emptySimcallState();
  /**
   * Hears every interrupt and exception (set this, not `cpu.interruptObserver`, which the machine owns:
   * it forwards to this after noting Pebbles system calls).
   */
  interruptObserver: InterruptObserver | null = null;
  /** Vector of the last `int n` executed in user mode (a Pebbles system call), or -1. */
  lastUserSyscall = -1;
  private readonly snapshots: MemorySnapshots;
  private pendingStop: MachineStop | null = null;
  /** The bound of the run() in progress (idle-time skips never pass it). */
  private runEnd = 0;
  /** The guest idles in a jump-to-self loop: run the CPU in short probes to catch it (not state). */
  private spinning = false;
  /** The bound of the cpu.run() in progress (-Infinity when the CPU is not running). */
  private cpuBound = -Infinity;
  /** requestStop() was called (as opposed to the machine's own stop requests). */
  private stopAsked = false;
  private mode: TimerMode;

  constructor(options: MachineOptions = {}) {
    const memoryMB = options.memoryMB ?? 256;
    if (!Number.isInteger(memoryMB) || memoryMB < 2 || memoryMB > 2047) {
      throw new RangeError(`memoryMB must be an integer between 2 and 2047, got ${memoryMB}`);
    }
    this.memory = new PhysicalMemory(memoryMB * MB);
    this.snapshots = new MemorySnapshots(this.memory);
    this.cpu = new Cpu(this.memory, this.io);
    this.clock = new VirtualClock(options.instructionsPerSecond ?? DEFAULT_INSTRUCTIONS_PER_SECOND);
    const now = () => this.cpu.instructions;

    this.pic = new PicPair((level) => this.cpu.setIrqLine(level));
    this.cpu.interruptAck = () => this.pic.acknowledge();
    const pitTimer = this.scheduler.createTimer('pit', () => this.pit.timerFired());
    this.pit = new Pit8254(this.clock, now, pitTimer, () => this.pic.pulseIrq(0));
    const kbdTimer = this.scheduler.createTimer('keyboard', () => this.keyboard.timerFired());
    this.keyboard = new Kbc8042(kbdTimer, now, (level) => this.pic.setIrq(1, level), () => this.stopWith('reset'));
    this.vga = new Vga(this.memory);
    const rtcTimer = this.scheduler.createTimer('rtc', (at) => this.cmos.timerFired(at));
    this.cmos = new Mc146818(this.clock, now, this.memory.size, options.rtcEpoch ?? DEFAULT_RTC_EPOCH, {
      skipTo: (t) => this.skipIdleTime(t), timer: rtcTimer, setIrq: (level) => this.pic.setIrq(8, level),
    });
    this.uart = new Uart16550((level) => this.pic.setIrq(4, level));
    this.debugconsole = new DebugConsole();
    this.system = new SystemPorts(() => this.stopWith('reset'));
    const exit = new IsaDebugExit((status) => this.stopWith('exit', { exitCode: status }));
    const devices: PortDevice[] = [this.pic, this.pit, this.keyboard, this.vga, this.cmos, this.uart, this.debugconsole, this.system, exit];
    for (const device of devices) {
      device.attach(this.io);
    }
    this.cpu.magicHandler = () => this.magic();
    this.cpu.interruptObserver = {
      onInterrupt: (vector, errorCode, kind, eip) => {
        if (kind === 'software' && eip >= USER_MEM_START) this.lastUserSyscall = vector;
        this.interruptObserver?.onInterrupt(vector, errorCode, kind, eip);
      },
    };
    this.scheduler.onSchedule = (deadline) => {
      // A timer armed by the running guest before the CPU's bound: end the run there (not a caller's stop).
      if (deadline < this.cpuBound) this.cpu.requestStop();
    };
    this.mode = options.timerMode ?? 'free';
    this.pit.setIrqEnabled(this.mode === 'free');
  }

  /**
   * Boots a kernel image the way GRUB does: an ELF multiboot kernel, a gzip'd one, or a 15-410
   * bootfd.img floppy. Throws BootError with a message for the user on a bad image.
   */
  static boot(image: Uint8Array, options: MachineOptions = {}): Machine {
    const machine = new Machine(options);
    machine.loadKernel(image);
    return machine;
  }

  private loadKernel(image: Uint8Array): void {
    try {
      const kernel = openKernelImage(image);
      const boot = loadMultiboot(kernel.kernel, this.memory, { cmdline: kernel.cmdline });
      this.debug = DebugInfo.fromKernel(boot.elf ?? kernel.kernel);
      this.imageKind = kernel.kind;
      this.imageDescription = kernel.description;
      const cpu = this.cpu;
      cpu.setupFlatProtectedMode();
      cpu.eax = boot.eax;
      cpu.ebx = boot.ebx;
      cpu.eip = boot.entry;
    } catch (e) {
      if (e instanceof LoadError) throw new BootError(e.message, { cause: e });
      throw e;
    }
    this.leaveBiosState();
    // The BIOS leaves the text screen blank (spaces, light grey on black).
    const blank = new Uint8Array(80 * 25 * 2);
    for (let i = 0; i < blank.length; i += 2) {
      blank[i] = BLANK_CELL & 0xff;
      blank[i + 1] = BLANK_CELL >> 8;
    }
    this.memory.writeBytes(TEXT_BASE, blank);
  }

  /**
   * Device state as the PC BIOS leaves it when the boot loader starts the kernel (measured under QEMU 7.2
   * with SeaBIOS): PICs initialised at vectors 0x08/0x70 with IRQ 0, 1, 2, 6 (master) and 8, 12-14
   * (slave) unmasked; PIT channel 0 in mode 2 with count 65536 (the 18.2 Hz BIOS tick); 8042 command
   * byte 0x61 (translation, keyboard interrupt, mouse off). Programmed through the ports, as the BIOS does.
   */
  private leaveBiosState(): void {
    const io = this.io;
    for (const [port, value] of [
      [0x20, 0x11], [0x21, 0x08], [0x21, 0x04], [0x21, 0x01], [0xa0, 0x11], [0xa1, 0x70], [0xa1, 0x02], [0xa1, 0x01],
      [0x21, 0xb8], [0xa1, 0x8e],
      [0x43, 0x34], [0x40, 0x00], [0x40, 0x00],
      [0x64, 0x60], [0x60, 0x61],
    ]) {
      io.out8(port, value);
    }
  }

  /** Virtual time: instructions retired (plus idle time skipped in HLT). */
  get instructions(): number {
    return this.cpu.instructions;
  }

  get timerMode(): TimerMode {
    return this.mode;
  }

  /** 'explorer' stops PIT ticks from reaching IRQ0 (the explorer injects them); 'free' delivers them. */
  set timerMode(mode: TimerMode) {
    this.mode = mode;
    this.pit.setIrqEnabled(mode === 'free');
  }

  /** Raises an IRQ0 edge now (the CPU takes it at the next boundary if IF=1 and the PIC passes it). */
  injectTimerInterrupt(): void {
    this.pic.pulseIrq(0);
  }

  /** True if the next instruction is a jump to itself (`jmp .`: EB FE, or E9 with displacement -5). */
  private atSelfJump(): boolean {
    const cpu = this.cpu;
    const lin = (cpu.segBase[CS] + cpu.eip) >>> 0;
    const b0 = cpu.peekLinear8(lin);
    if (b0 === 0xeb) return cpu.peekLinear8((lin + 1) >>> 0) === 0xfe;
    if (b0 !== 0xe9 || !cpu.code32) return false;
    for (let i = 1; i <= 4; i++) if (cpu.peekLinear8((lin + i) >>> 0) !== (i === 1 ? 0xfb : 0xff)) return false;
    return true;
  }

  /**
   * Advances virtual time to `target` while the guest only polls (RTC poll skipping), never past the next
   * device event or the bound of the current run(), so no interrupt is delivered late.
   */
  private skipIdleTime(target: number): void {
    const to = Math.min(target, this.scheduler.nextDeadline(), this.runEnd);
    if (to > this.cpu.instructions) this.cpu.instructions = to;
  }

  /** Makes `run` return 'stop-requested' at the next instruction boundary (callable from hooks). */
  requestStop(): void {
    this.stopAsked = true;
    this.cpu.requestStop();
  }

  private stopWith(reason: StopReason, extra: Partial<MachineStop> = {}): void {
    if (!this.pendingStop) this.pendingStop = { reason, instructions: 0, ...extra };
    this.cpu.requestStop();
  }

  private stop(reason: StopReason, extra?: Partial<MachineStop>): MachineStop {
    return extra ? { reason, ...extra, instructions: this.cpu.instructions } : { reason, instructions: this.cpu.instructions };
  }

  /**
   * Runs at most `maxInstructions` more instructions (a number >= 0; Infinity runs until a stop); see
   * StopReason for why it returns earlier.
   */
  run(maxInstructions: number): MachineStop {
    if (!(maxInstructions >= 0)) throw new RangeError(`run() needs a number of instructions >= 0, got ${maxInstructions}`);
    const cpu = this.cpu;
    const end = cpu.instructions + Math.max(0, Math.floor(maxInstructions));
    this.runEnd = end;
    for (;;) {
      if (this.pendingStop) {
        const { reason, ...extra } = this.pendingStop;
        this.pendingStop = null;
        return this.stop(reason, extra);
      }
      const now = cpu.instructions;
      const deadline = this.scheduler.nextDeadline();
      if (deadline <= now) {
        this.scheduler.runDue(now);
        continue;
      }
      if (now >= end) return this.stop('limit');
      this.cpuBound = Math.min(end, deadline, this.spinning ? now + SPIN_PROBE : Infinity);
      const result = cpu.run(this.cpuBound);
      this.cpuBound = -Infinity;
      switch (result) {
        case 'limit':
          if (this.atSelfJump()) {
            // `jmp .` changes nothing but the instruction count: skip to where spinning would get to,
            // exactly as for HLT. With IF=0 nothing can ever leave it.
            if ((cpu.eflags & FLAG_IF) === 0) return this.stop('halted');
            if (this.pic.intr) break;
            this.spinning = true;
            const next = this.scheduler.nextDeadline();
            if (next === Infinity) return this.stop('idle');
            cpu.instructions = Math.min(end, next);
          } else if (cpu.instructions >= deadline) {
            this.spinning = false; // a whole timer period without returning to the loop
          }
          break;
        case 'halt': {
          const next = this.scheduler.nextDeadline(); // the guest may have armed a timer while running
          if (next === Infinity) return this.stop('idle');
          cpu.instructions = Math.min(end, next); // nothing happens until the next event
          break;
        }
        case 'halt-forever':
          return this.stop('halted');
        case 'triple-fault':
          return this.stop('triple-fault');
        case 'stop-requested':
          if (this.stopAsked) {
            this.stopAsked = false;
            return this.stop('stop-requested');
          }
          break; // the machine's own request: a pending stop (returned above) or a timer armed early
        case 'watch':
          return { reason: 'watch', address: (cpu.segBase[CS] + cpu.eip) >>> 0, instructions: cpu.instructions };
        case 'unsupported':
          return this.stop('unsupported', { message: cpu.unsupportedReason });
      }
    }
  }

  // ---------------------------------------------------------------- sim-calls

  private magic(): void {
    const cpu = this.cpu;
    const result = dispatchSimcall(
      {
        ebx: cpu.ebx, ecx: cpu.ecx, edx: cpu.edx, cpl: cpu.cpl, memoryKB: this.memory.size >>> 10,
        setEax: (v) => { cpu.eax = v; },
        readString: (linear, max) => this.readString(linear, max),
      },
      this.simcalls,
      {
        log: (source, text) => {
          const entry = { source, text, instructions: cpu.instructions };
          this.ownLog().push(entry);
          this.logLength++;
          this.onLog?.(entry);
        },
        stop: (reason) => this.stopWith(reason),
      },
    );
    this.simcalls = result.state;
  }

  /** NUL-terminated string at a linear address of the current address space (stops at unmapped memory). */
  readString(linear: number, max = 4096): string {
    let text = '';
    for (let i = 0; i < max; i++) {
      const phys = this.cpu.peekTranslate((linear + i) >>> 0);
      if (phys < 0) break;
      const c = this.memory.read8(phys);
      if (c === 0) break;
      text += String.fromCharCode(c);
    }
    return text;
  }

  /** Bytes at a linear address through the current page tables, or null if any page is unmapped. */
  readLinear(linear: number, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const phys = this.cpu.peekTranslate((linear + i) >>> 0);
      if (phys < 0 || phys >= this.memory.size) return null;
      out[i] = this.memory.bytes[phys];
    }
    return out;
  }

  /** The little-endian dword at `linear` through the current page tables, or null if unmapped; like `readLinear` without allocating. */
  readonly readLinear32 = (linear: number): number | null => {
    const phys = (linear & 0xfff) <= 0xffc ? this.cpu.peekTranslate(linear) : -1;
    if (phys >= 0 && phys + 4 <= this.memory.size) return this.memory.read32(phys);
    const b = this.readLinear(linear, 4);
    return b ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : null;
  };

  /** The user program registered (sim_reg_process) for the current CR3, or null. */
  get currentProgram(): string | null {
    const cr3 = this.cpu.cr3 >>> 0;
    return this.simcalls.processes.find(([c]) => c === cr3)?.[1] ?? null;
  }

  /**
   * Symbol and source line of an address. User addresses resolve in the program registered for the current
   * CR3 (sim_reg_process), or else in the embedded program whose code is at that address in memory.
   */
  locate(address: number): Location {
    const user = address >>> 0 >= USER_MEM_START;
    const program = this.currentProgram ?? (user ? this.debug.identifyProgram(address, this.readLinear32) : null);
    return this.debug.locate(address, program);
  }

  /** Stack trace from the current registers, kernel and user, through interrupt frames. */
  stackTrace(): StackFrame[] {
    const cpu = this.cpu;
    return walkStack(
      { eip: (cpu.segBase[CS] + cpu.eip) >>> 0, esp: cpu.esp, ebp: cpu.ebp, cs: cpu.segSel[CS] },
      this.readLinear32, this.debug, { program: this.currentProgram },
    );
  }

  // ---------------------------------------------------------------- screen and input

  screen(): Screen {
    return this.vga.screen();
  }

  /** The screen's rows joined by '\n' (`screen().rows.join('\n')`) without building its cells and cursor. */
  screenText(): string {
    return this.vga.text();
  }

  screenChanged(): boolean {
    return this.vga.screenChanged();
  }

  /** Port 0xE9 output. */
  get debugcon(): string {
    return this.debugconsole.text;
  }

  /**
   * True when everything typed has been read and the guest waits: halted with interrupts on, or it
   * polled the keyboard status port recently and found nothing.
   */
  waitingForInput(): boolean {
    if (!this.keyboard.inputDrained) return false;
    const cpu = this.cpu;
    if (cpu.halted && (cpu.eflags & FLAG_IF) !== 0) return true;
    const poll = this.keyboard.lastEmptyPoll;
    return poll >= 0 && cpu.instructions - poll <= POLL_WAIT_WINDOW;
  }

  // ---------------------------------------------------------------- snapshots

  private deviceStates(): DeviceStates {
    return {
      pic: this.pic.saveState(), pit: this.pit.saveState(), kbc: this.keyboard.saveState(), vga: this.vga.saveState(),
      cmos: this.cmos.saveState(), uart: this.uart.saveState(), system: this.system.saveState(),
    };
  }

  /** lprintf / sim_puts output, oldest first. */
  get log(): readonly LogEntry[] {
    return this.ownLog();
  }

  /** The log's array cut to this machine's entries (copied when it holds another run's beyond them). */
  private ownLog(): LogEntry[] {
    if (this.logEntries.length !== this.logLength) this.logEntries = this.logEntries.slice(0, this.logLength);
    return this.logEntries;
  }

  /** Captures the whole machine; cost proportional to pages written since the last snapshot/restore. */
  snapshot(): MachineSnapshot {
    return {
      memory: this.snapshots.take(),
      cpu: this.cpu.saveState(),
      devices: this.deviceStates(),
      scheduler: this.scheduler.saveState(),
      simcalls: this.simcalls,
      lastUserSyscall: this.lastUserSyscall,
      log: { entries: this.logEntries, length: this.logLength },
      debugcon: this.debugconsole.text,
      uartText: this.uart.transmitted,
      instructions: this.cpu.instructions,
    };
  }

  /** Returns the machine to a snapshot (any live one). The timer mode setting is kept. */
  restore(s: MachineSnapshot): void {
    this.snapshots.restore(s.memory);
    this.cpu.loadState(s.cpu);
    const d = s.devices;
    this.pit.loadState(d.pit);
    this.keyboard.loadState(d.kbc);
    this.vga.loadState(d.vga);
    this.cmos.loadState(d.cmos);
    this.uart.loadState(d.uart);
    this.system.loadState(d.system);
    this.pic.loadState(d.pic); // last: re-drives the CPU's INTR line from the restored PIC
    this.scheduler.loadState(s.scheduler);
    this.pit.setIrqEnabled(this.mode === 'free');
    this.simcalls = s.simcalls;
    this.lastUserSyscall = s.lastUserSyscall;
    this.logEntries = s.log.entries as LogEntry[];
    this.logLength = s.log.length;
    this.debugconsole.text = s.debugcon;
    this.uart.transmitted = s.uartText;
    this.pendingStop = null;
    this.stopAsked = false; // cpu.loadState dropped the CPU's stop request too
  }

  /** A hash of the whole machine state (CPU, devices, timers, sim-call tables, memory); memory is hashed incrementally. */
  stateHash(): string {
    const [m1, m2] = this.snapshots.hash();
    const [s1, s2] = hashState([this.cpu.saveState(), this.deviceStates(), this.scheduler.saveState(), this.simcalls, this.lastUserSyscall]);
    return hex8(s1) + hex8(s2) + hex8(m1) + hex8(m2);
  }
}
