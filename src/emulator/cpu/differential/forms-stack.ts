// Differential-test forms for the stack: PUSH/POP of registers, immediates and r/m operands (including
// POP to an ESP-based address, computed after the increment), PUSHA/POPA, PUSHF/POPF (at CPL 3 POPF
// cannot change IOPL or IF), ENTER with nesting levels 0..31, and LEAVE; each at 16 and 32 bits.
// ESP always points into the scratch buffer with room for the accesses. Semantics per the Intel SDM vol. 2
// ("PUSH", "POP", "PUSHA", "POPA", "PUSHF", "POPF", "ENTER", "LEAVE").
import type { CaseBuilder, Size } from './case-builder.ts';
import { SIZE_LETTER, WIDE_SIZES, maybeSegment, type Form } from './form.ts';
import { EBP, EFLAGS_FIXED, ESP, FLAG, MEM_SIZE, SCRATCH_ADDR, STATUS_FLAGS } from './layout.ts';

/** Places ESP in the buffer with `below` bytes free under it and `above` bytes above it. */
function placeStack(g: CaseBuilder, below: number, above: number): void {
  g.setReg(ESP, 32, g.bufferAddress(above, below) & ~(g.rng.chance(0.9) ? 1 : 0));
}

function pushPopForms(size: Size): Form[] {
  const v = SIZE_LETTER[size];
  const n = size / 8;
  return [
    { name: `push.r${v}`, build(g) { placeStack(g, n, 0); g.opsize(size); g.emit(0x50 + g.pickReg()); } },
    { name: `pop.r${v}`, build(g) { placeStack(g, 0, n); g.opsize(size); g.emit(0x58 + g.pickReg()); } },
    { name: `push.I${v}`, build(g) { placeStack(g, n, 0); g.opsize(size); g.emit(0x68); g.imm(size, g.value(size)); } },
    { name: `push.Ib.${v}`, build(g) { placeStack(g, n, 0); g.opsize(size); g.emit(0x6a); g.imm(8, g.value(8)); } },
    {
      name: `push.E${v}`,
      build(g) {
        placeStack(g, n, 0);
        const src = g.pickRm(size, { avoid: [ESP] });
        maybeSegment(g, src);
        g.opsize(size);
        g.emit(0xff);
        g.modrm(6, src);
      },
    },
    {
      name: `pop.E${v}`,
      build(g) {
        placeStack(g, 0, n);
        const dest = g.pickRm(size, { avoid: [ESP] });
        g.opsize(size);
        g.emit(0x8f);
        g.modrm(0, dest);
      },
    },
    {
      // "If the ESP register is used as a base register for addressing a destination operand in memory,
      // the POP instruction computes the effective address of the operand after it increments the ESP
      // register." Encoded as 8F 44 24 disp8 ([esp + disp8]).
      name: `pop.M${v}.esp-based`,
      build(g) {
        placeStack(g, 0, n);
        const after = g.regs[ESP] + n;
        const lo = Math.max(-128, SCRATCH_ADDR - after);
        const hi = Math.min(127, SCRATCH_ADDR + MEM_SIZE - n - after);
        g.opsize(size);
        g.emit(0x8f, 0x44, 0x24, g.rng.range(lo, hi));
      },
    },
    { name: `pusha.${v}`, build(g) { placeStack(g, 8 * n, 0); g.opsize(size); g.emit(0x60); } },
    { name: `popa.${v}`, build(g) { placeStack(g, 0, 8 * n); g.opsize(size); g.emit(0x61); } },
    { name: `pushf.${v}`, build(g) { placeStack(g, n, 0); g.opsize(size); g.emit(0x9c); } },
    {
      name: `popf.${v}`,
      userModeOnly: true,
      build(g) {
        placeStack(g, 0, n);
        // Status flags, DF, and IF/IOPL (which CPL 3 cannot change); never TF, and none of the bits a 386
        // lacks (AC, ID) or that need privilege to matter (NT is kept clear too).
        const image = (g.rng.u32() & (STATUS_FLAGS | FLAG.DF | FLAG.IF | 0x3000)) | EFLAGS_FIXED;
        g.memWrite(g.regs[ESP], size, image);
        g.opsize(size);
        g.emit(0x9d);
      },
    },
    {
      name: `enter.${v}`,
      build(g) {
        const level = g.rng.chance(0.5) ? g.rng.below(3) : g.rng.below(32);
        const pushes = 1 + level;
        g.setReg(ESP, 32, SCRATCH_ADDR + MEM_SIZE - g.rng.below(32) & ~(g.rng.chance(0.9) ? 1 : 0));
        g.setReg(EBP, 32, g.bufferAddress(n, n * pushes));
        // Hosts probe the final stack top (ESP - frame size) and fault if it is unmapped, so the frame
        // stays inside the buffer.
        const room = g.regs[ESP] - n * pushes - SCRATCH_ADDR;
        g.opsize(size);
        g.emit(0xc8);
        g.imm(16, g.rng.chance(0.5) ? g.rng.below(Math.min(64, room + 1)) : g.rng.range(0, room));
        g.imm(8, level | (g.rng.chance(0.2) ? g.rng.pick([0x20, 0x40, 0x80]) : 0));
      },
    },
    {
      name: `leave.${v}`,
      build(g) {
        g.setReg(EBP, 32, g.bufferAddress(n));
        g.opsize(size);
        g.emit(0xc9);
      },
    },
  ];
}

export function stackForms(): Form[] {
  return WIDE_SIZES.flatMap((size) => pushPopForms(size));
}
