// Disassembly text (AT&T and Intel) against GNU objdump for every operand form of the opcode table.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode } from './decode/decoder.ts';
import { disassembleInsn } from './disasm.ts';

/** Encodings covering every operand kind of the table (one instruction each, hex). */
const CASES = [
  '01d8', '00c3', '0218', '03430c', '04ff', '05efbeadde', '6605341200', '80c001', '8104240100000080', '83c0ff', '83e8f0',
  '0fb6c0', '0fbec3', '0fb70e', '0fbf4604', '8d4c2404', '8d0c8500000000', '8db42600000000', '8d7600', '8d0418', '8d44d8fc',
  '890424', '8b4508', '8b45fc', 'a1fc0f0000', 'a3fc0f0000', 'a0fc0f0000', '26a1fc0f0000', '648b03', 'c7042401000000',
  'c60001', '66c7000100', 'b8efbeadde', 'b0ff', '66b83412', '50', '5f', '6a01', '6aff', '6878563412', 'ff30', '8f00',
  '0e', '1e', '07', '0fa0', '0fa9', '9c', '9d', '669c', '60', '61', 'c3', 'c20800', 'cb', 'cf', '66cf',
  'e800000000', 'e9fbffffff', 'ebfe', '75fe', '0f84faffffff', 'ffd0', 'ff10', 'ff2485e8030000', 'ff28', 'ea000010000800',
  '9a000010000800', 'e2fe', 'e3fe', 'cd80', 'cc', 'ce', 'f4', 'fa', 'fb', 'fc', 'fd', 'f8', 'f9', 'f5', '90', 'f390',
  '87db', '6687db', '87d8', '93', '8718', 'f00fb111', 'f00fc101', '0fc708', '0fc8', '0fcf', '0fa2', '0f31', '0f0b',
  'd1e0', 'd3e8', 'c1f805', 'd0c0', 'c0c903', 'd1d0', 'd3db', 'd120', '0fa4d805', '0fadd8', 'f7e1', 'f7f9', 'f6f3', 'f7d8', 'f6d0',
  'f7d0', 'f70001000000', 'f6c101', '0fafc3', '69c0e8030000', '6bc00a', '0fbcc0', '0fbdc8', '0fa3c8', '0fbae005', '0fabc8',
  '0f94c0', '0f9fc1', '0f44c3', '0f4fc8', '98', '99', '6698', '6699', '27', '2f', '37', '3f', 'd40a', 'd50a', 'd7', '9e', '9f',
  'a4', 'a5', 'f3a5', 'f3a4', 'f3ab', 'aa', 'ac', 'ad', 'ae', 'f2ae', 'a6', 'f3a6', '6c', '6d', '6e', '6f', 'e460', 'e660', 'ec',
  'ee', 'ed', 'ef', '66ed', '0f20c0', '0f22d8', '0f22e0', '0f20d0', '0f23f8', '0f21f8', '0f0116', '0f011e', '0f0106', '0f010e',
  '0f0138', '0f00d8', '0f00d0', '0f00c8', '0f00c0', '0f06', '0f09', '0f08', '0f01f0', '0f01e0', '0f02c1', '0f03c1', '0f00e0',
  '0f00e8', '6301', 'c8100000', 'c9', '62 02', 'c41e', 'c51e', '0fb21e', '0fb41e', '0fb51e', '8cd8', '8ed8', '8c18', '8e18',
  '8b0c24', '8b4c2404', '8b8c2400010000', '8b04c5fc0f0000', '8b0425fc0f0000', '67 8b 07', '678b4708', '678b00', '0f1f00',
  '0f1f4000', '0f1f440000', '660f1f440000', '9b', 'f1',
];

function bytesOf(hex: string): number[] {
  const clean = hex.replace(/\s+/g, '');
  const out: number[] = [];
  for (let k = 0; k + 1 < clean.length; k += 2) out.push(parseInt(clean.slice(k, k + 2), 16));
  return out;
}

function haveObjdump(): boolean {
  try {
    execFileSync('objdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Our decoder on a flat byte array: [address, text] per instruction. */
function ours(bytes: number[], syntax: 'att' | 'intel'): [number, string][] {
  const out: [number, string][] = [];
  let addr = 0;
  while (addr < bytes.length) {
    const insn = decode((k) => bytes[addr + k] ?? 0, true);
    if (!insn) throw new Error(`decode failed at ${addr}`);
    out.push([addr, disassembleInsn(insn, addr, syntax)]);
    addr += insn.len;
  }
  return out;
}

/** What objdump prints for the same bytes, by instruction address. */
function objdump(bytes: number[], syntax: 'att' | 'intel'): Map<number, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-dis-'));
  try {
    const file = path.join(dir, 'code.bin');
    writeFileSync(file, new Uint8Array(bytes));
    const args = ['-D', '-b', 'binary', '-m', 'i386', ...(syntax === 'intel' ? ['-M', 'intel'] : []), file];
    const dump = execFileSync('objdump', args, { encoding: 'utf8' });
    const expected = new Map<number, string>();
    for (const line of dump.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(.*)$/.exec(line);
      if (m) expected.set(parseInt(m[1], 16), m[2].replace(/\s+#.*$/, '').trimEnd());
    }
    return expected;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!haveObjdump())('disassembler against GNU objdump', () => {
  const bytes = CASES.map(bytesOf).flat();
  for (const syntax of ['att', 'intel'] as const) {
    it(`prints what objdump prints for every table form (${syntax} syntax)`, () => {
      const expected = objdump(bytes, syntax);
      const mismatches: string[] = [];
      for (const [addr, text] of ours(bytes, syntax)) {
        const want = expected.get(addr);
        if (want !== text) mismatches.push(`${addr.toString(16)}: ours "${text}" objdump "${want}"`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
