// The UI's single owner of the engine worker (a manager in the tldraw sense: it owns the worker's
// lifetime). It starts and restarts the worker, turns the worker's batched updates into store writes and
// screen frames, and offers the commands the action registry binds to the toolbar and shortcuts.
// Components never talk to comlink directly.
import { proxy, startEngine, transfer, type Engine, type EngineHandle } from '../../workers/client.ts';
import type {
  EngineUpdate, ExplorationCommand, ExplorationReports, ExplorationState, ExploreRequest, LoadRequest, LoadResult, MemoryDump, MemoryRequest, Outcome,
} from '../../workers/protocol.ts';
import type { AppState } from '../store/index.ts';
import { useStore } from '../store/index.ts';
import { IDLE_STATUS } from '../store/slices/session-slice.ts';
import { screenFeed, type ScreenFeed } from './screen-feed.ts';

type Store = Pick<typeof useStore, 'getState' | 'setState'>;

/** The commands actions may use: a narrow view of the controller. */
export interface EngineCommands {
  run(): void;
  pause(): void;
  stepInto(): void;
  stepOver(): void;
  runTo(target: string): void;
  reset(): void;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class EngineController implements EngineCommands {
  private handle: EngineHandle | null = null;
  private sources = new Map<string, Promise<string | null>>();
  /** Loads begun (each knows its number), and whether the user chose a kernel since the engine started. */
  private loads = 0;
  private userLoaded = false;

  constructor(
    private readonly store: Store,
    private readonly screen: ScreenFeed,
    private readonly baseUrl: () => string,
  ) {}

  private get state(): AppState {
    return this.store.getState();
  }

  /** Starts the worker, lists the samples and boots the default one. */
  async start(): Promise<void> {
    const handle = startEngine((error) => this.crashed(handle, error));
    this.handle = handle;
    this.state.engineStarting();
    try {
      const info = await handle.engine.connect({ baseUrl: this.baseUrl() }, proxy((update: EngineUpdate) => this.apply(update)));
      if (this.handle !== handle) return;
      this.state.engineReady(info);
      const samples = await handle.engine.samples();
      if (!samples.ok) return this.state.setSamplesError(samples.error);
      this.state.setSamples(samples.value);
      const preferred = samples.value.find((sample) => sample.isDefault);
      if (preferred && !this.userLoaded) await this.boot({ kind: 'sample', name: preferred.name });
    } catch (error) {
      this.crashed(handle, messageOf(error));
    }
  }

  /** Terminates the worker (the page is going away, or a restart follows). */
  stop(): void {
    this.handle?.terminate();
    this.handle = null;
  }

  /** Throws the worker away (whatever state it is in) and starts a fresh one. */
  async restart(): Promise<void> {
    this.stop();
    this.userLoaded = false;
    this.sources.clear();
    this.screen.publish(null);
    this.store.setState({ image: null, loading: null, status: IDLE_STATUS, inspection: null, mipsHistory: [] });
    this.state.clearExploration();
    this.state.clearLog();
    await this.start();
  }

  /** Loads what the user chose (the default sample is then not preloaded any more). */
  async load(request: LoadRequest): Promise<void> {
    this.userLoaded = true;
    await this.boot(request);
  }

  /** Only the newest load's outcome is shown: an older one the worker finished later is superseded. */
  private async boot(request: LoadRequest): Promise<void> {
    const name = request.kind === 'sample' ? request.name : request.fileName;
    const generation = ++this.loads;
    this.state.loadStarted(name);
    const payload = request.kind === 'file' ? transfer(request, [request.bytes]) : request;
    const result = await this.call<LoadResult>((engine) => engine.load(payload));
    if (!result || generation !== this.loads) return;
    if (!result.ok) this.state.loadFailed(result.error);
  }

  /** Sources for an uploaded kernel (files of a folder, or one .zip). */
  async addSources(files: { path: string; bytes: ArrayBuffer }[]): Promise<Outcome<number> | null> {
    const result = await this.call<Outcome<number>>((engine) => engine.addSources(transfer(files, files.map((f) => f.bytes))));
    if (result?.ok) this.sources.clear();
    return result;
  }

  run(): void {
    void this.call((engine) => engine.run());
  }
  pause(): void {
    void this.call((engine) => engine.pause());
  }
  stepInto(): void {
    void this.call((engine) => engine.stepInto());
  }
  stepOver(): void {
    void this.call((engine) => engine.stepOver());
  }
  runTo(target: string): void {
    void this.call<Outcome<number>>((engine) => engine.runTo(target)).then((result) => {
      if (result && !result.ok) this.state.showAlert(result.error);
    });
  }
  reset(): void {
    const generation = ++this.loads;
    void this.call<LoadResult>((engine) => engine.reset()).then((result) => {
      if (result && !result.ok && generation === this.loads) this.state.loadFailed(result.error);
    });
  }

  sendScanCodes(bytes: number[]): void {
    void this.call((engine) => engine.sendScanCodes(bytes));
  }
  typeText(text: string): void {
    void this.call<Outcome<number>>((engine) => engine.typeText(text)).then((result) => {
      if (result && !result.ok) this.state.showAlert(result.error);
    });
  }

  async readMemory(request: MemoryRequest): Promise<void> {
    this.state.setMemoryRequest(request);
    const result = await this.call<Outcome<MemoryDump>>((engine) => engine.readMemory(request));
    if (result) this.state.setMemoryResult(result.ok ? { dump: result.value } : { error: result.error });
  }

  /** The text of a source file named by line info (cached per load), or null when unknown. */
  sourceText(file: string): Promise<string | null> {
    let text = this.sources.get(file);
    if (!text) {
      text = this.call((engine) => engine.sourceText(file)).then((value) => value ?? null);
      this.sources.set(file, text);
    }
    return text;
  }

  /** Starts exploring a test of the loaded kernel (replacing an exploration under way). */
  async explore(request: ExploreRequest): Promise<void> {
    // Reset first: the new exploration's first events may arrive before the call returns.
    this.state.explorationStarted(request.test);
    const result = await this.call<Outcome<{ test: string; limitations: string[] }>>((engine) => engine.explore(request));
    if (!result) return;
    if (result.ok) {
      this.state.explorationLimitations(result.value.limitations);
      return;
    }
    this.state.clearExploration();
    this.state.showAlert(result.error);
  }

  exploreCommand(command: ExplorationCommand): void {
    void this.call<Outcome<ExplorationState>>((engine) => engine.exploreCommand(command)).then((result) => {
      if (result && !result.ok) this.state.showAlert(result.error);
    });
  }

  /** The exploration's JSON and HTML reports, or null (with an alert) when there are none. */
  async explorationReports(): Promise<ExplorationReports | null> {
    const result = await this.call<Outcome<ExplorationReports>>((engine) => engine.explorationReports());
    if (!result) return null;
    if (!result.ok) {
      this.state.showAlert(result.error);
      return null;
    }
    return result.value;
  }

  /** Runs one worker call; a rejection means the worker itself failed, which the UI reports as a crash. */
  private async call<T>(fn: (engine: Engine) => Promise<T>): Promise<T | null> {
    const handle = this.handle;
    if (!handle) return null;
    try {
      return await fn(handle.engine);
    } catch (error) {
      this.crashed(handle, messageOf(error));
      return null;
    }
  }

  private crashed(handle: EngineHandle, error: string): void {
    if (this.handle !== handle) return;
    this.state.engineCrashed(error);
    this.store.setState({ loading: null });
  }

  private apply(update: EngineUpdate): void {
    const state = this.state;
    if (update.started) {
      this.sources.clear();
      this.screen.publish(null);
      state.clearLog();
      state.setInspection(null);
      state.clearExploration();
      state.loadSucceeded(update.started);
    }
    if (update.exploration?.length) state.applyExplorationEvents(update.exploration);
    if (update.screen) this.screen.publish(update.screen);
    if (update.log?.length) state.appendLog(update.log);
    if (update.status) {
      state.applyStatus(update.status);
      if (update.status.state === 'running' || update.status.state === 'waiting') state.setInspection(null);
    }
    if (update.inspection) {
      state.setInspection(update.inspection);
      void this.readMemory(state.memory.request);
    }
  }
}

export const engineController = new EngineController(useStore, screenFeed, () => document.baseURI);
