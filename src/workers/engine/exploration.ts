// One exploration in the worker: an explorer session (behind `ExplorationBackend`, so that this module
// and its tests need no kernel) run in slices of a few milliseconds, yielding to the worker's event loop
// between slices so that commands (pause, stop, go to, step, branch) and the emulator's own requests get
// in. Events go to the update batcher and out with the next update, at most once per display frame;
// state changes go out at once.
import type { ExplorationCommand, ExplorationEvent, ExplorationReports, ExplorationState, ExploreRequest } from '../protocol.ts';
import type { ManifestSample } from './manifest.ts';
import type { UpdateBatcher } from './update-batcher.ts';

/** Seconds of exploration per slice before the loop yields. */
export const EXPLORE_SLICE_SECONDS = 0.008;

/** An exploration session as the worker drives it. */
export interface ExplorationBackend {
  /** Runs branches for about `seconds`; false once it is not running (finished, paused, stopped, failed). */
  runSlice(seconds: number): boolean;
  command(command: ExplorationCommand): void;
  readonly state: ExplorationState;
  /** What the explorer cannot see on this kernel (functions missing by name), a sentence each. */
  readonly limitations: readonly string[];
  reports(): ExplorationReports;
}

/** The image being explored: its name, bytes and (for a bundled sample) its manifest entry. */
export interface ExplorationImage {
  name: string;
  bytes: Uint8Array;
  sample: ManifestSample | null;
}

/**
 * Prepares an exploration (throws an Error whose message is a sentence for the user when the kernel or
 * the request cannot be explored). `clock` is in seconds.
 */
export type StartExploration = (image: ExplorationImage, request: ExploreRequest,
  sink: (events: readonly ExplorationEvent[]) => void, clock: () => number) => ExplorationBackend;

export interface ExplorationHost {
  /** Resolves after the worker's event loop has had a turn. */
  pause(ms: number): Promise<void>;
  batcher: UpdateBatcher;
}

export class ExplorationRunner {
  private looping = false;
  private disposed = false;

  constructor(private readonly backend: ExplorationBackend, private readonly host: ExplorationHost) {}

  get state(): ExplorationState {
    return this.backend.state;
  }

  get limitations(): readonly string[] {
    return this.backend.limitations;
  }

  /** Starts (or continues) the slice loop unless it is already going. */
  run(): void {
    if (this.looping || this.disposed) return;
    this.looping = true;
    void this.loop();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.disposed && this.backend.runSlice(EXPLORE_SLICE_SECONDS)) {
        this.host.batcher.flush();
        await this.host.pause(0);
      }
    } finally {
      this.looping = false;
      this.host.batcher.flush(true);
    }
  }

  command(command: ExplorationCommand): ExplorationState {
    this.backend.command(command);
    this.host.batcher.flush(true);
    if (this.backend.state === 'running') this.run();
    return this.backend.state;
  }

  reports(): ExplorationReports {
    return this.backend.reports();
  }

  /** Stops for good (a new exploration or a new kernel replaces this one). */
  dispose(): void {
    if (this.disposed) return;
    if (this.backend.state === 'running' || this.backend.state === 'paused' || this.backend.state === 'idle') this.backend.command({ kind: 'stop' });
    this.disposed = true;
    this.host.batcher.flush(true);
  }
}
