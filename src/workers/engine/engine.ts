// The engine worker's API (protocol.ts `EngineApi`): lists and loads kernels, owns the current guest
// session and the current exploration, and answers the debugger's questions. Emulator and explorer
// access come in through `EngineDeps` (the worker entry passes the real Machine and kernel explorer), so
// this module imports neither layer and its tests can use fakes.
import type { EngineApi, EngineInfo, EngineOptions, EngineUpdate, ImageSummary, LoadRequest, LoadResult, Outcome, SampleKernel } from '../protocol.ts';
import { ExplorationRunner, type StartExploration } from './exploration.ts';
import type { GuestMachine } from './guest.ts';
import { inspect, linearEip, readMemory } from './inspect.ts';
import { ManifestError, parseManifest, publicSample, type ManifestSample } from './manifest.ts';
import { GuestSession } from './session.ts';
import { SourceLibrary } from './source-library.ts';
import { UpdateBatcher } from './update-batcher.ts';

export interface EngineDeps {
  version: string;
  /** Boots an image; throws an Error whose message is a sentence for the user when the image is bad. */
  boot(image: Uint8Array): GuestMachine;
  /** Prepares an exploration of an image (on a machine of its own). */
  explore: StartExploration;
  now(): number;
  pause(ms: number): Promise<void>;
  fetch(url: string): Promise<Response>;
  /** Sends an update to the UI, moving the given buffers. */
  transfer(update: EngineUpdate, buffers: Transferable[], send: (update: EngineUpdate) => void): void;
}

interface Loaded {
  name: string;
  bytes: Uint8Array;
  sample: ManifestSample | null;
  summary: ImageSummary;
}

