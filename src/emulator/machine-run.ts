// Running a machine the way a user at the console would: type text a line at a time whenever the
// kernel waits for keyboard input, and stop when it stops or waits with nothing left to type. Used by
// `faultline boot` and by anyone who needs "boot to the prompt, type the test name".
// "Waits for input" = Machine.waitingForInput() (HLT with interrupts on, or polling the 8042 with nothing
// typed) held with the screen unchanged: for SETTLE instructions when the last Pebbles system call made
// from user space was readline (int $0x4D) or getchar (int $0x4C), for SETTLE_UNSURE after any other
// system call (an idle HLT may also be a sleeping test: sleep_test must not be mistaken for a prompt), and
// for SETTLE_NO_USER when no user-mode system call was ever seen (kernels without a Pebbles user space). A kernel that neither halts
// nor polls (an idle loop that spins) counts as waiting while in readline/getchar, or else after QUIET
// instructions of unchanged screen with the keyboard drained.
// The machine notes the last user-mode `int n` (Machine.lastUserSyscall).

import { CS } from './cpu/state.ts';
import { textToScanCodes } from './devices/scancodes.ts';
import type { Machine, MachineStop } from './machine.ts';
import { SYSCALL_GETCHAR, SYSCALL_READLINE } from './pebbles-syscalls.ts';

export interface RunWithInputOptions {
  /** Text to type ('\n' presses Enter); each line goes in at the next input wait. */
  type?: string;
  /** Instruction budget (default 1e10). */
  maxInstructions?: number;
}

/** Instructions per run slice between checks for input waits. */
const SLICE = 1_000_000;
/** The kernel must wait this long (virtual instructions, screen unchanged) before we type or stop idle. */
const SETTLE = 10_000_000;
/** The same when the last system call was not a keyboard read (3 virtual seconds: HLT skipping makes it cheap). */
const SETTLE_UNSURE = 3_000_000_000;
/** The same when no user-mode system call was seen at all (not a Pebbles kernel, or before user space). */
const SETTLE_NO_USER = 100_000_000;
/** A kernel that neither halts nor polls is taken as waiting after this long with a quiet screen. */
const QUIET = 500_000_000;

/** Splits typed text into the lines fed one per input wait (each keeps its newline). */
function typedLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * Runs a booted machine until it stops, typing `type` line by line as the kernel asks for input. Returns
 * the machine's stop, or 'idle' when the kernel waits for input and nothing is left to type, or 'limit'.
 * Throws RangeError if the text has a character no key types.
 */
export function runWithInput(machine: Machine, options: RunWithInputOptions = {}): MachineStop {
  const lines = typedLines(options.type ?? '');
  textToScanCodes(options.type ?? ''); // reject untypeable text before running
  return runLines(machine, lines, options.maxInstructions ?? 1e10);
}

function runLines(machine: Machine, lines: string[], budget: number): MachineStop {
  const limit = machine.instructions + budget;
  let quietSince = machine.instructions;
  let waitingSince = -1;
  // Our own copy of the screen (not machine.screenChanged(), whose flag belongs to the UI's frames).
  let lastCells = machine.vga.cells();
  for (;;) {
    const left = limit - machine.instructions;
    if (left <= 0) return { reason: 'limit', instructions: machine.instructions };
    const stop = machine.run(Math.min(left, SLICE));
    if (stop.reason !== 'limit' && stop.reason !== 'idle') return stop;
    const now = machine.instructions;
    const cells = machine.vga.cells();
    if (cells.some((c, i) => c !== lastCells[i])) {
      lastCells = cells;
      quietSince = now;
      waitingSince = -1;
    }
    const syscall = machine.lastUserSyscall;
    const inKeyboardSyscall = syscall === SYSCALL_GETCHAR || syscall === SYSCALL_READLINE;
    // A kernel whose idle loop spins (no HLT) still shows the wait through the readline/getchar call.
    const waiting = stop.reason === 'idle' || machine.waitingForInput()
      || (machine.keyboard.inputDrained && (inKeyboardSyscall || now - quietSince >= QUIET));
    if (!waiting) {
      waitingSince = -1;
      continue;
    }
    if (waitingSince < 0) waitingSince = now;
    const settle = inKeyboardSyscall ? SETTLE : syscall < 0 ? SETTLE_NO_USER : SETTLE_UNSURE;
    if (now - waitingSince < settle && stop.reason !== 'idle') continue;
    const line = lines.shift();
    if (line === undefined) return { reason: 'idle', instructions: now };
    machine.keyboard.typeText(line);
    waitingSince = -1;
  }
}

/** Kernel functions that halt or spin when the kernel gives up (15-410 `panic`, and common variants). */
const PANIC_FUNCTIONS = new Set(['panic', '_panic', 'kernel_panic', 'debug_panic']);

/** True when the kernel is inside its panic function (found on the current stack), e.g. after 'halted'. */
export function inPanic(machine: Machine): boolean {
  const cpu = machine.cpu;
  // After HLT, EIP is past it: a `hlt` that ends the function shows as the byte before.
  if (cpu.halted && isPanic(machine.locate((cpu.segBase[CS] + cpu.eip - 1) >>> 0).name)) return true;
  return machine.stackTrace().some((frame) => isPanic(frame.name));
}

function isPanic(name: string | null): boolean {
  return name !== null && PANIC_FUNCTIONS.has(name);
}
