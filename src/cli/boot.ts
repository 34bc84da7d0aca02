// `faultline boot <kernel | bootfd.img> [--type TEXT] [--max-instructions N] [--screen] [--log] [--json]`:
// boots a kernel (a file, or a bundled sample's name) headless in our machine, types the given text line by line whenever the kernel waits for
// keyboard input, and reports the final 80x25 screen, the kernel log (lprintf) and why it stopped.
// It stops at cli;hlt ('halted', or 'panic' when the halt is inside the kernel's panic function), a triple
// fault, MAGIC_BREAK, the halt sim-call, the exit port, the instruction limit, or when the kernel waits for
// input with nothing left to type ('idle').
// Exit status: 0 for those normal stops, 1 when the kernel panicked or the machine died (triple fault,
// CPU reset request, something the CPU does not emulate, an emulator defect), 2 for bad usage or a bad
// image (with a message).

import { BootError, inPanic, Machine, type MachineStop, runWithInput, textToScanCodes, trimRow } from '../emulator/index.ts';
import { loadKernel, UsageError } from './explore-common.ts';

/** Default budget: 4 virtual seconds (idle time in HLT is skipped, so this is mostly real work). */
const DEFAULT_MAX = 4e9;

export const BOOT_USAGE = `usage: faultline boot <kernel | bootfd.img> [options]

Boots a 15-410 kernel (multiboot ELF, kernel.gz or bootfd.img, or the name of a bundled sample such as
pebbles) headless and prints the screen, the kernel log and how it stopped.

options:
  --type TEXT             text to type, a line at a time, whenever the kernel waits for input
                          (escapes: \\n Enter, \\t Tab, \\b Backspace, \\\\ backslash); may repeat
  --max-instructions N    stop after N instructions (default ${DEFAULT_MAX})
  --screen                print the screen (default: screen and log)
  --log                   print the kernel log
  --json                  print {"stop", "instructions", "screen": [25 rows], "log": [...], "debugcon"}
                          (+ "exitCode" for the exit port, "serial" when COM1 was written)
`;

/** Outcome of a boot run (what --json prints). */
export interface BootResult {
  stop: string;
  instructions: number;
  exitCode?: number;
  message?: string;
  screen: string[];
  log: string[];
  debugcon: string;
  /** COM1 output, only when the kernel wrote any. */
  serial?: string;
}

/** Interprets the --type escapes. */
export function unescapeTyped(text: string): string {
  return text.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', b: '\b', '\\': '\\' })[c] ?? `\\${c}`);
}

/** The result record of a finished run. */
export function bootResult(machine: Machine, stop: MachineStop): BootResult {
  return {
    stop: stop.reason === 'halted' && inPanic(machine) ? 'panic' : stop.reason,
    instructions: stop.instructions,
    ...(stop.exitCode !== undefined ? { exitCode: stop.exitCode } : {}),
    ...(stop.message !== undefined ? { message: stop.message } : {}),
    screen: machine.screen().rows.map(trimRow),
    log: machine.log.map((e) => (e.source === 'user' ? `[user] ${e.text}` : e.text)),
    debugcon: machine.debugcon,
    ...(machine.uart.transmitted !== '' ? { serial: machine.uart.transmitted } : {}),
  };
}

const FAILED_STOPS = new Set(['triple-fault', 'reset', 'unsupported', 'panic']);

interface ParsedArgs {
  image: string;
  type: string;
  maxInstructions: number;
  screen: boolean;
  log: boolean;
  json: boolean;
}

function parseArgs(args: string[]): ParsedArgs | string {
  const parsed: ParsedArgs = { image: '', type: '', maxInstructions: DEFAULT_MAX, screen: false, log: false, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | null => (i + 1 < args.length ? args[++i] : null);
    switch (a) {
      case '--type': {
        const v = value();
        if (v === null) return '--type needs a value';
        parsed.type += unescapeTyped(v);
        break;
      }
      case '--max-instructions': {
        const v = value();
        const n = v === null ? NaN : Number(v.replace(/_/g, ''));
        if (!Number.isSafeInteger(n) || n <= 0) return `--max-instructions needs a positive integer, got ${v ?? 'nothing'}`;
        parsed.maxInstructions = n;
        break;
      }
      case '--screen': parsed.screen = true; break;
      case '--log': parsed.log = true; break;
      case '--json': parsed.json = true; break;
      default:
        if (a.startsWith('-')) return `unknown option ${a}`;
        if (parsed.image) return `only one image, got ${parsed.image} and ${a}`;
        parsed.image = a;
    }
  }
  if (!parsed.image) return 'no kernel image given';
  return parsed;
}

/** `faultline boot ...`: returns the exit status. */
export async function bootCommand(args: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    out(BOOT_USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    err(`faultline boot: ${parsed}\n\n${BOOT_USAGE}`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = loadKernel(parsed.image).bytes;
  } catch (e) {
    err(e instanceof UsageError ? `faultline boot: ${e.message}\n` : `faultline boot: cannot read ${parsed.image}: ${(e as Error).message}\n`);
    return 2;
  }
  let machine: Machine;
  try {
    machine = Machine.boot(bytes);
  } catch (e) {
    if (e instanceof BootError) {
      err(`faultline boot: ${parsed.image}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    textToScanCodes(parsed.type);
  } catch (e) {
    err(`faultline boot: --type: ${(e as Error).message}\n`);
    return 2;
  }
  let stop: MachineStop;
  try {
    stop = runWithInput(machine, { type: parsed.type, maxInstructions: parsed.maxInstructions });
  } catch (e) {
    // An emulator defect, not the user's fault: say so instead of crashing with a stack trace.
    err(`faultline boot: the emulator failed after ${machine.instructions} instructions: ${(e as Error).message}\n`);
    return 1;
  }
  const result = bootResult(machine, stop);
  if (parsed.json) {
    out(`${JSON.stringify(result)}\n`);
  } else {
    const both = !parsed.screen && !parsed.log;
    if (parsed.screen || both) {
      const rows = [...result.screen];
      while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
      out(`${rows.join('\n')}\n`);
    }
    if (parsed.log || both) {
      out(`--- kernel log (${result.log.length} lines) ---\n`);
      for (const line of result.log) out(`${line}\n`);
    }
    if (result.debugcon !== '') out(`--- port 0xE9 ---\n${result.debugcon}${result.debugcon.endsWith('\n') ? '' : '\n'}`);
    if (result.serial) out(`--- COM1 ---\n${result.serial}${result.serial.endsWith('\n') ? '' : '\n'}`);
    const detail = result.exitCode !== undefined ? ` (exit code ${result.exitCode})` : result.message ? ` (${result.message})` : '';
    out(`--- stopped: ${result.stop}${detail} after ${result.instructions} instructions ---\n`);
  }
  return FAILED_STOPS.has(result.stop) ? 1 : 0;
}
