// Decides what an uploaded file is and returns the kernel inside it: an ELF kernel as is, a gzip'd ELF
// (`kernel.gz`, RFC 1952), a 15-410 `bootfd.img` floppy (FAT12; also gzip'd, as `bootfd.img.gz`), or a
// raw multiboot image using the a.out kludge (Multiboot 0.6.96 section 3.1.3). Anything else is a
// LoadError that says what the file looks like.

import { isElf, parseElf32 } from './elf.ts';
import { extractKernelFromFloppy, gunzip, isFatImage, isGzip } from './floppy.ts';
import { LoadError, describeFirstBytes } from './load-error.ts';
import { findMultibootHeader } from './multiboot.ts';

export type ImageKind = 'elf' | 'gzip-elf' | 'floppy' | 'multiboot-binary';

export interface KernelImage {
  kind: ImageKind;
  /** The kernel bytes to hand to loadMultiboot and DebugInfo.fromKernel. */
  kernel: Uint8Array;
  /** The command line GRUB would pass for this kind of image. */
  cmdline: string;
  /** One line for the user, e.g. "floppy image (kernel from boot/kernel.gz)". */
  description: string;
}

/** Identifies an uploaded kernel image. Throws LoadError with a user-facing message. */
export function openKernelImage(bytes: Uint8Array): KernelImage {
  if (isElf(bytes)) {
    parseElf32(bytes); // validates, so a broken ELF is reported here with its precise reason
    return { kind: 'elf', kernel: bytes, cmdline: '(fd0)/boot/kernel', description: 'ELF kernel' };
  }
  if (isGzip(bytes)) {
    const inner = gunzip(bytes, 'The uploaded file');
    if (isElf(inner)) {
      parseElf32(inner);
      return { kind: 'gzip-elf', kernel: inner, cmdline: '(fd0)/boot/kernel.gz', description: "gzip'd ELF kernel" };
    }
    if (isFatImage(inner)) return fromFloppy(inner, "gzip'd floppy image");
    throw new LoadError(`The uploaded gzip file does not contain an ELF kernel or a floppy image: after gunzip, ${describeFirstBytes(inner)}.`);
  }
  if (isFatImage(bytes)) return fromFloppy(bytes, 'floppy image');
  const header = findMultibootHeader(bytes);
  if (header?.aout) {
    return { kind: 'multiboot-binary', kernel: bytes, cmdline: '(fd0)/boot/kernel', description: 'multiboot kernel (a.out kludge)' };
  }
  throw new LoadError(
    `This is not a kernel image: expected a 32-bit ELF kernel, a gzip'd one, or a bootfd.img floppy image, but ${describeFirstBytes(bytes)}.`,
  );
}

function fromFloppy(bytes: Uint8Array, what: string): KernelImage {
  const { kernel, path } = extractKernelFromFloppy(bytes);
  if (!isElf(kernel)) {
    throw new LoadError(`The floppy image's ${path} is not an ELF kernel: ${describeFirstBytes(kernel)}.`);
  }
  parseElf32(kernel);
  return { kind: 'floppy', kernel, cmdline: `(fd0)/${path}`, description: `${what} (kernel from ${path})` };
}
