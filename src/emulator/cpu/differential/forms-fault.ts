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
