// One booted guest in the worker and its run loop. The guest runs at full speed in slices of a few
// milliseconds of wall time, each made of machine.run() chunks sized to take about a millisecond; between
// slices the loop yields to the worker's event loop so that commands (pause, keys, memory reads) get in,
// and the update batcher sends the screen, log and status at most once per display frame. While the
// guest only waits for input the loop runs with a low duty cycle; when it idles with nothing to come it
// sleeps until a key arrives. Stops (pause, step, run-to, MAGIC_BREAK, halt, triple fault...) send an
// inspection of the stopped guest at once.
import type { RunState, StopInfo, StopReason } from '../protocol.ts';
import type { GuestMachine, GuestStop } from './guest.ts';
import { inspect, linearEip, symbolText } from './inspect.ts';
import { MipsMeter } from './mips-meter.ts';
import type { SourceLibrary } from './source-library.ts';
import type { UpdateBatcher } from './update-batcher.ts';

/** Wall time of one run slice before the loop yields. */
export const SLICE_MS = 8;
/** While the guest only waits for input: shorter slices and a pause between them (keeps the host cool;
 * idle virtual time is skipped, so sleeping guest threads still wake promptly). */
export const WAITING_SLICE_MS = 2;
export const WAITING_PAUSE_MS = 16;
const CHUNK_TARGET_MS = 1;
/** While the state stays the same, the status goes out at most this often (the screen goes every frame). */
export const STATUS_INTERVAL_MS = 100;
const MIN_CHUNK = 1_000;
const MAX_CHUNK = 5_000_000;

export interface SessionHost {
  now(): number;
  /** Resolves after the worker's event loop has had a turn (`ms` = 0: as soon as possible). */
  pause(ms: number): Promise<void>;
  batcher: UpdateBatcher;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

type Goal = { kind: 'free' } | { kind: 'over'; address: number; esp: number; added: boolean } | { kind: 'to'; address: number; added: boolean };

export class GuestSession {
  private state: RunState = 'paused';
  private stop: StopInfo | null = null;
  private goal: Goal = { kind: 'free' };
  private pauseRequested = false;
  private generation = 0;
  private chunk = 50_000;
  private runMs = 0;
  private lastStatus = { state: 'empty' as RunState, at: -Infinity };
  private readonly meter: MipsMeter;

  constructor(
    readonly machine: GuestMachine,
    private readonly host: SessionHost,
    private readonly sources: SourceLibrary,
  ) {
    this.meter = new MipsMeter(host.now);
    machine.onLog = (entry) => host.batcher.addLog([{ source: entry.source, text: entry.text }]);
  }

  get runState(): RunState {
    return this.state;
  }

  /** Stops the loop for good (another image is being loaded, or the session is reset). */
  dispose(): void {
    this.generation++;
    this.machine.onLog = null;
    this.clearGoal();
  }

  run(): void {
    if (this.state !== 'paused') return;
    this.goal = { kind: 'free' };
    this.start();
  }

  pause(): void {
    if (this.state === 'running') this.pauseRequested = true;
    else if (this.state === 'waiting') this.halt('pause', 'Paused');
  }

  /** One instruction. A CPU waiting in HLT first skips to the next device event (its interrupt). */
  stepInto(): void {
    if (this.state !== 'paused') return;
    const result = this.guarded(() => {
      const { cpu, scheduler } = this.machine;
      const next = scheduler.nextDeadline();
      if (cpu.halted && next !== Infinity && next > this.machine.instructions) this.machine.run(next - this.machine.instructions);
      return this.machine.run(1);
    });
    if (result === null) return;
    if (result.reason === 'limit' || result.reason === 'watch' || result.reason === 'idle') this.halt('step', 'Stepped');
    else this.stopped(result);
  }

  stepOver(): void {
    if (this.state !== 'paused') return;
    const eip = linearEip(this.machine);
    const [insn] = this.machine.cpu.disassemble(eip, 1, 'att');
    if (!/^l?call/.test(insn.text)) return this.stepInto();
    const address = (eip + insn.bytes.length) >>> 0;
    this.goal = { kind: 'over', address, esp: this.machine.cpu.saveState().regs[4] >>> 0, added: this.watch(address) };
    this.start();
  }

  runTo(address: number): void {
    if (this.state !== 'paused') return;
    this.goal = { kind: 'to', address, added: this.watch(address) };
    this.start();
  }

  /** Input wakes a guest that idles with nothing else to do. */
  inputArrived(): void {
    if (this.state === 'waiting') this.start();
  }

  /** Reports the current status (and inspection when stopped) right away. */
  announce(): void {
    if (this.state === 'paused' || this.state === 'stopped') {
      try {
        this.host.batcher.setInspection(inspect(this.machine, this.sources));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (this.stop) this.stop = { ...this.stop, message: `${this.stop.message} (the guest could not be inspected: ${reason})` };
      }
    }
    this.publishStatus();
    this.host.batcher.screenChanged();
    this.host.batcher.flush(true);
  }

  private watch(address: number): boolean {
    const watches = this.machine.cpu.execWatch;
    if (watches.has(address)) return false;
    watches.add(address);
    return true;
  }

  private clearGoal(): void {
    if (this.goal.kind !== 'free' && this.goal.added) this.machine.cpu.execWatch.delete(this.goal.address);
    this.goal = { kind: 'free' };
  }

