// Sorting what the user picked or dropped: a kernel image (ELF or bootfd.img) to boot, or sources for
// the source view (C/assembly files of a folder, or a .zip of it).

const SOURCE_FILE = /\.(c|h|s|S|inc|lds|ld)$/;

export type UploadKind = 'kernel' | 'source-zip' | 'source-file';

export function classifyUpload(fileName: string): UploadKind {
  if (/\.zip$/i.test(fileName)) return 'source-zip';
  if (SOURCE_FILE.test(fileName) || fileName === 'Makefile' || fileName.endsWith('/Makefile')) return 'source-file';
  return 'kernel';
}
