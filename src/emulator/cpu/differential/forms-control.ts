// Differential-test forms for control transfer inside the snippet: Jcc (short and near, each condition),
// JMP (short, near, indirect), CALL (near relative and indirect), RET and RET imm16, LOOP/LOOPE/LOOPNE and
// JECXZ (with ECX, and with CX under a 67 prefix). Each branch targets the end of the snippet and skips a
// one-byte marker (`inc edi`, 47): taken and not-taken paths are both visible in EDI and the flags.
import type { Form } from './form.ts';
import { CONDITIONS } from './forms-bits.ts';
import { ECX, ESP } from './layout.ts';
import type { CaseBuilder } from './case-builder.ts';

const MARKER = 0x47;

/** ECX for a loop: often 0, 1, 2 or a value whose low 16 bits are 0 or 1, else random. */
function loopCount(g: CaseBuilder): number {
  return g.rng.chance(0.6) ? g.rng.pick([0, 0, 1, 2, 0x10000, 0x10000, 0x10001, 0xffffffff, 0xffff0000]) : g.value(32);
}

function branchForms(): Form[] {
  const forms: Form[] = [];
  CONDITIONS.forEach((cc, i) => {
    forms.push({ name: `j${cc}.Jb`, build(g) { g.emit(0x70 + i, 1, MARKER); } });
    forms.push({ name: `j${cc}.Jd`, build(g) { g.emit(0x0f, 0x80 + i); g.imm(32, 1); g.emit(MARKER); } });
  });
  forms.push({ name: 'jmp.Jb', build(g) { g.emit(0xeb, 1, MARKER); } });
  forms.push({ name: 'jmp.Jd', build(g) { g.emit(0xe9); g.imm(32, 1); g.emit(MARKER); } });
  const loops: [string, number][] = [['loopne', 0xe0], ['loope', 0xe1], ['loop', 0xe2], ['jecxz', 0xe3]];
  for (const [name, opcode] of loops) {
    forms.push({ name: `${name}.Jb`, build(g) { g.setReg(ECX, 32, loopCount(g)); g.emit(opcode, 1, MARKER); } });
    forms.push({
      name: `${name === 'jecxz' ? 'jcxz' : name}.Jb.a16`,
      build(g) { g.setReg(ECX, 32, loopCount(g)); g.emit(0x67, opcode, 1, MARKER); },
    });
  }
  return forms;
}

/** JMP/CALL through a register or a dword in memory holding the snippet's end address. */
function indirectForm(name: string, ext: number): Form {
  return {
    name,
    build(g) {
      const target = g.pickRm(32, { avoid: [ESP], notReg: [ESP] });
      g.emit(0xff);
      g.modrm(ext, target);
      g.emit(MARKER);
      g.atEnd((end) => g.write(target, 32, end));
    },
  };
}

function callReturnForms(): Form[] {
  const forms: Form[] = [
    { name: 'call.Jd', build(g) { g.emit(0xe8); g.imm(32, 1); g.emit(MARKER); } },
    indirectForm('call.Ed', 2),
    indirectForm('jmp.Ed', 4),
    {
      name: 'ret',
      build(g) {
        g.emit(0xc3, MARKER);
        g.atEnd((end) => g.memWrite(g.regs[ESP], 32, end));
      },
    },
    {
      name: 'ret.Iw',
      build(g) {
        g.emit(0xc2);
        g.imm(16, g.rng.chance(0.7) ? g.rng.below(64) : g.value(16));
        g.emit(MARKER);
        g.atEnd((end) => g.memWrite(g.regs[ESP], 32, end));
      },
    },
  ];
  return forms;
}

export function controlForms(): Form[] {
  return [...branchForms(), ...callReturnForms()];
}