/** What kind of image the bytes are (the loader accepted them, so this only names the format). */
export function imageKind(bytes: Uint8Array): ImageSummary['kind'] {
  if (bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip-elf';
  return bytes.length >= 512 && bytes[510] === 0x55 && bytes[511] === 0xaa ? 'floppy' : 'multiboot-binary';
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a load answers when a newer load replaced it before it finished. */
const SUPERSEDED = 'A newer load replaced this one before it finished.';

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createEngine(deps: EngineDeps): EngineApi {
  const info: EngineInfo = { name: 'faultline-engine', version: deps.version };
  let baseUrl = '';
  let send: ((update: EngineUpdate) => void) | null = null;
  let manifest: Promise<ManifestSample[]> | null = null;
  let session: GuestSession | null = null;
  let sources = new SourceLibrary();
  let loaded: Loaded | null = null;
  let exploration: ExplorationRunner | null = null;
  /** Loads (and resets) begun so far; each knows its number. */
  let loads = 0;

  const batcher = new UpdateBatcher(
    (update, buffers) => send && deps.transfer(update, buffers, send),
    deps.now,
    () => {
      if (!session) return null;
      const screen = session.machine.screen();
      return {
        columns: 80,
        rows: 25,
        cells: new Uint16Array(screen.cells),
        cursor: { row: screen.cursor.row, column: screen.cursor.col, visible: screen.cursor.visible },
      };
    },
  );
  const host = { now: deps.now, pause: deps.pause, batcher };

  const kernelsUrl = (path: string) => new URL(`kernels/${path}`, baseUrl).href;

  function samples(): Promise<ManifestSample[]> {
    manifest ??= deps.fetch(kernelsUrl('manifest.json')).then(async (response) => {
      if (!response.ok) throw new ManifestError(`public/kernels/manifest.json could not be fetched (HTTP ${response.status})`);
      return parseManifest(await response.json());
    });
    return manifest;
  }

  async function imageBytes(request: LoadRequest): Promise<{ name: string; bytes: Uint8Array; sample: ManifestSample | null }> {
    if (request.kind === 'file') return { name: request.fileName, bytes: new Uint8Array(request.bytes), sample: null };
    const sample = (await samples()).find((s) => s.name === request.name);
    if (!sample) throw new Error(`There is no sample kernel named ${request.name}.`);
    const response = await deps.fetch(kernelsUrl(sample.kernel));
    if (!response.ok) throw new Error(`The sample ${sample.name} could not be fetched (HTTP ${response.status} for kernels/${sample.kernel}).`);
    return { name: sample.name, bytes: new Uint8Array(await response.arrayBuffer()), sample };
  }

  /**
   * Boots an image and makes it the current guest, unless a newer load began meanwhile (`generation`
   * is the load's number): the last load asked for wins, however long each one takes.
   */
  async function boot(name: string, bytes: Uint8Array, sample: ManifestSample | null, keepSources: boolean, generation: number): Promise<LoadResult> {
    if (bytes.length === 0) return { ok: false, error: `${name} is empty.` };
    const hash = await sha256(bytes);
    if (generation !== loads) return { ok: false, error: SUPERSEDED };
    // From here on nothing awaits: the old guest stops and the new one starts in one go.
    let machine: GuestMachine;
    try {
      machine = deps.boot(bytes);
    } catch (error) {
      return { ok: false, error: `${name} cannot be booted: ${messageOf(error)}` };
    }
    session?.dispose();
    exploration?.dispose();
    exploration = null;
    batcher.flush(true);
    if (!keepSources) {
      sources = new SourceLibrary();
      for (const path of sample?.sources ?? []) {
        sources.addRemote(path, () => deps.fetch(kernelsUrl(path)).then((r) => (r.ok ? r.text() : null), () => null));
      }
    }
    const summary: ImageSummary = {
      name,
      sha256: hash,
      kind: imageKind(bytes),
      sizeBytes: bytes.length,
      entry: linearEip(machine),
      programs: machine.debug.programNames(),
      symbolCount: machine.debug.kernel.symbols.symbols.length,
      hasLineInfo: machine.debug.kernel.lines.rows.length > 0,
    };
    loaded = { name, bytes, sample, summary };
    batcher.sessionStarted(summary);
    session = new GuestSession(machine, host, sources);
    session.run();
    return { ok: true, image: summary };
  }

  const withSession = <T>(fn: (s: GuestSession) => Outcome<T>): Outcome<T> =>
    session ? fn(session) : { ok: false, error: 'No kernel is loaded.' };
  const withExploration = <T>(fn: (e: ExplorationRunner) => T): Outcome<T> =>
    exploration ? { ok: true, value: fn(exploration) } : { ok: false, error: 'No exploration has been started.' };

  return {
    connect(options: EngineOptions, onUpdate: (update: EngineUpdate) => void): EngineInfo {
      baseUrl = options.baseUrl;
      send = onUpdate;
      manifest = null;
      return info;
    },
    async samples(): Promise<Outcome<SampleKernel[]>> {
      try {
        return { ok: true, value: (await samples()).map(publicSample) };
      } catch (error) {
        manifest = null;
        return { ok: false, error: messageOf(error) };
      }
    },
    async load(request: LoadRequest): Promise<LoadResult> {
      const generation = ++loads;
      try {
        const { name, bytes, sample } = await imageBytes(request);
        if (generation !== loads) return { ok: false, error: SUPERSEDED };
        return await boot(name, bytes, sample, false, generation);
      } catch (error) {
        return { ok: false, error: messageOf(error) };
      }
    },
    run: () => session?.run(),
    pause: () => session?.pause(),
    stepInto: () => session?.stepInto(),
    stepOver: () => session?.stepOver(),
    runTo: (target: string) =>
      withSession((s) => {
        if (s.runState !== 'paused') return { ok: false, error: 'Pause the guest before running to a target.' };
        const text = target.trim();
        const hex = /^(?:0x)?([0-9a-f]{1,8})$/i.exec(text);
        const address = s.machine.debug.address(text) ?? (hex ? parseInt(hex[1], 16) : undefined);
        if (address === undefined) return { ok: false, error: `${text} is neither a known symbol nor a hexadecimal address.` };
        s.runTo(address);
        return { ok: true, value: address };
      }),
    async reset(): Promise<LoadResult> {
      if (!loaded) return { ok: false, error: 'No kernel is loaded.' };
      return boot(loaded.name, loaded.bytes, loaded.sample, true, ++loads);
    },
    sendScanCodes(bytes: number[]): void {
      if (!session) return;
      session.machine.keyboard.sendScanCodes(bytes.filter((b) => Number.isInteger(b) && b >= 0 && b <= 0xff));
      session.inputArrived();
    },
    typeText: (text: string) =>
      withSession((s) => {
        try {
          s.machine.keyboard.typeText(text);
        } catch (error) {
          return { ok: false, error: `That text cannot be typed: ${messageOf(error)}` };
        }
        s.inputArrived();
        return { ok: true, value: text.length };
      }),
    readMemory: (request) => withSession((s) => readMemory(s.machine, request)),
    sourceText: (file: string) => sources.text(file),
    addSources(files) {
      try {
        const added = sources.addFiles(files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) })));
        if (added === 0) return { ok: false, error: 'None of those files is a source file.' };
        if (session && session.runState !== 'running' && session.runState !== 'waiting') batcher.setInspection(inspect(session.machine, sources));
        batcher.flush(true);
        return { ok: true, value: added };
      } catch (error) {
        return { ok: false, error: messageOf(error) };
      }
    },
    async explore(request) {
      if (!loaded) return { ok: false, error: 'Load a kernel before exploring it.' };
      const test = request.test.trim();
      if (!loaded.summary.programs.includes(test)) {
        return { ok: false, error: `${loaded.name} has no test program named '${test}' (its programs: ${loaded.summary.programs.join(', ') || 'none'}).` };
      }
      exploration?.dispose();
      exploration = null;
      try {
        const wanted = request.events ? new Set(request.events) : null;
        const backend = deps.explore({ name: loaded.name, bytes: loaded.bytes, sample: loaded.sample }, { ...request, test },
          (events) => batcher.addExploration(wanted ? events.filter((e) => wanted.has(e.kind)) : events), () => deps.now() / 1000);
        exploration = new ExplorationRunner(backend, host);
      } catch (error) {
        return { ok: false, error: `${test} cannot be explored on ${loaded.name}: ${messageOf(error)}` };
      }
      exploration.run();
      return { ok: true, value: { test, limitations: [...exploration.limitations] } };
    },
    exploreCommand: (command) => withExploration((e) => e.command(command)),
    explorationReports: () => {
      try {
        return withExploration((e) => e.reports());
      } catch (error) {
        return { ok: false, error: `The reports could not be made: ${messageOf(error)}` };
      }
    },
  };
}
