// Differential-test forms whose user-mode outcome is (often) a fault: privileged instructions at CPL 3
// with IOPL 0 (CLI, STI, HLT, IN/OUT, MOV CRn, LGDT/LIDT, LTR), INT n (vectors whose Linux gates are DPL 0),
// INT3, INT1, INTO, UD2 and BOUND (in and out of range). The host's signal must correspond to the
// emulator's exception (compare.ts: #GP/#PF -> SIGSEGV, #UD -> SIGILL, #BP/#DB -> SIGTRAP, #OF/#BR ->
// SIGSEGV, as Linux maps them in arch/x86/kernel/traps.c). Intel SDM vol. 2 / vol. 3A §6.15.
import { WIDE_SIZES, SIZE_LETTER, type Form } from './form.ts';

function fixed(name: string, bytes: number[]): Form {
  return { name, build(g) { g.emit(...bytes); } };
}

export function faultForms(): Form[] {
  return trappingForms().map((form) => ({ ...form, mayFault: true }));
}

function trappingForms(): Form[] {
  const forms: Form[] = [
    fixed('cli', [0xfa]), fixed('sti', [0xfb]), fixed('hlt', [0xf4]),
    fixed('in.AL.DX', [0xec]), fixed('out.DX.AL', [0xee]), fixed('in.EAX.Ib', [0xe5, 0x60]), fixed('out.Ib.AL', [0xe6, 0x80]),
    fixed('mov.Rd.CR0', [0x0f, 0x20, 0xc0]), fixed('mov.CR3.Rd', [0x0f, 0x22, 0xd8]),
    fixed('int3', [0xcc]), fixed('int1', [0xf1]), fixed('into', [0xce]), fixed('ud2', [0x0f, 0x0b]),
    {
      // LOCK is #UD unless the instruction is a locked read-modify-write with a memory destination.
      name: 'lock.invalid',
      build(g) {
        g.emit(0xf0);
        if (g.rng.chance(0.5)) g.emit(g.rng.pick([0x01, 0x29, 0x31, 0x87]), 0xc0 | g.rng.below(64));
        else g.emit(g.rng.pick([0x90, 0x40, 0x8b, 0xf8]), ...(g.rng.chance(0.5) ? [0x00] : []));
      },
    },
    {
      // Encodings that are #UD on every processor from the P6 on (and not an extension on newer ones):
      // UD2, UD1 (0F B9 /r), FF /7, FE /2../7, LEA with a register operand, 0F 04/0A/0C, C6 /1../6 memory.
      name: 'undefined',
      build(g) {
        const modrm = (reg: number, mem: boolean) => (mem ? 0x00 | 0x03 : 0xc0 | g.rng.below(8)) | (reg << 3);
        const pick = g.rng.below(7);
        if (pick === 0) g.emit(0x0f, 0x0b);
        else if (pick === 1) g.emit(0x0f, 0xb9, 0xc0 | g.rng.below(64));
        else if (pick === 2) g.emit(0xff, modrm(7, false));
        else if (pick === 3) g.emit(0xfe, modrm(g.rng.range(2, 7), false));
        else if (pick === 4) g.emit(0x8d, 0xc0 | g.rng.below(64));
        else if (pick === 5) g.emit(0x0f, g.rng.pick([0x04, 0x0a, 0x0c]));
        else g.emit(0xc6, modrm(g.rng.range(1, 6), true), 0);
      },
    },
    {
      // Linux's IDT gates are DPL 0 except vectors 3, 4 and 0x80 (which would make a system call).
      name: 'int.Ib',
      build(g) {
        let vector: number;
        do vector = g.rng.below(256); while (vector === 3 || vector === 4 || vector === 0x80);
        g.emit(0xcd, vector);
      },
    },
    {
      name: 'lgdt.M',
      build(g) { const m = g.pickMem(6); g.emit(0x0f, 0x01); g.modrm(2, m); },
    },
    {
      name: 'lidt.M',
      build(g) { const m = g.pickMem(6); g.emit(0x0f, 0x01); g.modrm(3, m); },
    },
    {
      name: 'ltr.Ew',
      build(g) { const m = g.pickRm(16); g.emit(0x0f, 0x00); g.modrm(3, m); },
    },
  ];
  for (const size of WIDE_SIZES) {
    forms.push({
      // BOUND r, m16&16 / m32&32: #BR unless lower <= index <= upper (signed). Half the cases in range.
      name: `bound.G${SIZE_LETTER[size]}.M`,
      build(g) {
        const reg = g.pickReg();
        const m = g.pickMem(2 * (size / 8), { avoid: [reg] });
        if (g.rng.chance(0.5)) {
          const index = g.reg(reg, size);
          const signed = size === 16 ? (index << 16) >> 16 : index | 0;
          g.memWrite(m.addr, size, signed - g.rng.below(5));
          g.memWrite(m.addr + size / 8, size, signed + g.rng.below(5));
        }
        g.opsize(size);
        g.emit(0x62);
        g.modrm(reg, m);
      },
    });
  }
  return forms;
}
