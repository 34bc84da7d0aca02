// Turns files the user picked or dropped into engine calls: a kernel image is booted, sources (folder
// files or a .zip) are handed to the worker for the source view. Dropped folders are walked with the
// File and Directory Entries API.
import { engineController } from '../../engine/engine-controller.ts';
import { useStore } from '../../store/index.ts';
import { classifyUpload } from './uploads.ts';

interface NamedFile {
  path: string;
  file: File;
}

function readEntry(entry: FileSystemEntry, prefix: string): Promise<NamedFile[]> {
  if (entry.isFile) {
    return new Promise((resolve, reject) =>
      (entry as FileSystemFileEntry).file((file) => resolve([{ path: prefix + entry.name, file }]), reject),
    );
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const readBatch = () => new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
  return (async () => {
    const files: NamedFile[] = [];
    for (let batch = await readBatch(); batch.length > 0; batch = await readBatch()) {
      for (const child of batch) files.push(...(await readEntry(child, `${prefix}${entry.name}/`)));
    }
    return files;
  })();
}

/** The files of a drop, folders included. */
export async function droppedFiles(data: DataTransfer): Promise<NamedFile[]> {
  const entries = [...data.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...data.files].map((file) => ({ path: file.name, file }));
  return (await Promise.all(entries.map((entry) => readEntry(entry, '')))).flat();
}

/** Files from an <input type=file> (with webkitdirectory, paths are relative to the chosen folder). */
export function pickedFiles(list: FileList): NamedFile[] {
  return [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

export async function openFiles(files: NamedFile[]): Promise<void> {
  const store = useStore.getState();
  const kernels = files.filter((f) => classifyUpload(f.path) === 'kernel');
  const sources = files.filter((f) => classifyUpload(f.path) !== 'kernel');
  const isFolder = files.some((f) => f.path.includes('/'));
  if (kernels.length > 0 && !isFolder) {
    if (kernels.length > 1) return store.showAlert(`Drop one kernel at a time (got ${kernels.map((f) => f.path).join(', ')}).`);
    const [kernel] = kernels;
    await engineController.load({ kind: 'file', fileName: kernel.file.name, bytes: await kernel.file.arrayBuffer() });
  }
  if (sources.length > 0) {
    const payload = await Promise.all(sources.map(async (f) => ({ path: f.path, bytes: await f.file.arrayBuffer() })));
    const added = await engineController.addSources(payload);
    if (added && !added.ok) store.showAlert(added.error);
  }
}
