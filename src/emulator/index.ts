// The emulator's public entry: everything the explorer, the workers and the CLI may use. Other layers
// import only this file (eslint enforces it). Described in docs/emulator.md.

export { Machine, BootError } from './machine.ts';
export type { MachineOptions, MachineSnapshot, MachineStop, StopReason, TimerMode, LogEntry } from './machine.ts';
export { DEFAULT_INSTRUCTIONS_PER_SECOND } from './time/clock.ts';
export { COLUMNS, ROWS, TEXT_BASE, trimRow } from './devices/vga.ts';
export type { Cursor, Screen } from './devices/vga.ts';
export { KEY_NAMES, textToScanCodes } from './devices/scancodes.ts';
export { PIT_HZ } from './devices/pit8254.ts';
export type { SimcallState, TestReport } from './simcall.ts';
export {
  SIM_BOOTED, SIM_BREAKPOINT, SIM_HALT, SIM_IN_SIMICS, SIM_MEMSIZE, SIM_PUTS, SIM_REG_CHILD, SIM_REG_PROCESS,
  SIM_TEST_REPORT, SIM_TID_DEL, SIM_TID_SET, SIM_UNREG_PROCESS,
} from './simcall.ts';
export type { Cpu, DisassembledInsn, InterruptKind, InterruptObserver, MemoryObserver } from './cpu/cpu.ts';
export type { CpuState } from './cpu/state.ts';
export { DebugInfo, USER_MEM_START } from './debug/debug-info.ts';
export type { Location, ModuleDebug, UserProgram } from './debug/debug-info.ts';
export { formatFrame, walkStack } from './debug/stack-walk.ts';
export type { StackFrame } from './debug/stack-walk.ts';
export { SymbolTable } from './debug/symbols.ts';
export type { SymbolInfo, SymbolMatch } from './debug/symbols.ts';
export { LoadError } from './loader/load-error.ts';
export { openKernelImage } from './loader/image.ts';
export type { ImageKind } from './loader/image.ts';
export { PAGE_SIZE } from './memory/physical-memory.ts';
export { inPanic, runWithInput } from './machine-run.ts';
export type { RunWithInputOptions } from './machine-run.ts';
export { isPebblesSyscall, SYSCALL_GETTID, SYSCALL_READLINE } from './pebbles-syscalls.ts';
