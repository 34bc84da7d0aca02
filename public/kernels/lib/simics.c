/*
 * lib/simics.c - sim-call helpers and lprintf (kernel and user space)
 *
 * lprintf formats into a 256-byte buffer and hands it to the simulator with
 * SIM_PUTS, as 15-410's sim_printf does; nothing is written to the screen.
 */
#include <simics.h>
#include <stdio.h>

void sim_puts(const char *s) { sim_call(SIM_PUTS, (int)s, 0); }
void sim_booted(const char *kernel_path) { sim_call(SIM_BOOTED, (int)kernel_path, 0); }
void sim_breakpoint(void) { sim_call(SIM_BREAKPOINT, 0, 0); }
void sim_halt(void) { sim_call(SIM_HALT, 0, 0); }
void sim_reg_process(void *cr3, const char *name) { sim_call(SIM_REG_PROCESS, (int)cr3, (int)name); }
void sim_reg_child(void *child_cr3, void *parent_cr3) { sim_call(SIM_REG_CHILD, (int)child_cr3, (int)parent_cr3); }
void sim_unreg_process(void *cr3) { sim_call(SIM_UNREG_PROCESS, (int)cr3, 0); }

void lprintf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    sim_puts(buf);
}
