// What every device module offers the machine: it claims its I/O ports on the bus, and (if it has state)
// saves it as plain JSON-able data and restores it, for snapshots. Devices never read the wall clock:
// time comes from the machine (instruction counts, see ../time/clock.ts).

import type { IoBus } from '../bus/io-bus.ts';

export interface PortDevice {
  /** Registers the device's port handlers on the bus (once, while the machine is built). */
  attach(io: IoBus): void;
}

export interface StatefulDevice<S> extends PortDevice {
  /**
   * The device's state as plain data, immutable: later changes to the device never show in it (a device
   * may share arrays with it and copy them before its next write), and it must not be mutated.
   */
  saveState(): S;
  /** Restores a state saved by `saveState` of a device built the same way (the state stays unchanged). */
  loadState(state: S): void;
}