  private start(): void {
    this.state = 'running';
    this.stop = null;
    this.pauseRequested = false;
    this.meter.restart(this.machine.instructions);
    this.publishStatus();
    this.host.batcher.flush(true);
    void this.loop(++this.generation);
  }

  private async loop(generation: number): Promise<void> {
    while (generation === this.generation && (this.state === 'running' || this.state === 'waiting')) {
      const end = this.host.now() + (this.state === 'waiting' ? WAITING_SLICE_MS : SLICE_MS);
      let result: GuestStop | null = null;
      do {
        if (this.pauseRequested) {
          this.halt('pause', 'Paused');
          return;
        }
        const started = this.host.now();
        const stop = this.guarded(() => this.machine.run(this.chunk));
        if (stop === null) return;
        const elapsed = this.host.now() - started;
        this.runMs += elapsed;
        this.resize(elapsed);
        if (stop.reason !== 'limit') result = stop;
      } while (result === null && this.host.now() < end);
      if (this.machine.screenChanged()) this.host.batcher.screenChanged();
      if (result && !this.continues(result)) return;
      if (result?.reason === 'idle') {
        this.state = 'waiting';
        this.publishStatus();
        this.host.batcher.flush(true);
        return; // inputArrived() restarts the loop
      }
      this.state = this.machine.waitingForInput() ? 'waiting' : 'running';
      this.publishStatus(false);
      this.host.batcher.flush();
      await this.host.pause(this.state === 'waiting' ? WAITING_PAUSE_MS : 0);
    }
  }

  /** Handles a stop inside the loop; returns whether the loop goes on. */
  private continues(result: GuestStop): boolean {
    if (result.reason === 'idle') return true;
    if (result.reason === 'watch' && this.goal.kind !== 'free' && result.address === this.goal.address) {
      if (this.goal.kind === 'over' && this.machine.cpu.saveState().regs[4] >>> 0 < this.goal.esp) return true; // a deeper recursion
      this.halt(this.goal.kind === 'over' ? 'step' : 'target', this.goal.kind === 'over' ? 'Stepped over the call' : 'Reached the run-to target');
      return false;
    }
    if (result.reason === 'stop-requested') {
      this.halt('pause', 'Paused');
      return false;
    }
    this.stopped(result);
    return false;
  }

  private stopped(result: GuestStop): void {
    const where = this.where();
    const ud = this.machine.cpu.lastUndefinedOpcode;
    const udText = ud ? ` (last #UD: ${hex(ud.address)}, bytes ${ud.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')})` : '';
    const table: Record<string, [StopReason, string, boolean]> = {
      'magic-break': ['magic-break', `MAGIC_BREAK at ${where}`, true],
      watch: ['target', `Exec watch hit at ${where}`, true],
      halted: ['halted', `The guest halted with interrupts off (cli; hlt) at ${where}`, false],
      'sim-halt': ['sim-halt', `The guest asked the simulator to halt at ${where}`, false],
      exit: ['exit', `The guest exited with code ${result.exitCode ?? '?'}`, false],
      reset: ['reset', `The guest asked for a CPU reset at ${where}`, false],
      'triple-fault': [ud ? 'undefined-opcode' : 'triple-fault', `Triple fault at ${where}${udText}`, false],
      unsupported: ['undefined-opcode', `The emulator cannot execute the instruction at ${where}: ${result.message ?? 'unsupported'}`, false],
    };
    const [reason, message, resumable] = table[result.reason] ?? ['error', `Unexpected stop ${result.reason} at ${where}`, false];
    this.halt(reason, message, resumable ? 'paused' : 'stopped');
  }

  private where(): string {
    const eip = linearEip(this.machine);
    const symbol = symbolText(this.machine.locate(eip));
    return symbol ? `${hex(eip)} <${symbol}>` : hex(eip);
  }

  private halt(reason: StopReason, message: string, state: RunState = 'paused'): void {
    this.generation++;
    this.clearGoal();
    this.state = state;
    const eip = linearEip(this.machine);
    this.stop = { reason, message: reason === 'pause' || reason === 'step' || reason === 'target' ? `${message} at ${this.where()}` : message, eip };
    if (this.machine.screenChanged()) this.host.batcher.screenChanged();
    this.announce();
  }

  /** Runs emulator code; an exception is an emulator bug, reported as a stop with its message. */
  private guarded(fn: () => GuestStop): GuestStop | null {
    try {
      return fn();
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.halt('error', `The emulator failed: ${message}`, 'stopped');
      return null;
    }
  }

  private resize(elapsedMs: number): void {
    const factor = elapsedMs > 0 ? CHUNK_TARGET_MS / elapsedMs : 2;
    this.chunk = Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, this.chunk * Math.min(2, Math.max(0.5, factor)))));
  }

  /** Queues the status for the UI; unless `force`d or the state changed, at most every STATUS_INTERVAL_MS. */
  private publishStatus(force = true): void {
    const now = this.host.now();
    if (!force && this.state === this.lastStatus.state && now - this.lastStatus.at < STATUS_INTERVAL_MS) return;
    this.lastStatus = { state: this.state, at: now };
    const running = this.state === 'running' || this.state === 'waiting';
    this.host.batcher.setStatus({
      state: this.state,
      instructions: this.machine.instructions,
      mips: running ? this.meter.sample(this.machine.instructions) : 0,
      runMs: this.runMs,
      stop: this.stop,
    });
  }
}
