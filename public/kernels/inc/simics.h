/*
 * inc/simics.h - the Simics "magic instruction" sim-calls used by 15-410 code
 *
 * `xchg %ebx,%ebx` with the call number in EBX and arguments in ECX/EDX.  On
 * real hardware (and in QEMU) it is a plain no-op exchange; Faultline's
 * emulator and Simics act on it.  Used by both the kernel and user programs.
 */
#ifndef SIMICS_H
#define SIMICS_H

#define SIM_IN_SIMICS     0x04100000
#define SIM_MEMSIZE       0x04100001
#define SIM_PUTS          0x04100002
#define SIM_BREAKPOINT    0x04100003
#define SIM_HALT          0x04100004
#define SIM_REG_PROCESS   0x04100005
#define SIM_UNREG_PROCESS 0x04100006
#define SIM_REG_CHILD     0x04100007
#define SIM_BOOTED        0x04100008

#ifndef __ASSEMBLER__
/* Performs sim-call `ebx` with arguments ecx and edx; returns EAX. */
int sim_call(int ebx, int ecx, int edx);

void sim_puts(const char *s);
void sim_booted(const char *kernel_path);
void sim_breakpoint(void);
void sim_halt(void);
void sim_reg_process(void *cr3, const char *name);
void sim_reg_child(void *child_cr3, void *parent_cr3);
void sim_unreg_process(void *cr3);

/* printf to the simulator's log (the Simics "kdbg"/"udbg" console), not to the screen. */
void lprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define MAGIC_BREAK sim_breakpoint()
#endif /* __ASSEMBLER__ */

#endif /* SIMICS_H */
