// Measures the guest's speed in million instructions per second by the worker's wall clock, over a
// sliding window, so the status bar shows a steady figure.

/** Length of one measuring window. */
export const WINDOW_MS = 500;

export class MipsMeter {
  private startTime = 0;
  private startInstructions = 0;
  private value = 0;

  constructor(private readonly now: () => number) {}

  /** Starts measuring afresh (after a pause, a load or a reset). */
  restart(instructions: number): void {
    this.startTime = this.now();
    this.startInstructions = instructions;
    this.value = 0;
  }

  /** Records progress; returns the MIPS of the last complete window. */
  sample(instructions: number): number {
    const elapsed = this.now() - this.startTime;
    if (elapsed >= WINDOW_MS) {
      this.value = (instructions - this.startInstructions) / elapsed / 1000;
      this.startTime += elapsed;
      this.startInstructions = instructions;
    }
    return this.value;
  }
}
