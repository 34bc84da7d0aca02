// Chooses the instructions to show around EIP. x86 code cannot be decoded backwards, so the window starts
// at the enclosing function when that is near, or else at the nearest earlier address whose forward
// decoding lands exactly on EIP; it then shows a few instructions before EIP and more after it.

export interface Insn {
  address: number;
  bytes: number[];
  text: string;
}

export type Disassembler = (linear: number, count: number) => Insn[];

/** How far back from EIP to look for a decoding that reaches it. */
const LOOKBACK_BYTES = 40;

export interface DisassemblyWindow {
  lines: Insn[];
  /** Index of the instruction at EIP. */
  current: number;
}

export function disassemblyWindow(disassemble: Disassembler, eip: number, functionStart: number | null, before = 6, after = 18): DisassemblyWindow {
  const starts: number[] = [];
  if (functionStart !== null && functionStart <= eip && eip - functionStart <= 4 * LOOKBACK_BYTES) starts.push(functionStart);
  for (let back = LOOKBACK_BYTES; back > 0; back--) if (eip - back >= 0) starts.push(eip - back);
  for (const start of starts) {
    const decoded = disassemble(start, 4 * LOOKBACK_BYTES);
    const index = decoded.findIndex((insn) => insn.address >= eip);
    if (index >= 0 && decoded[index].address === eip) {
      const first = Math.max(0, index - before);
      const tail = disassemble(eip, after + 1);
      return { lines: [...decoded.slice(first, index), ...tail], current: index - first };
    }
  }
  return { lines: disassemble(eip, after + 1), current: 0 };
}
