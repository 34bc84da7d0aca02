// A deterministic event scheduler in virtual time (instruction counts), in the style of jsbeeb's
// scheduler: devices own named timers created once at machine construction; a timer has an absolute
// deadline (an instruction count) or none. The machine runs the CPU up to the earliest deadline, then
// fires every timer that is due, in deadline order (ties: creation order), so execution is a pure
// function of the program and of the inputs given at given instruction counts.
// Because the set of timers is fixed, the scheduler's state is just the list of deadlines: that is what
// snapshots save and restore.

export type TimerCallback = (now: number) => void;

export class Timer {
  /** Absolute instruction count at which the timer fires; Infinity when not armed. */
  deadline = Infinity;

  constructor(readonly name: string, readonly callback: TimerCallback, private readonly scheduler: Scheduler) {}

  /** Arms the timer for the absolute instruction count `at` (replacing any earlier deadline). */
  schedule(at: number): void {
    this.deadline = at;
    this.scheduler.onSchedule?.(at);
  }

  cancel(): void {
    this.deadline = Infinity;
  }

  get armed(): boolean {
    return this.deadline !== Infinity;
  }
}

/** Saved deadlines, one per timer in creation order (null = not armed; JSON has no Infinity). */
export type SchedulerState = (number | null)[];

export class Scheduler {
  private readonly timers: Timer[] = [];
  /**
   * Told every new deadline. The machine uses it to end a CPU run early when a device (programmed by the
   * running guest) arms a timer before the point the CPU was told to run to.
   */
  onSchedule: ((deadline: number) => void) | null = null;

  /** Creates a timer; call only while building the machine (the list is part of the snapshot layout). */
  createTimer(name: string, callback: TimerCallback): Timer {
    if (this.timers.some((t) => t.name === name)) throw new Error(`duplicate timer ${name}`);
    const timer = new Timer(name, callback, this);
    this.timers.push(timer);
    return timer;
  }

  /** The earliest deadline of all armed timers, or Infinity. */
  nextDeadline(): number {
    let next = Infinity;
    for (const t of this.timers) if (t.deadline < next) next = t.deadline;
    return next;
  }

  /**
   * Fires every timer whose deadline is <= now, earliest first. A timer is disarmed before its callback
   * runs; the callback may re-arm it (a periodic timer) or arm others. Returns the number fired.
   */
  runDue(now: number): number {
    let fired = 0;
    for (;;) {
      let due: Timer | null = null;
      for (const t of this.timers) if (t.deadline <= now && (due === null || t.deadline < due.deadline)) due = t;
      if (due === null) return fired;
      const at = due.deadline;
      due.deadline = Infinity;
      due.callback(at);
      fired++;
    }
  }

  saveState(): SchedulerState {
    return this.timers.map((t) => (t.armed ? t.deadline : null));
  }

  loadState(state: SchedulerState): void {
    if (state.length !== this.timers.length) throw new Error('scheduler state does not match this machine');
    state.forEach((d, i) => { this.timers[i].deadline = d ?? Infinity; });
  }
}
