/*
 * kern/switch.S - the stack swap at the heart of a context switch, and hlt()
 *
 * void swap_stacks(uint32_t *save_esp, uint32_t new_esp): saves the callee-
 * saved registers on the current kernel stack, stores the stack pointer in
 * *save_esp, switches to new_esp and pops the next thread's registers; the
 * final `ret` resumes that thread where it last called swap_stacks (or, for a
 * new thread, at the entry address kern/thread.c put there).  The C half,
 * context_switch() in kern/sched.c, runs with interrupts disabled.
 */
.text
.globl swap_stacks
.type swap_stacks, @function
swap_stacks:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl %edx, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret
.size swap_stacks, . - swap_stacks

/*
 * void hlt(void): the idle thread's wait.  Called with interrupts disabled;
 * `sti` takes effect after the next instruction, so an interrupt cannot slip
 * in between the idle thread's "nothing to run" check and the halt.
 */
.globl hlt
.type hlt, @function
hlt:
    sti
    hlt
    ret
.size hlt, . - hlt
