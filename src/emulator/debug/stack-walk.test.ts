// Stack walker on stacks built word by word from the fixture kernel's real call sites: EBP chains, prologue
// and epilogue positions, interrupt and exception stubs, the kernel-to-user crossing of a system call.
import { describe, expect, it } from 'vitest';
import { fixtureKernel } from '../loader/testing/fixtures.ts';
import { compileAndLink, hasI386Toolchain, toolchainTitle } from '../loader/testing/toolchain.ts';
import { DebugInfo, type ModuleDebug } from './debug-info.ts';
import { formatFrame, walkStack, type WalkRegisters } from './stack-walk.ts';

const debug = DebugInfo.fromKernel(fixtureKernel());
const hello = debug.program('hello') as ModuleDebug;

function sym(name: string, mod: ModuleDebug = debug.kernel): number {
  const a = mod.symbols.address(name);
  if (a === undefined) throw new Error(`no symbol ${name}`);
  return a;
}

/** The return address of the `call callee` (e8 rel32) inside caller: found in the image, not hard-coded. */
function returnAddress(caller: string, callee: string, mod: ModuleDebug = debug.kernel): number {
  const start = sym(caller, mod);
  const target = sym(callee, mod);
  let length = 64;
  while (length > 5 && !mod.readCode(start, length)) length--;
  const code = mod.readCode(start, length) as Uint8Array;
  for (let i = 0; i + 5 <= code.length; i++) {
    if (code[i] !== 0xe8) continue;
    const next = start + i + 5;
    if (next + new DataView(code.buffer).getInt32(i + 1, true) === target) return next;
  }
  throw new Error(`no call ${callee} in ${caller}`);
}

/** Guest memory for the test: stack words we push, code from the kernel and from one user program. */
class FakeMachine {
  readonly words = new Map<number, number>();
  constructor(public esp: number, private readonly user: ModuleDebug | null = null) {}
  push(value: number): number {
    this.esp -= 4;
    this.words.set(this.esp, value >>> 0);
    return this.esp;
  }
  read = (a: number): number | null => {
    if (this.words.has(a)) return this.words.get(a) as number;
    const mod = a >= 0x1000000 ? this.user : debug.kernel;
    const b = mod?.readCode(a, 4);
    return b ? new DataView(b.buffer).getUint32(0, true) : 0;
  };
}

const names = (regs: WalkRegisters, m: FakeMachine, program?: string | null) =>
  walkStack(regs, m.read, debug, { program }).map((f) => `${f.kind} ${f.name ?? '?'}+${f.offset}`);

/** _start -> kernel_main -> middle -> leaf, with EBP frames as the fixture's code builds them. */
function kernelChain(m: FakeMachine): { leafEbp: number } {
  m.push(0x9000); // _start pushes %ebx (the multiboot info)
  m.push(returnAddress('_start', 'kernel_main'));
  const kmEbp = m.push(0); // kernel_main: push %ebp (0, cleared by _start)
  m.esp -= 0x14;
  m.push(5);
  m.push(returnAddress('kernel_main', 'middle'));
  const midEbp = m.push(kmEbp);
  m.esp -= 0x14;
  m.push(6);
  m.push(returnAddress('middle', 'leaf'));
  return { leafEbp: m.push(midEbp) };
}

