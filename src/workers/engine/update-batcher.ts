// Batches what the UI needs to hear into one message per display frame at most: the screen (only if it
// changed since the last message; its cells travel as a transferable buffer), new log lines, the latest
// status, the inspection of a stop and the exploration's events. Urgent changes (a stop) are flushed at once.
import type { EngineStatus, EngineUpdate, ExplorationEvent, ImageSummary, Inspection, LogLine, ScreenFrame } from '../protocol.ts';

/** One display frame at 60 Hz. */
export const FRAME_MS = 16;

export type Send = (update: EngineUpdate, transfer: Transferable[]) => void;

export class UpdateBatcher {
  private started: ImageSummary | null = null;
  private log: LogLine[] = [];
  private status: EngineStatus | null = null;
  private inspection: Inspection | null = null;
  private exploration: ExplorationEvent[] = [];
  private screenDirty = false;
  private lastFlush = -Infinity;

  constructor(
    private readonly send: Send,
    private readonly now: () => number,
    private readonly screen: () => ScreenFrame | null,
  ) {}

  /** Announces a new guest; anything still pending from the previous one must be flushed before. */
  sessionStarted(image: ImageSummary): void {
    this.started = image;
  }

  addLog(lines: LogLine[]): void {
    this.log.push(...lines);
  }

  setStatus(status: EngineStatus): void {
    this.status = status;
  }

  setInspection(inspection: Inspection): void {
    this.inspection = inspection;
  }

  addExploration(events: readonly ExplorationEvent[]): void {
    for (const e of events) this.exploration.push(e);
  }

  screenChanged(): void {
    this.screenDirty = true;
  }

  /** Sends what is pending if a frame has passed since the last message (or at once if `urgent`). */
  flush(urgent = false): void {
    const now = this.now();
    if (!urgent && now - this.lastFlush < FRAME_MS) return;
    const update: EngineUpdate = this.started ? { started: this.started } : {};
    const transfer: Transferable[] = [];
    this.started = null;
    if (this.screenDirty) {
      const frame = this.screen();
      if (frame) {
        update.screen = frame;
        transfer.push(frame.cells.buffer as ArrayBuffer);
      }
      this.screenDirty = false;
    }
    if (this.log.length) update.log = this.log.splice(0);
    if (this.status) update.status = this.status;
    if (this.inspection) update.inspection = this.inspection;
    if (this.exploration.length) update.exploration = this.exploration.splice(0);
    this.status = null;
    this.inspection = null;
    if (Object.keys(update).length === 0) return;
    this.lastFlush = now;
    this.send(update, transfer);
  }
}
