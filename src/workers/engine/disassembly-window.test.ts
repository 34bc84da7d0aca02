// Tests of choosing the disassembly window around EIP on a toy instruction stream.
import { describe, expect, it } from 'vitest';
import { disassemblyWindow, type Insn } from './disassembly-window.ts';

// A toy instruction stream: instruction boundaries at these addresses; decoding from a non-boundary
// address yields 1-byte "(bad)" instructions until it meets a boundary.
const BOUNDARIES = [100, 101, 104, 106, 111, 112, 115, 120, 121, 125, 130];

function disassemble(linear: number, count: number): Insn[] {
  const out: Insn[] = [];
  let address = linear;
  while (out.length < count) {
    const i = BOUNDARIES.indexOf(address);
    const next = i >= 0 && i + 1 < BOUNDARIES.length ? BOUNDARIES[i + 1] : address + 1;
    out.push({ address, bytes: [], text: i >= 0 ? `insn@${address}` : '(bad)' });
    address = next;
  }
  return out;
}

describe('disassembly window', () => {
  it('starts at the function when it is near', () => {
    const window = disassemblyWindow(disassemble, 115, 100, 3, 2);
    expect(window.lines.map((l) => l.address)).toEqual([106, 111, 112, 115, 120, 121]);
    expect(window.current).toBe(3);
    expect(window.lines[window.current].address).toBe(115);
  });

  it('without a symbol, finds a decoding that reaches EIP', () => {
    const window = disassemblyWindow(disassemble, 121, null, 2, 1);
    expect(window.lines[window.current].address).toBe(121);
    expect(window.lines.at(-1)?.address).toBe(125);
  });

  it('shows EIP first when nothing earlier decodes onto it', () => {
    const window = disassemblyWindow(disassemble, 0, null, 2, 1);
    expect(window.current).toBe(0);
    expect(window.lines[0].address).toBe(0);
  });
});
