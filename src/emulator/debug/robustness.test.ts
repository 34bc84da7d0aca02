// Debug information from damaged images is partial, never an exception: seeded mutations of the fixture
// kernel (headers, symbol tables, line tables, the exec2obj table and the embedded programs).
import { describe, expect, it } from 'vitest';
import { fixtureKernel } from '../loader/testing/fixtures.ts';
import { mutate, seededRandom } from '../loader/testing/mutate.ts';
import { parseElf32 } from '../loader/elf.ts';
import { DebugInfo } from './debug-info.ts';
import { walkStack } from './stack-walk.ts';

describe('DebugInfo on damaged images', () => {
  const kernel = fixtureKernel();
  const elf = parseElf32(kernel);
  const spans = ['.symtab', '.strtab', '.debug_line', '.debug_line_str', '.rodata'].map((n) => elf.section(n)!);

  it('never throws, and walking and locating on it never throws either', () => {
    const random = seededRandom(0xdeb6);
    let withPrograms = 0;
    for (let i = 0; i < 150; i++) {
      const bytes = mutate(kernel, random);
      // Aim extra damage at the tables the debug side reads.
      const span = spans[i % spans.length];
      for (let j = 0; j < 6; j++) {
        const at = span.offset + Math.floor(random() * span.size);
        if (at < bytes.length) bytes[at] = Math.floor(random() * 256);
      }
      const debug = DebugInfo.fromKernel(bytes);
      if (debug.programs.length > 0) withPrograms++;
      const read = (a: number) => (a & 0xfff) === 0xffc ? null : Math.imul(a ^ i, 2654435761) >>> 0;
      for (const pc of [0x100060, 0x1000004, 0x10001b]) {
        debug.locate(pc, 'hello');
        walkStack({ eip: pc, esp: 0x10d000, ebp: 0x10d100 }, read, debug, { maxFrames: 12 });
      }
    }
    expect(withPrograms).toBeGreaterThan(10);
  });
});
