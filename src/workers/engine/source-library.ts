// The source files the source view can show: the bundled samples' files (fetched on first use) and files
// the user dropped (a folder's files, or a .zip unpacked with fflate). Line info names files by the path
// the compiler saw (often absolute, e.g. /home/me/p3/kern/kernel.c); a file matches the known path that
// shares the longest run of trailing path segments with it.
import { unzipSync } from 'fflate';

/** Longest file we keep as text (bigger files are not sources). */
const MAX_SOURCE_BYTES = 4 << 20;

type Entry = { text: Promise<string | null> } | { load: () => Promise<string | null> };

function segments(path: string): string[] {
  return path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
}

/** How many trailing path segments two paths share. */
export function sharedTail(a: string, b: string): number {
  const x = segments(a);
  const y = segments(b);
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

export class SourceLibrary {
  private readonly entries = new Map<string, Entry>();

  /** Registers a file whose text is fetched when first needed (bundled samples). */
  addRemote(path: string, load: () => Promise<string | null>): void {
    this.entries.set(segments(path).join('/'), { load });
  }

  /** Adds dropped files; .zip files are unpacked. Returns how many source files were added. */
  addFiles(files: { path: string; bytes: Uint8Array }[]): number {
    let added = 0;
    for (const file of files) {
      if (/\.zip$/i.test(file.path)) {
        let unpacked: Record<string, Uint8Array>;
        try {
          unpacked = unzipSync(file.bytes);
        } catch (error) {
          throw new Error(`${file.path} is not a readable .zip file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
        }
        added += this.addFiles(Object.entries(unpacked).filter(([path]) => !path.endsWith('/')).map(([path, bytes]) => ({ path, bytes })));
      } else if (file.bytes.length <= MAX_SOURCE_BYTES) {
        this.entries.set(segments(file.path).join('/'), { text: Promise.resolve(new TextDecoder().decode(file.bytes)) });
        added++;
      }
    }
    return added;
  }

  /** The known path that best matches `file` (at least its file name must match), or null. */
  resolve(file: string): string | null {
    let best: string | null = null;
    let bestScore = 0;
    for (const path of this.entries.keys()) {
      const score = sharedTail(path, file);
      if (score > bestScore) {
        best = path;
        bestScore = score;
      }
    }
    return best;
  }

  has(file: string): boolean {
    return this.resolve(file) !== null;
  }

  text(file: string): Promise<string | null> {
    const path = this.resolve(file);
    if (path === null) return Promise.resolve(null);
    const entry = this.entries.get(path)!;
    if ('text' in entry) return entry.text;
    const text = entry.load();
    this.entries.set(path, { text });
    return text;
  }
}
