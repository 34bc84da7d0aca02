// Tests of matching line-info paths to bundled and dropped source files (folders and zips).
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { sharedTail, SourceLibrary } from './source-library.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('source library', () => {
  it('counts shared trailing segments', () => {
    expect(sharedTail('/home/me/p3/kern/kernel.c', 'p3/kern/kernel.c')).toBe(3);
    expect(sharedTail('kern/kernel.c', 'user/kernel.c')).toBe(1);
    expect(sharedTail('a.c', 'b.c')).toBe(0);
  });

  it('matches line-info paths to dropped files by their longest common tail', async () => {
    const library = new SourceLibrary();
    expect(library.addFiles([
      { path: 'p3/kern/kernel.c', bytes: bytes('kernel') },
      { path: 'p3/user/kernel.c', bytes: bytes('user') },
    ])).toBe(2);
    expect(await library.text('/home/me/p3/kern/kernel.c')).toBe('kernel');
    expect(await library.text('/x/user/kernel.c')).toBe('user');
    expect(library.has('/x/kern/other.c')).toBe(false);
    expect(await library.text('other.c')).toBeNull();
  });

  it('unpacks zips', async () => {
    const library = new SourceLibrary();
    const zip = zipSync({ 'p2/kern/a.c': bytes('int a;'), 'p2/inc/a.h': bytes('extern int a;') });
    expect(library.addFiles([{ path: 'p2.zip', bytes: zip }])).toBe(2);
    expect(await library.text('kern/a.c')).toBe('int a;');
    expect(() => library.addFiles([{ path: 'bad.zip', bytes: bytes('not a zip') }])).toThrow('bad.zip is not a readable .zip file');
  });

  it('fetches remote files once, when first needed', async () => {
    const library = new SourceLibrary();
    let loads = 0;
    library.addRemote('kern/kernel.c', async () => {
      loads++;
      return 'remote';
    });
    expect(loads).toBe(0);
    expect(await library.text('/build/kern/kernel.c')).toBe('remote');
    expect(await library.text('kern/kernel.c')).toBe('remote');
    expect(loads).toBe(1);
  });
});
