// What every device module offers the machine: it claims its I/O ports on the bus, and (if it has state)
// saves it as plain JSON-able data and restores it, for snapshots. Devices never read the wall clock:
// time comes from the machine (instruction counts, see ../time/clock.ts).

import type { IoBus } from '../bus/io-bus.ts';

export interface PortDevice {
  /** Registers the device's port handlers on the bus (once, while the machine is built). */
  attach(io: IoBus): void;
}

export interface StatefulDevice<S> extends PortDevice {
  /** The device's state as plain data (no references into the device). */
  saveState(): S;
  /** Restores a state saved by `saveState` of a device built the same way. */
  loadState(state: S): void;
}