describe('walkStack', () => {
  it('follows EBP frames and formats them Landslide-style', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    const frames = walkStack({ eip: sym('leaf') + 6, esp: m.esp, ebp: leafEbp }, m.read, debug);
    expect(frames.map((f) => f.text)).toEqual([
      `0x${(sym('leaf') + 6).toString(16).padStart(8, '0')} in leaf (kernel.c:36)`,
      `0x${returnAddress('middle', 'leaf').toString(16).padStart(8, '0')} in middle (kernel.c:41)`,
      `0x${returnAddress('kernel_main', 'middle').toString(16).padStart(8, '0')} in kernel_main (kernel.c:48)`,
      `0x${returnAddress('_start', 'kernel_main').toString(16).padStart(8, '0')} in _start (head.S:13)`,
    ]);
    expect(frames.map((f) => f.kind)).toEqual(['top', 'call', 'call', 'call']);
  });

  it('names a return address by the call before it: the call\'s line, the offset of the return address', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    const frames = walkStack({ eip: sym('leaf') + 6, esp: m.esp, ebp: leafEbp }, m.read, debug);
    const ret = returnAddress('middle', 'leaf');
    expect(frames[1]).toMatchObject({ address: ret, name: 'middle', offset: ret - sym('middle'), line: 41 });
  });

  it('handles the prologue: at function entry and after push %ebp', () => {
    const m = new FakeMachine(0x10d640);
    kernelChain(m);
    m.esp += 4; // undo leaf's push %ebp: we are at leaf's first instruction
    const midEbp = m.read(m.esp - 4) as number;
    expect(names({ eip: sym('leaf'), esp: m.esp, ebp: midEbp }, m)).toEqual([
      'top leaf+0', 'call middle+18', 'call kernel_main+20', 'call _start+13',
    ]);
    m.esp -= 4; // after push %ebp, before mov %esp,%ebp
    expect(names({ eip: sym('leaf') + 1, esp: m.esp, ebp: midEbp }, m)).toEqual([
      'top leaf+1', 'call middle+18', 'call kernel_main+20', 'call _start+13',
    ]);
  });

  it('handles epilogues: pop %ebp; ret and leave; ret', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    const popAt = sym('leaf') + 0x19; // pop %ebp
    expect(m.read(popAt)! & 0xffff).toBe(0xc35d);
    expect(names({ eip: popAt, esp: leafEbp, ebp: leafEbp }, m)[1]).toBe('call middle+18');
    const midEbp = m.read(leafEbp) as number;
    const leaveAt = sym('middle') + 0x15;
    expect(m.read(leaveAt)! & 0xffff).toBe(0xc3c9);
    expect(names({ eip: leaveAt, esp: midEbp - 0x18, ebp: midEbp }, m)).toEqual(['top middle+21', 'call kernel_main+20', 'call _start+13']);
  });

  it('walks out of a frameless interrupt handler through the stub and the interrupt frame', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    const interruptedPc = sym('leaf') + 6;
    m.push(0x202); // EFLAGS
    m.push(0x10); // CS
    m.push(interruptedPc);
    for (const r of [1, 2, 3, 4, m.esp, leafEbp, 7, 8]) m.push(r); // pusha: eax ecx edx ebx esp ebp esi edi
    m.push(returnAddress('timer_stub', 'timer_handler'));
    const frames = walkStack({ eip: sym('timer_handler') + 5, esp: m.esp, ebp: leafEbp }, m.read, debug);
    expect(frames.map((f) => `${f.kind} ${f.name}+${f.offset}`)).toEqual([
      'top timer_handler+5', 'call timer_stub+6', 'interrupted leaf+6', 'call middle+18', 'call kernel_main+20', 'call _start+13',
    ]);
    expect(frames[1]).toMatchObject({ file: 'head.S', line: 20 }); // the line of the call
    // The same from inside the stub, at popa and at iret.
    const popa = sym('timer_stub') + 6;
    expect(names({ eip: popa, esp: m.esp + 4, ebp: 0xdead }, m).slice(0, 3)).toEqual(['top timer_stub+6', 'interrupted leaf+6', 'call middle+18']);
    expect(names({ eip: popa + 1, esp: m.esp + 36, ebp: leafEbp }, m).slice(0, 3)).toEqual(['top timer_stub+7', 'interrupted leaf+6', 'call middle+18']);
  });

  it('finds the interrupt frame by scanning when the stub has not run yet', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    m.push(0x246);
    m.push(0x10);
    m.push(sym('leaf') + 6);
    const regs = { eip: sym('timer_stub'), esp: m.esp, ebp: leafEbp, cs: 0x10 };
    expect(names(regs, m)).toEqual(['top timer_stub+0', 'interrupted leaf+6', 'call middle+18', 'call kernel_main+20', 'call _start+13']);
    // A frame with another code selector than the kernel's is not taken for an interrupt frame.
    expect(names({ ...regs, cs: 0x08 }, m)[1]).not.toBe('interrupted leaf+6');
  });

  it('walks through an exception stub with an error code, saved segments and a result store', () => {
    const m = new FakeMachine(0x10d640);
    const { leafEbp } = kernelChain(m);
    m.push(0x10202); // EFLAGS (RF set)
    m.push(0x10);
    m.push(sym('leaf') + 6);
    m.push(0x2); // error code
    for (const r of [1, 2, 3, 4, m.esp, leafEbp, 7, 8]) m.push(r);
    m.push(0x18); // %ds
    m.push(0x18); // %es
    m.push(returnAddress('pagefault_stub', 'pagefault_handler'));
    const pfEbp = m.push(leafEbp);
    m.esp -= 0x14;
    m.push(7);
    m.push(returnAddress('pagefault_handler', 'middle'));
    const midEbp = m.push(pfEbp);
    m.esp -= 0x14;
    m.push(8);
    m.push(returnAddress('middle', 'leaf'));
    const topEbp = m.push(midEbp);
    expect(names({ eip: sym('leaf') + 6, esp: m.esp, ebp: topEbp }, m)).toEqual([
      'top leaf+6', 'call middle+18', 'call pagefault_handler+17', 'call pagefault_stub+8',
      'interrupted leaf+6', 'call middle+18', 'call kernel_main+20', 'call _start+13',
    ]);
  });

  /** A user program in work -> gettid, trapped by int $0x48 into syscall_stub -> syscall_handler. */
  function syscallStack(program: ModuleDebug): { regs: WalkRegisters; m: FakeMachine } {
    const user = new FakeMachine(0x3000000, program);
    user.push(0); // _main has no caller
    const mainEntryEbp = user.push(0);
    user.push(returnAddress('_main', 'main', program));
    const mainEbp = user.push(mainEntryEbp); // main's frame (after its realignment)
    user.esp -= 0x14;
    user.push(1);
    user.push(returnAddress('main', 'work', program));
    const workEbp = user.push(mainEbp);
    user.esp -= 8;
    user.push(returnAddress('work', 'gettid', program));
    const userEsp = user.esp;

    const m = new FakeMachine(0x500000, program);
    for (const [a, v] of user.words) m.words.set(a, v);
    m.push(0x2b); // SS
    m.push(userEsp); // ESP
    m.push(0x246); // EFLAGS
    m.push(0x23); // CS
    m.push(sym('gettid', program) + 2); // after int $0x48
    for (const r of [0, 0, 0, 0, m.esp, workEbp, 0, 0]) m.push(r);
    m.push(returnAddress('syscall_stub', 'syscall_handler'));
    return { regs: { eip: sym('syscall_handler'), esp: m.esp, ebp: workEbp }, m };
  }
  const SYSCALL_FRAMES = [
    'top syscall_handler+0', 'call syscall_stub+6', 'interrupted gettid+2', 'call work+11', 'call main+24', 'call _main+11',
  ];

  it('crosses from the kernel stack to the user stack of a system call', () => {
    const { regs, m } = syscallStack(hello);
    expect(names(regs, m, 'hello')).toEqual(SYSCALL_FRAMES);
    expect(names(regs, m)).toEqual(SYSCALL_FRAMES); // program identified from the code in memory
    const frames = walkStack(regs, m.read, debug, { program: 'hello' });
    expect(frames[2]).toMatchObject({ space: 'user', program: 'hello', file: 'syscall.S', line: 6 });
    expect(frames[3].text).toMatch(/^0x0100000b in work \(user\.c:6\)$/);
    // With the wrong program registered the user frames are unknown but the walk still ends cleanly.
    expect(walkStack(regs, m.read, debug, { program: 'spin' }).length).toBeGreaterThanOrEqual(3);
  });

  it('tells apart programs that share code at the PC by the rest of the stack', () => {
    // hello and spin differ only in main: at gettid and work both match memory, at main only spin does.
    const spin = debug.program('spin') as ModuleDebug;
    const { regs, m } = syscallStack(spin);
    expect(debug.matchingPrograms(sym('gettid', spin) + 2, m.read)).toEqual(['hello', 'spin']);
    const frames = walkStack(regs, m.read, debug);
    expect(frames.map((f) => `${f.kind} ${f.name}+${f.offset}`)).toEqual(SYSCALL_FRAMES);
    expect(frames.filter((f) => f.space === 'user').map((f) => f.program)).toEqual(['spin', 'spin', 'spin', 'spin']);
  });

  it('stops cleanly on unreadable memory, loops and garbage', () => {
    const nothing = () => null;
    expect(walkStack({ eip: sym('leaf') + 6, esp: 0x1000, ebp: 0x2000 }, nothing, debug).map((f) => f.name)).toEqual(['leaf']);
    const loop = (a: number) => (a === 0x2000 ? 0x2000 : a === 0x2004 ? sym('leaf') + 6 : 0);
    const frames = walkStack({ eip: sym('leaf') + 6, esp: 0x1000, ebp: 0x2000 }, loop, debug);
    expect(frames.length).toBeLessThanOrEqual(3);
    const random = (a: number) => Math.imul(a, 2654435761) >>> 0;
    expect(() => walkStack({ eip: 0x100000, esp: 0x7000, ebp: 0x8000 }, random, debug, { maxFrames: 50 })).not.toThrow();
    expect(walkStack({ eip: 0x100000, esp: 0x7000, ebp: 0x8000 }, random, debug, { maxFrames: 5 }).length).toBeLessThanOrEqual(5);
  });
});

