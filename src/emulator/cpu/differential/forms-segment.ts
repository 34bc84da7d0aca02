// Differential-test forms for segmentation as a 32-bit Linux process sees it (the emulator mirrors Linux's
// GDT, see emulator-runner.ts): MOV to and from segment registers, PUSH/POP Sreg, LDS/LES/LFS/LGS/LSS,
// far JMP/CALL (direct and indirect) to the user code selector, RETF, IRET to the same privilege level,
// ARPL, LAR, LSL, VERR and VERW. Selectors come from a pool of valid, null, wrong-privilege, system and
// out-of-table values, so the SDM's load checks (vol. 3A §5.5-5.8; vol. 2 "MOV", "POP", "LDS", "LAR")
// are exercised; a failed check is a #GP/#SS/#NP in the emulator and SIGSEGV/SIGBUS on the host.
// Never used: selectors of GDT index 6 (Linux's 64-bit user code: a far transfer there would leave
// 32-bit mode on the host) and 15 (Linux's per-CPU segment, whose limit is the CPU number).
import type { CaseBuilder, Size } from './case-builder.ts';
import { SIZE_LETTER, WIDE_SIZES, type Form } from './form.ts';
import { EFLAGS_FIXED, ESP, FLAG, SCRATCH_ADDR, SEG_NAMES, STATUS_FLAGS, USER_CS, USER_DS } from './layout.ts';

/** Selectors to load: valid (some with other RPLs), null, DPL 0, system (TSS), empty entries, beyond the GDT, LDT. */
const DATA_SELECTORS = [USER_DS, USER_DS, USER_DS, USER_CS, 0x28, 0x29, 0x2a, 0, 1, 3, 0x18, 0x1b, 0x08, 0x10, 0x40, 0x4b, 0x63, 0x80, 0xfffb, 0x2f, 0x2c];
const CODE_SELECTORS = [USER_CS, USER_CS, USER_CS, 0x20, 0x21, 0x22, USER_DS, 0, 0x08, 0x0b, 0x40, 0x4b, 0x80, 0x27];

function selector(g: CaseBuilder, pool: readonly number[]): number {
  if (g.rng.chance(0.1)) {
    let s: number;
    do s = g.rng.u32() & 0xffff; while (((s >> 3) & 0x1fff) === 6 || ((s >> 3) & 0x1fff) === 15);
    return s;
  }
  return g.rng.pick(pool);
}

/** Marks the upper half of a 32-bit selector slot in the buffer as undefined (PUSH Sreg / far CALL push CS). */
function upperHalfUndefined(g: CaseBuilder, addr: number): void {
  g.undefinedMem.push(addr + 2 - SCRATCH_ADDR, addr + 3 - SCRATCH_ADDR);
}

const LOADABLE = [0, 2, 3, 4, 5]; // ES SS DS FS GS (MOV to CS is #UD)
const PUSH_OPCODES: Record<number, number[]> = { 0: [0x06], 1: [0x0e], 2: [0x16], 3: [0x1e], 4: [0x0f, 0xa0], 5: [0x0f, 0xa8] };
const POP_OPCODES: Record<number, number[]> = { 0: [0x07], 2: [0x17], 3: [0x1f], 4: [0x0f, 0xa1], 5: [0x0f, 0xa9] };
const LOAD_FAR: [string, number[]][] = [['les', [0xc4]], ['lds', [0xc5]], ['lss', [0x0f, 0xb2]], ['lfs', [0x0f, 0xb4]], ['lgs', [0x0f, 0xb5]]];

function movSegForms(): Form[] {
  const forms: Form[] = [];
  for (const sreg of LOADABLE) {
    forms.push({
      name: `mov.${SEG_NAMES[sreg]}.Ew`,
      build(g) {
        const src = g.pickRm(16);
        g.write(src, 16, selector(g, DATA_SELECTORS));
        if (g.rng.chance(0.3)) g.emit(0x66);
        g.emit(0x8e);
        g.modrm(sreg, src);
      },
    });
  }
  for (let sreg = 0; sreg < 6; sreg++) {
    forms.push({
      name: `mov.Ew.${SEG_NAMES[sreg]}`,
      build(g) {
        const dest = g.pickRm(16);
        g.opsize(dest.kind === 'reg' && g.rng.chance(0.5) ? 16 : 32);
        g.emit(0x8c);
        g.modrm(sreg, dest);
      },
    });
  }
  return forms;
}

function pushPopSegForms(size: Size): Form[] {
  const n = size / 8;
  const forms: Form[] = [];
  for (let sreg = 0; sreg < 6; sreg++) {
    forms.push({
      name: `push.${SEG_NAMES[sreg]}.${SIZE_LETTER[size]}`,
      build(g) {
        g.setReg(ESP, 32, g.bufferAddress(0, n));
        // "If the source operand is a segment register (16 bits) and the operand size is 32-bits, either a
        // zero-extended value is pushed on the stack or the segment selector is written on the stack using
        // a 16-bit move." (SDM "PUSH")
        if (size === 32) upperHalfUndefined(g, g.regs[ESP] - 4);
        g.opsize(size);
        g.emit(...PUSH_OPCODES[sreg]);
      },
    });
    const pop = POP_OPCODES[sreg];
    if (!pop) continue;
    forms.push({
      name: `pop.${SEG_NAMES[sreg]}.${SIZE_LETTER[size]}`,
      build(g) {
        g.setReg(ESP, 32, g.bufferAddress(n));
        g.memWrite(g.regs[ESP], 16, selector(g, DATA_SELECTORS));
        g.opsize(size);
        g.emit(...pop);
      },
    });
  }
  return forms;
}

