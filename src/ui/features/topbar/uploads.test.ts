// Tests of sorting uploads into kernels and sources.
import { describe, expect, it } from 'vitest';
import { classifyUpload } from './uploads.ts';

describe('upload classification', () => {
  it('boots kernels and floppy images', () => {
    expect(classifyUpload('kernel')).toBe('kernel');
    expect(classifyUpload('bootfd.img')).toBe('kernel');
    expect(classifyUpload('garbage.bin')).toBe('kernel');
  });

  it('treats sources and zips as sources', () => {
    expect(classifyUpload('p2.zip')).toBe('source-zip');
    expect(classifyUpload('kern/kernel.c')).toBe('source-file');
    expect(classifyUpload('inc/x86/seg.h')).toBe('source-file');
    expect(classifyUpload('boot/entry.S')).toBe('source-file');
  });
});
