// The 15-410 Simics "magic instruction" sim-call protocol (landslide.md section 2): `xchg %ebx,%ebx`
// (or its 16-bit form) with the call number in EBX, arguments in ECX and EDX, result in EAX.
// Numbers follow the course's cs410_namespace.py / libsimics simics.h. Any EBX value that is not a
// 0x0410xxxx sim-call leaves the instruction a plain xchg (kernels use other marker values).
// Unlike Simics, calls are accepted before `sim_booted` (kernels call it first anyway; accepting them
// always means an early lprintf is not lost). Course-internal calls (checkpoint checkers, Fritz grading
// harness, 0x04108000-0x0410800A) are counted and otherwise ignored, as is any unknown 0x0410xxxx number.

export const SIM_IN_SIMICS = 0x04100000;
export const SIM_MEMSIZE = 0x04100001;
export const SIM_PUTS = 0x04100002;
export const SIM_BREAKPOINT = 0x04100003;
export const SIM_HALT = 0x04100004;
export const SIM_REG_PROCESS = 0x04100005;
export const SIM_UNREG_PROCESS = 0x04100006;
export const SIM_REG_CHILD = 0x04100007;
export const SIM_BOOTED = 0x04100008;
export const SIM_TID_SET = 0x04100009;
export const SIM_TID_DEL = 0x0410000a;
export const SIM_TEST_REPORT = 0x0410800b;

/** What in_simics answers. */
export const IN_SIMICS_MAGIC = 0x15410de0;
/** What memsize answers in user mode (Simics refuses it to user code). */
const MEMSIZE_USER = -15410;
/** Longest string a sim-call reads (lprintf formats into a 256-byte buffer; paths are short). */
export const SIMCALL_STRING_MAX = 4096;

/** What the dispatcher needs from the machine at the moment of the call. */
export interface SimcallHost {
  readonly ebx: number;
  readonly ecx: number;
  readonly edx: number;
  /** Current privilege level (0 kernel, 3 user). */
  readonly cpl: number;
  setEax(value: number): void;
  /** NUL-terminated string at a linear address of the current address space ('' if unmapped). */
  readString(linear: number, max: number): string;
  readonly memoryKB: number;
}

export interface TestReport {
  name: string;
  success: boolean;
}

/** What sim-calls have told us, as plain data (part of the machine snapshot). */
export interface SimcallState {
  booted: boolean;
  bootPath: string | null;
  /** CR3 -> program name (reg_process, reg_child). */
  processes: [number, string][];
  /** tid -> the value given with it (tidinfo_set). */
  tids: [number, number][];
  testReports: TestReport[];
  ignoredCalls: number;
}

export function emptySimcallState(): SimcallState {
  return { booted: false, bootPath: null, processes: [], tids: [], testReports: [], ignoredCalls: 0 };
}

/** Effects the machine carries out. */
export interface SimcallEffects {
  log(source: 'kernel' | 'user', text: string): void;
  stop(reason: 'magic-break' | 'sim-halt'): void;
}

function setEntry<V>(list: [number, V][], key: number, value: V): [number, V][] {
  return [...list.filter(([k]) => k !== key), [key, value]];
}

/**
 * Handles the magic instruction if EBX holds a sim-call number. Returns the updated state (the same
 * object when nothing changed) and whether it was a sim-call at all.
 */
export function dispatchSimcall(host: SimcallHost, state: SimcallState, fx: SimcallEffects): { state: SimcallState; handled: boolean } {
  const call = host.ebx >>> 0;
  if ((call & 0xffff0000) !== 0x04100000) return { state, handled: false };
  const user = host.cpl !== 0;
  const arg0 = host.ecx >>> 0;
  const arg1 = host.edx >>> 0;
  switch (call) {
    case SIM_IN_SIMICS:
      host.setEax(IN_SIMICS_MAGIC);
      break;
    case SIM_MEMSIZE:
      host.setEax(user ? MEMSIZE_USER : host.memoryKB);
      break;
    case SIM_PUTS:
      fx.log(user ? 'user' : 'kernel', host.readString(arg0, SIMCALL_STRING_MAX));
      break;
    case SIM_BREAKPOINT:
      fx.stop('magic-break');
      break;
    case SIM_HALT:
      fx.stop('sim-halt');
      break;
    case SIM_BOOTED:
      return { state: { ...state, booted: true, bootPath: host.readString(arg0, SIMCALL_STRING_MAX) }, handled: true };
    case SIM_REG_PROCESS:
      return { state: { ...state, processes: setEntry(state.processes, arg0, host.readString(arg1, SIMCALL_STRING_MAX)) }, handled: true };
    case SIM_UNREG_PROCESS:
      return { state: { ...state, processes: state.processes.filter(([cr3]) => cr3 !== arg0) }, handled: true };
    case SIM_REG_CHILD: {
      const parent = state.processes.find(([cr3]) => cr3 === arg1);
      if (!parent) return { state, handled: true };
      return { state: { ...state, processes: setEntry(state.processes, arg0, parent[1]) }, handled: true };
    }
    case SIM_TID_SET:
      return { state: { ...state, tids: setEntry(state.tids, arg0, arg1) }, handled: true };
    case SIM_TID_DEL:
      return { state: { ...state, tids: state.tids.filter(([tid]) => tid !== arg0) }, handled: true };
    case SIM_TEST_REPORT:
      return {
        state: { ...state, testReports: [...state.testReports, { name: host.readString(arg0, SIMCALL_STRING_MAX), success: arg1 !== 0 }] },
        handled: true,
      };
    default:
      return { state: { ...state, ignoredCalls: state.ignoredCalls + 1 }, handled: true };
  }
  return { state, handled: true };
}
