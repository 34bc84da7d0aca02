// What a differential-test form is: one instruction encoding (opcode, operand size, operand kinds) and a
// builder that emits it with random operands into a CaseBuilder. Form names follow the Intel opcode-map
// operand notation joined with dots: E = ModRM r/m, G = ModRM reg, I = immediate, b/w/d = 8/16/32 bits
// (e.g. `add.Ew.Ib` is 66 83 /0 ib). The `--form` filter of the fuzz script matches these names.
import type { CaseBuilder, Operand, Size } from './case-builder.ts';

export interface Form {
  readonly name: string;
  /** Cases may fault by design (privileged or trapping instructions); all others must run to the end. */
  readonly mayFault?: boolean;
  /** The outcome depends on CPL 3 (POPF's IF/IOPL rules...): not run at CPL 0. Forms that may fault are too. */
  readonly userModeOnly?: boolean;
  build(g: CaseBuilder): void;
}

/** Whether a form's cases mean the same at CPL 0 as at CPL 3 (see EmulatorRunner's `cpl`). */
export function privilegeNeutral(form: Form): boolean {
  return !form.mayFault && !form.userModeOnly;
}

export const SIZES = [8, 16, 32] as const;
export const WIDE_SIZES = [16, 32] as const;
export const SIZE_LETTER: Record<Size, string> = { 8: 'b', 16: 'w', 32: 'd' };
/** Accumulator name per size, as used in form names. */
export const ACC_NAME: Record<Size, string> = { 8: 'AL', 16: 'AX', 32: 'EAX' };

/** The 8-bit register number of AH (ModRM reg 4 at byte size). */
export const AH = 4;

/** Adds a LOCK prefix now and then when the destination is in memory (the only case where it is legal). */
export function maybeLock(g: CaseBuilder, dest: Operand): void {
  if (dest.kind === 'mem' && g.rng.chance(0.125)) g.emit(0xf0);
}

/** Adds a DS, ES or SS segment-override prefix now and then to a memory operand (all flat here). */
export function maybeSegment(g: CaseBuilder, op: Operand): void {
  if (op.kind === 'mem') maybeSegmentPrefix(g);
}

/** The same for instructions with an implicit DS-relative memory operand (XLAT, string sources). */
export function maybeSegmentPrefix(g: CaseBuilder): void {
  if (g.rng.chance(0.1)) g.emit(g.rng.pick([0x26, 0x36, 0x3e]));
}
