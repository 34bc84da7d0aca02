// EFLAGS decoded into named flags (Intel SDM vol. 1, 3.4.3 "EFLAGS Register"): the status flags, the
// control and system flags, and the two-bit I/O privilege level.

export interface FlagBit {
  name: string;
  bit: number;
  description: string;
}

export const EFLAGS_BITS: readonly FlagBit[] = [
  { name: 'CF', bit: 0, description: 'carry' },
  { name: 'PF', bit: 2, description: 'parity' },
  { name: 'AF', bit: 4, description: 'auxiliary carry' },
  { name: 'ZF', bit: 6, description: 'zero' },
  { name: 'SF', bit: 7, description: 'sign' },
  { name: 'TF', bit: 8, description: 'trap' },
  { name: 'IF', bit: 9, description: 'interrupts enabled' },
  { name: 'DF', bit: 10, description: 'direction' },
  { name: 'OF', bit: 11, description: 'overflow' },
  { name: 'NT', bit: 14, description: 'nested task' },
  { name: 'RF', bit: 16, description: 'resume' },
  { name: 'VM', bit: 17, description: 'virtual-8086 mode' },
  { name: 'AC', bit: 18, description: 'alignment check' },
  { name: 'VIF', bit: 19, description: 'virtual interrupt' },
  { name: 'VIP', bit: 20, description: 'virtual interrupt pending' },
  { name: 'ID', bit: 21, description: 'CPUID available' },
];

export interface DecodedFlags {
  set: FlagBit[];
  iopl: number;
}

export function decodeEflags(eflags: number): DecodedFlags {
  return {
    set: EFLAGS_BITS.filter((flag) => (eflags >>> flag.bit) & 1),
    iopl: (eflags >>> 12) & 3,
  };
}
