// Test support (Node only): builds small i386 ELF files with the host's gcc -m32 / as --32 / ld -m elf_i386
// in a temporary directory, and tells tests whether that toolchain is present so they can skip with a
// clear message where it is not.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

let available: boolean | undefined;

/** True when `gcc -m32` can compile and `ld -m elf_i386` can link (checked once). */
export function hasI386Toolchain(): boolean {
  if (available === undefined) {
    try {
      compileAndLink({ 'probe.c': 'int main_probe(void) { return 0; }\n' }, { entry: 'main_probe' });
      available = true;
    } catch {
      available = false;
    }
  }
  return available;
}

const NO_TOOLCHAIN = ' [SKIPPED: no 32-bit toolchain (gcc -m32 with gcc-multilib, ld -m elf_i386) on this machine]';

/** A test title that says why the test is skipped when the toolchain is missing (use with it.skipIf). */
export function toolchainTitle(title: string): string {
  return hasI386Toolchain() ? title : title + NO_TOOLCHAIN;
}

export interface BuildOptions {
  /** Extra gcc flags, e.g. ['-gdwarf-4', '-O1']. */
  cflags?: string[];
  /** Link address of .text (default 0x100000). */
  textAddress?: number;
  entry?: string;
  /** Extra ld flags, e.g. ['--compress-debug-sections=zlib']. */
  ldflags?: string[];
  /** Files written next to the sources but not compiled (path -> text), e.g. {'inc/h.h': ...}. */
  headers?: Record<string, string>;
}

/** A source's text, or its text with gcc flags of its own (replacing BuildOptions.cflags for it). */
export type Source = string | { text: string; cflags: string[] };

/**
 * Compiles the given sources (path -> text; .c or .S; paths may have directories, e.g. 'kern/x.c') and
 * links them into one ELF, returned as bytes. Other files (headers) may be listed in `headers`.
 */
export function compileAndLink(sources: Record<string, Source>, options: BuildOptions = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-elf-'));
  const write = (name: string, text: string) => {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  };
  try {
    for (const [name, text] of Object.entries(options.headers ?? {})) write(name, text);
    const objects: string[] = [];
    for (const [name, source] of Object.entries(sources)) {
      const { text, cflags } = typeof source === 'string' ? { text: source, cflags: options.cflags ?? ['-g'] } : source;
      write(name, text);
      const object = join(dir, `${name}.o`);
      execFileSync(
        'gcc',
        ['-m32', '-ffreestanding', '-nostdlib', '-fno-pie', '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
          '-fcf-protection=none', ...cflags, '-c', name, '-o', object],
        { cwd: dir, stdio: 'pipe' },
      );
      objects.push(object);
    }
    const out = join(dir, 'a.elf');
    execFileSync(
      'ld',
      ['-m', 'elf_i386', '-z', 'noexecstack', '--build-id=none', '-Ttext', `0x${(options.textAddress ?? 0x100000).toString(16)}`,
        '-e', options.entry ?? '_start', ...(options.ldflags ?? []), '-o', out, ...objects],
      { cwd: dir, stdio: 'pipe' },
    );
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
