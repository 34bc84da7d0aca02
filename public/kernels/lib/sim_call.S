/*
 * lib/sim_call.S - the sim-call trampoline (kernel and user space)
 *
 * int sim_call(int ebx, int ecx, int edx): loads the three registers, zeroes
 * EAX and executes the Simics magic instruction `xchg %ebx,%ebx` (87 DB).  On
 * a machine that does not intercept it, it is a no-op and the call returns 0.
 */
.text
.globl sim_call
sim_call:
    pushl %ebx
    movl 8(%esp), %ebx
    movl 12(%esp), %ecx
    movl 16(%esp), %edx
    xorl %eax, %eax
    xchgl %ebx, %ebx
    popl %ebx
    ret
