// Decoder lengths against GNU objdump for every opcode of both maps, prefixes, the 15-byte limit, LOCK rules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, MAX_INSN_LENGTH } from './decoder.ts';
import { UNDEFINED_ROW } from './opcode-table.ts';

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x0f]);
const CHUNK = 24;

function haveObjdump(): boolean {
  try {
    execFileSync('objdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every opcode of both maps with three ModRM shapes, each case padded with NOPs to CHUNK bytes. */
function cases(): number[][] {
  const out: number[][] = [];
  for (const tail of [[0x90], [0x44, 0x90], [0xc8]]) {
    for (let b = 0; b < 256; b++) {
      if (!PREFIXES.has(b)) out.push([b, ...tail]);
      out.push([0x0f, b, ...tail]);
    }
  }
  return out;
}

function lengthOf(bytes: number[]): number {
  const insn = decode((k) => bytes[k] ?? 0x90, true);
  if (!insn) throw new Error('too long');
  return insn.row === UNDEFINED_ROW ? -1 : insn.len;
}

describe('decoder', () => {
  it.skipIf(!haveObjdump())('decodes the same instruction lengths as objdump for every opcode', () => {
    const all = cases();
    const image = new Uint8Array(all.length * CHUNK).fill(0x90);
    all.forEach((c, n) => image.set(c, n * CHUNK));
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-len-'));
    try {
      writeFileSync(path.join(dir, 'x.bin'), image);
      const dump = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386', path.join(dir, 'x.bin')], { encoding: 'utf8', maxBuffer: 64 << 20 });
      const starts: [number, string][] = [];
      for (const line of dump.split('\n')) {
        const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
        if (m) starts.push([parseInt(m[1], 16), m[2]]);
      }
      const mismatches: string[] = [];
      let compared = 0;
      for (let s = 0; s < starts.length; s++) {
        const [addr, text] = starts[s];
        if (addr % CHUNK !== 0 || /\(bad\)|undefined/.test(text)) continue;
        const theirs = (s + 1 < starts.length ? starts[s + 1][0] : image.length) - addr;
        const bytes = Array.from(image.subarray(addr, addr + CHUNK));
        const ours = lengthOf(bytes);
        if (ours !== -1) compared++;
        if (ours !== -1 && ours !== theirs && theirs < CHUNK) {
          mismatches.push(`${bytes.slice(0, 3).map((b) => b.toString(16)).join(' ')}: ours ${ours}, objdump ${theirs} (${text})`);
        }
      }
      expect(mismatches).toEqual([]);
      expect(compared).toBeGreaterThan(1000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies the last prefix of each kind and the operand/address size prefixes', () => {
    const bytes = [0x26, 0x64, 0x66, 0x67, 0x8b, 0x07];
    const i = decode((k) => bytes[k], true)!;
    expect(i.segOverride).toBe(4);
    expect(i.o32).toBe(false);
    expect(i.a32).toBe(false);
    expect(i.base).toBe(3); // 16-bit rm=7: [bx]
    expect(i.len).toBe(6);
  });

  it('refuses instructions longer than 15 bytes', () => {
    const bytes = new Array(14).fill(0x66).concat([0x05, 0x01, 0x02]);
    expect(decode((k) => bytes[k], true)).toBeNull();
    expect(MAX_INSN_LENGTH).toBe(15);
  });

  it('marks a LOCK prefix on a non-lockable instruction or a register destination as #UD', () => {
    const lockedMov = [0xf0, 0x89, 0x00];
    const lockedAddReg = [0xf0, 0x01, 0xc0];
    const lockedAddMem = [0xf0, 0x01, 0x00];
    expect(decode((k) => lockedMov[k], true)!.exec.name).toBe('undefinedOp');
    expect(decode((k) => lockedAddReg[k], true)!.exec.name).toBe('undefinedOp');
    expect(decode((k) => lockedAddMem[k], true)!.exec.name).toBe('alu_Ev_Gv');
  });
});
