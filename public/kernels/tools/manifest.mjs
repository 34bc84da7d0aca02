// tools/manifest.mjs - print public/kernels/manifest.json (run by the Makefile)
//
// Usage: TOOLCHAIN='gcc ... / ld ...' node tools/manifest.mjs VARIANT... > manifest.json
// Lists every kernel image with its tests, the sources the IDE can show (paths relative
// to public/kernels) and, for planted-bug variants, the test that exposes the bug; records the
// compiler and linker that built the images (a rebuild is byte-identical only with the same ones).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const TESTS = [
  'print_basic', 'fork_wait', 'fork_exit_bomb', 'wait_getpid', 'yield_desc_mkrun',
  'double_thread_fork', 'double_wait', 'yield_vanish', 'vanish_vanish', 'remove_new_pages',
  'sleep_test', 'readline_test', 'thr_exit_join', 'thr_join_exit', 'mutex_test', 'paradise_lost',
  'broadcast_test',
];

const SYMBOLS = {
  timerWrapper: 'timer_wrapper',
  keyboardWrapper: 'keyboard_wrapper',
  pageFaultWrapper: 'page_fault_wrapper',
  contextSwitch: 'context_switch',
  readline: 'readline',
  exec: 'process_exec',
  threadKilled: 'thread_killed',
  threadKilledArg: { pageFault: 0x15410, exception: 0x15411 },
  mutexLock: 'mutex_lock',
  mutexUnlock: 'mutex_unlock',
  condWait: 'cond_wait',
  condSignal: 'cond_signal',
  malloc: 'lmm_alloc',
  mallocSizeArg: 2,
  mallocGen: 'lmm_alloc_gen',
  free: 'lmm_free',
  freeBaseArg: 2,
  mallocWrapper: 'malloc',
  freeWrapper: 'free',
  panic: 'panic',
  idle: 'hlt',
  idleThread: 'idle_main',
  yield: 'sched_yield_to',
  initTss: 'init_tss',
  kernelMain: 'kernel_main',
  start: '_start',
  userMalloc: 'malloc',
  userFree: 'free',
};

const KERNEL_CONFIG = {
  idleTid: 1, initTid: 2, shellTid: 3, firstTid: 1,
  // Threads that exist when tell_landslide_sched_init_done() runs (Landslide's starting_threads).
  startingThreads: [{ tid: 1, onRunqueue: true }, { tid: 2, onRunqueue: true }],
  currentThreadLivesOnRq: true,
  timerHz: 100,
  preemptionPoints: 'tell_landslide_preempt() at every system call entry (kern/syscall/syscall.c)',
};

const DEFAULT_DESCRIPTION =
  'Faultline\'s own Pebbles teaching kernel: paging with one address space per task, kernel and user '
  + 'threads, preemptive round-robin scheduling on the PIT, xchg mutexes and condition variables, the '
  + '15-410 system calls, and a shell.';

const BUGS = {
  'bug-mutex-test-then-set': {
    test: 'double_thread_fork', class: 'assert',
    description: 'kern/mutex.c: mutex_lock tests the lock word and then sets it (no atomic xchg). A thread '
      + 'preempted between reading locked == 0 and storing 1 lets another thread take the same mutex; '
      + 'on resuming it fails `mp->owner == MUTEX_NO_OWNER`. In double_thread_fork the main thread and a '
      + 'child print at the same time: preempt the main thread at the tell_landslide_preempt() that marks '
      + 'the window in mutex_lock(&console_lock), let the child take console_lock and be preempted while '
      + 'holding it (e.g. at its mutex_lock of mem_lock in copy_from_user), then resume the main thread.',
    unannotated: 'Without annotations the window has no preemption point: only a data-race preemption point '
      + 'just before the store to mp->locked reaches it (iterative deepening adds one from the race on it).',
  },
  'bug-lost-wakeup': {
    test: 'yield_desc_mkrun', class: 'deadlock',
    description: 'kern/syscall/thread.c: deschedule reads *reject with interrupts enabled and blocks later. '
      + 'Preempt the child at the exit of its mutex_unlock(&p->mem_lock) in deschedule; the parent sets '
      + 'reject and calls make_runnable, which fails (the child is not descheduled yet); the child then '
      + 'blocks forever and the parent blocks in thr_join forever.',
  },
  'bug-wait-use-after-free': {
    test: 'fork_wait', class: 'use-after-free',
    description: 'kern/process.c: wait frees the exited child\'s last thread (TCB and kernel stack) as soon as '
      + 'it is a zombie, without waiting for it to switch away. If the parent runs between the child\'s '
      + 'cond_signal in become_zombie and its final context switch, the child keeps running on freed memory.',
  },
  'bug-lock-order': {
    test: 'fork_exit_bomb', class: 'deadlock',
    description: 'kern/process.c: fork (link_child) takes the parent\'s pcb lock and then tree_lock, while a '
      + 'vanishing child (become_zombie) takes tree_lock and then the parent\'s lock. A parent preempted '
      + 'between its two acquisitions while its first child vanishes deadlocks both (mutex cycle).',
  },
  'bug-keyboard-race': {
    test: 'readline_test', class: 'assert',
    description: 'kern/keyboard.c: kbd_getchar removes a character with interrupts enabled, decrementing the '
      + 'count with a separate load and store. A keyboard interrupt between the two loses a key from the '
      + 'count; the next read fails `kb.count == (int)(kb.head - kb.tail)`. The window holds a '
      + 'tell_landslide_preempt(): deliver the next typed key there (type "hello" one key at a time).',
  },
  'bug-wait-drops-lock': {
    test: 'double_wait', class: 'kernel-page-fault',
    description: 'kern/process.c: wait checks the status pointer only after it found a zombie, dropping the '
      + 'task\'s lock to do so, then takes the first zombie without looking again. In double_wait the main '
      + 'thread waits first; the child exits and signals it; preempt the other waiter at the exit of the '
      + 'mutex_unlock before its pointer check: the main thread takes the zombie, and the other waiter then '
      + 'takes the first zombie of an empty list, a NULL pointer dereference in the kernel (the NULL page is '
      + 'unmapped): a kernel page fault.',
  },
  'bug-thr-exit-stack': {
    test: 'thr_exit_join', class: 'use-after-free',
    description: 'user/lib/thread.c: thr_exit marks its stack free for the joiner (with its status) before '
      + 'it stops using it. Preempt the main thread before its thr_join blocks, and the exiting child inside '
      + 'cond_broadcast after it released thr_lock (e.g. at the gettid system call in mutex_lock); the '
      + 'joiner then frees the child\'s stack and thread record, and the child resumes on them (user heap).',
  },
};

