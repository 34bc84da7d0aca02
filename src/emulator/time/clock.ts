// Virtual time. The machine has no wall clock: time is the CPU's retired-instruction count, and a fixed
// virtual CPU speed (instructions per second) converts it into the tick counts of the devices' own
// oscillators (the 8254's 1.193182 MHz, the RTC's seconds). All conversions are exact integer arithmetic
// (no floating-point drift, no BigInt): an instruction count n is split as n = q * ips + r so that every
// intermediate product stays below 2^53 for the ranges a machine can reach.

/**
 * Default virtual CPU speed: 10^9 instructions per second. QEMU's TCG runs Pebbles kernels at roughly
 * 1-3 G instructions per wall-clock second on the machines we target, so a timer tick arrives after about
 * as many guest instructions as on QEMU (a 100 Hz PIT fires every 10 M instructions, a 1 kHz PIT every
 * 1 M). Kernels whose correctness depends on boot code finishing before the first tick (real-kernels.md)
 * behave as they do on QEMU. Idle time (HLT) is skipped, so a slow virtual clock costs nothing while the
 * guest waits.
 */
export const DEFAULT_INSTRUCTIONS_PER_SECOND = 1_000_000_000;

export class VirtualClock {
  /** @param instructionsPerSecond a positive integer (at most 2^31), the virtual CPU speed. */
  constructor(readonly instructionsPerSecond: number = DEFAULT_INSTRUCTIONS_PER_SECOND) {
    if (!Number.isInteger(instructionsPerSecond) || instructionsPerSecond < 1 || instructionsPerSecond > 2 ** 31) {
      throw new RangeError(`instructionsPerSecond must be an integer in 1..2^31, got ${instructionsPerSecond}`);
    }
  }

  /** Number of whole periods of an `hz` oscillator (integer hz <= 2^21) elapsed after `instructions`. */
  ticksAt(instructions: number, hz: number): number {
    const ips = this.instructionsPerSecond;
    const q = Math.floor(instructions / ips);
    const r = instructions - q * ips;
    return q * hz + Math.floor((r * hz) / ips);
  }

  /** The first instruction count at which `ticksAt(n, hz) >= tick`. */
  instructionAtTick(tick: number, hz: number): number {
    const ips = this.instructionsPerSecond;
    const q = Math.floor(tick / hz);
    const r = tick - q * hz;
    return q * ips + Math.ceil((r * ips) / hz);
  }
}