function loadFarPointerForms(): Form[] {
  const forms: Form[] = [];
  for (const [name, opcode] of LOAD_FAR) {
    for (const size of WIDE_SIZES) {
      forms.push({
        name: `${name}.G${SIZE_LETTER[size]}.Mp`,
        build(g) {
          const n = size / 8;
          const m = g.pickMem(n + 2);
          g.memWrite(m.addr + n, 16, selector(g, DATA_SELECTORS));
          g.opsize(size);
          g.emit(...opcode);
          g.modrm(g.pickReg(), m);
        },
      });
    }
  }
  return forms;
}

/** IRET's EFLAGS image: status flags, DF, and IF/IOPL (which CPL 3 cannot change); no TF, NT, RF, VM, AC, ID. */
function eflagsImage(g: CaseBuilder): number {
  return (g.rng.u32() & (STATUS_FLAGS | FLAG.DF | FLAG.IF | 0x3000)) | EFLAGS_FIXED;
}

function farTransferForms(): Form[] {
  const marker = 0x47; // inc edi, skipped by a successful transfer
  const forms: Form[] = [
    {
      name: 'jmp.Ap',
      build(g) {
        const sel = selector(g, CODE_SELECTORS);
        g.emit(0xea);
        const at = g.here;
        g.imm(32, 0);
        g.imm(16, sel);
        g.emit(marker);
        g.atEnd((end) => g.patch32(at, end));
      },
    },
    {
      name: 'call.Ap',
      build(g) {
        g.setReg(ESP, 32, g.bufferAddress(0, 8));
        upperHalfUndefined(g, g.regs[ESP] - 4);
        const sel = selector(g, CODE_SELECTORS);
        g.emit(0x9a);
        const at = g.here;
        g.imm(32, 0);
        g.imm(16, sel);
        g.emit(marker);
        g.atEnd((end) => g.patch32(at, end));
      },
    },
  ];
  for (const [name, ext] of [['jmp', 5], ['call', 3]] as const) {
    forms.push({
      name: `${name}.Ep`,
      build(g) {
        if (name === 'call') {
          g.setReg(ESP, 32, g.bufferAddress(0, 8));
          upperHalfUndefined(g, g.regs[ESP] - 4);
        }
        const m = g.pickMem(6, { avoid: [ESP] });
        g.memWrite(m.addr + 4, 16, selector(g, CODE_SELECTORS));
        g.emit(0xff);
        g.modrm(ext, m);
        g.emit(marker);
        g.atEnd((end) => g.memWrite(m.addr, 32, end));
      },
    });
  }
  const returns: [string, number[], boolean][] = [['retf', [0xcb], false], ['retf.Iw', [0xca], false], ['iret', [0xcf], true]];
  for (const [name, opcode, iret] of returns) {
    forms.push({
      name,
      build(g) {
        g.setReg(ESP, 32, g.bufferAddress(iret ? 12 : 8));
        const esp = g.regs[ESP];
        g.memWrite(esp + 4, 32, (g.rng.u32() & 0xffff0000) | selector(g, CODE_SELECTORS));
        if (iret) g.memWrite(esp + 8, 32, eflagsImage(g));
        g.emit(...opcode);
        if (opcode[0] === 0xca) g.imm(16, g.rng.chance(0.7) ? g.rng.below(64) : g.value(16));
        g.emit(marker);
        g.atEnd((end) => g.memWrite(esp, 32, end));
      },
    });
  }
  return forms;
}

function selectorQueryForms(): Form[] {
  const forms: Form[] = [
    {
      name: 'arpl.Ew.Gw',
      build(g) {
        const dest = g.pickRm(16);
        g.emit(0x63);
        g.modrm(g.pickReg(), dest);
      },
    },
  ];
  for (const [name, ext] of [['verr', 4], ['verw', 5]] as const) {
    forms.push({
      name: `${name}.Ew`,
      build(g) {
        const src = g.pickRm(16);
        g.write(src, 16, selector(g, [...DATA_SELECTORS, ...CODE_SELECTORS]));
        g.emit(0x0f, 0x00);
        g.modrm(ext, src);
      },
    });
  }
  for (const [name, op] of [['lar', 0x02], ['lsl', 0x03]] as const) {
    for (const size of WIDE_SIZES) {
      forms.push({
        name: `${name}.G${SIZE_LETTER[size]}.Ew`,
        build(g) {
          const src = g.pickRm(16);
          g.write(src, 16, selector(g, [...DATA_SELECTORS, ...CODE_SELECTORS]));
          const dest = g.pickReg();
          g.opsize(size);
          g.emit(0x0f, op);
          g.modrm(dest, src);
          // LAR: "the access rights ... (bits 8 through 23 of the second doubleword) ... masked by 00FxFF00H",
          // x = bits 16-19 undefined.
          if (op === 0x02) g.undefinedRegBits[dest] |= 0x000f0000;
        },
      });
    }
  }
  return forms;
}

export function segmentForms(): Form[] {
  return [...movSegForms(), ...WIDE_SIZES.flatMap(pushPopSegForms), ...loadFarPointerForms(), ...farTransferForms(), ...selectorQueryForms()]
    .map((form) => ({ ...form, mayFault: true }));
}