const NAMES = {
  pebbles: 'Pebbles (correct)',
  'pebbles-unannotated': 'Pebbles, unannotated',
  'bug-mutex-test-then-set': 'Bug: non-atomic mutex',
  'bug-lost-wakeup': 'Bug: lost wake-up in deschedule',
  'bug-wait-use-after-free': 'Bug: wait frees a running thread',
  'bug-lock-order': 'Bug: fork/vanish lock-order inversion',
  'bug-keyboard-race': 'Bug: keyboard buffer race',
  'bug-thr-exit-stack': 'Bug: thr_exit stack use-after-free',
  'bug-wait-use-after-free-unannotated': 'Bug: wait frees a running thread (unannotated)',
  'bug-lock-order-unannotated': 'Bug: fork/vanish lock-order inversion (unannotated)',
  'bug-lost-wakeup-unannotated': 'Bug: lost wake-up in deschedule (unannotated)',
  'bug-mutex-test-then-set-unannotated': 'Bug: non-atomic mutex (unannotated)',
  'bug-wait-drops-lock': 'Bug: wait drops its lock before taking a zombie',
  'bug-wait-drops-lock-unannotated': 'Bug: wait drops its lock before taking a zombie (unannotated)',
};

function sources(dir) {
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (/\.(c|h|S|ld)$/.test(entry)) out.push(path);
  }
  return out;
}

const SOURCES = ['boot', 'kern', 'lib', 'inc', 'user'].flatMap(sources)
  .concat(['kernel.ld', 'Makefile', 'tools/exec2obj.sh']);

const kernels = process.argv.slice(2).map((name) => {
  // A name ending in -unannotated is the same build without the tell_landslide_* calls.
  const bug = BUGS[name.replace(/-unannotated$/, '')] ?? null;
  const annotated = process.env.ANNOTATE !== '0' && !name.endsWith('-unannotated');
  let description = DEFAULT_DESCRIPTION;
  if (bug) description = `Planted bug, otherwise the correct kernel. ${bug.description}`;
  if (!annotated) description += ' Built without the tell_landslide_* annotations (ANNOTATE=0).';
  if (!annotated && bug?.unannotated) description += ` ${bug.unannotated}`;
  return {
    name,
    title: NAMES[name] ?? name,
    default: name === 'pebbles',
    file: `${name}.elf`,
    description,
    annotated,
    tests: bug ? [bug.test] : TESTS,
    sources: SOURCES,
    bug: bug && { test: bug.test, class: bug.class, description: bug.description },
    defaultTest: bug ? bug.test : 'thr_exit_join',
    prompt: '[410-shell]$ ',
    testInput: { readline_test: 'hello\n' },
    symbols: SYMBOLS,
    config: KERNEL_CONFIG,
  };
});

const toolchain = process.env.TOOLCHAIN ?? '';
process.stdout.write(`${JSON.stringify({ toolchain, kernels }, null, 2)}\n`);
