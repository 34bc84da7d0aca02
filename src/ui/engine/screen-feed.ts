// The latest VGA frame from the worker, outside the store (it changes up to 60 times a second and is
// binary): the engine controller publishes, the screen canvas subscribes and draws on the next frame.
import type { ScreenFrame } from '../../workers/protocol.ts';

type Listener = (frame: ScreenFrame | null) => void;

export class ScreenFeed {
  private frame: ScreenFrame | null = null;
  private readonly listeners = new Set<Listener>();

  latest(): ScreenFrame | null {
    return this.frame;
  }

  publish(frame: ScreenFrame | null): void {
    this.frame = frame;
    for (const listener of this.listeners) listener(frame);
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const screenFeed = new ScreenFeed();