describe('formatFrame', () => {
  it('writes the Landslide frame formats', () => {
    const base = { offset: 0, program: null, address: 0x100abc };
    expect(formatFrame({ ...base, space: 'kernel', name: 'mutex_lock', file: 'kern/mutex.c', line: 61 })).toBe(
      '0x00100abc in mutex_lock (kern/mutex.c:61)',
    );
    expect(formatFrame({ ...base, space: 'kernel', name: 'stub', file: null, line: null })).toBe('0x00100abc in stub');
    expect(formatFrame({ ...base, space: 'kernel', name: null, file: null, line: null })).toBe('0x00100abc in <unknown in kernel>');
    expect(formatFrame({ ...base, address: 0x1000123, space: 'user', name: null, file: null, line: null })).toBe(
      '0x01000123 in <unknown in userspace>',
    );
  });
});

describe('walkStack on gcc output', () => {
  it.skipIf(!hasI386Toolchain())(toolchainTitle('unwinds a frame whose call never returns (the return address is past the function)'), () => {
    const elf = compileAndLink(
      {
        'k.c': [
          'volatile int sink;',
          '__attribute__((noreturn)) void die(int x) { sink = x; for (;;) { sink++; } }',
          'void before(int x) { die(x + 1); }',
          'void after(int x) { sink = x; }',
          'void outer(void) { before(3); after(4); }',
          'void _start(void) { outer(); for (;;) { } }',
        ].join('\n'),
      },
      { cflags: ['-g', '-O1', '-fno-omit-frame-pointer', '-fno-inline', '-fno-optimize-sibling-calls'] },
    );
    const dbg = DebugInfo.fromKernel(elf);
    const at = (n: string) => dbg.address(n) as number;
    const code = (a: number, n: number) => {
      while (n > 0 && !dbg.kernel.readCode(a, n)) n--;
      return dbg.kernel.readCode(a, n) as Uint8Array;
    };
    const callTo = (caller: string, callee: string) => {
      const c = code(at(caller), 32);
      for (let i = 0; i + 5 <= c.length; i++) {
        if (c[i] === 0xe8 && at(caller) + i + 5 + new DataView(c.buffer).getInt32(i + 1, true) === at(callee)) return at(caller) + i + 5;
      }
      throw new Error(`no call to ${callee} in ${caller}`);
    };
    const retInBefore = callTo('before', 'die');
    expect(dbg.locate(retInBefore).name).not.toBe('before'); // the premise: it lies past before's end
    const m = new Map<number, number>();
    let esp = 0x80000;
    const push = (v: number) => m.set((esp -= 4), v);
    push(callTo('_start', 'outer'));
    push(0);
    const outerEbp = esp;
    esp -= 8;
    push(3);
    push(callTo('outer', 'before'));
    push(outerEbp);
    const beforeEbp = esp;
    esp -= 8;
    push(4);
    push(retInBefore);
    push(beforeEbp);
    const dieEbp = esp;
    const read = (a: number) => m.get(a) ?? 0;
    const frames = walkStack({ eip: at('die') + 4, esp, ebp: dieEbp }, read, dbg);
    expect(frames.map((f) => f.name)).toEqual(['die', 'before', 'outer', '_start']);
    expect(frames[1]).toMatchObject({ address: retInBefore, offset: retInBefore - at('before'), file: 'k.c', line: 3 });
  });

  it.skipIf(!hasI386Toolchain())(toolchainTitle('scans out of a frameless function called through a function table'), () => {
    const elf = compileAndLink(
      {
        'k.c': [
          'typedef int (*handler_t)(int);',
          '__attribute__((optimize("omit-frame-pointer"))) int frameless(int x) { return x * 3 + 1; }',
          'handler_t table[2] = { frameless, frameless };',
          'int dispatch(int i) { return table[i & 1](i) + 1; }',
          'void _start(void) { for (;;) dispatch(1); }',
        ].join('\n'),
      },
      { cflags: ['-g', '-O1', '-fno-omit-frame-pointer', '-fno-inline', '-fno-optimize-sibling-calls'] },
    );
    const dbg = DebugInfo.fromKernel(elf);
    const dispatch = dbg.address('dispatch') as number;
    const code = dbg.kernel.readCode(dispatch, 40) as Uint8Array;
    const call = code.findIndex((b, i) => b === 0xff && code[i + 1] === 0x14); // call *table(,%reg,4)
    expect(call).toBeGreaterThan(0);
    const ret = dispatch + call + 7;
    const m = new Map<number, number>([
      [0x8000, ret], // frameless: the return address is all it pushed
      [0x8010, 0x9000], // dispatch's frame: saved %ebp 0x9000 is where a walk would go next
    ]);
    const frames = walkStack({ eip: (dbg.address('frameless') as number) + 3, esp: 0x8000, ebp: 0x8010 }, (a) => m.get(a) ?? 0, dbg);
    expect(frames.slice(0, 2).map((f) => f.name)).toEqual(['frameless', 'dispatch']);
  });
});
