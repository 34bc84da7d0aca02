/*
 * kern/idt.c - fill the IDT (init_idt in boot/head.S) and load it
 *
 * Exceptions and hardware interrupts use interrupt gates (IF cleared on
 * entry, so a page fault's CR2 and the PIC state stay consistent until the
 * handler decides otherwise).  System calls use DPL-3 trap gates: user code
 * may `int` them, and interrupts stay enabled, so a thread in a system call
 * can be preempted like any other kernel code.
 */
#include <seg.h>
#include <stdint.h>
#include <syscall_int.h>
#include "idt.h"

extern uint64_t init_idt[];

#define GATE_INTERRUPT 0x8E   /* present, DPL 0, 32-bit interrupt gate */
#define GATE_TRAP_USER 0xEF   /* present, DPL 3, 32-bit trap gate */

#define DECLARE(name) extern void name(void)
DECLARE(timer_wrapper); DECLARE(keyboard_wrapper); DECLARE(double_fault_handler);
DECLARE(divide_error_wrapper); DECLARE(debug_wrapper); DECLARE(nmi_wrapper);
DECLARE(breakpoint_wrapper); DECLARE(overflow_wrapper); DECLARE(bound_wrapper);
DECLARE(invalid_opcode_wrapper); DECLARE(no_fpu_wrapper); DECLARE(invalid_tss_wrapper);
DECLARE(segment_not_present_wrapper); DECLARE(stack_fault_wrapper);
DECLARE(general_protection_wrapper); DECLARE(page_fault_wrapper); DECLARE(fpu_error_wrapper);
DECLARE(alignment_check_wrapper);
DECLARE(fork_wrapper); DECLARE(exec_wrapper); DECLARE(wait_wrapper); DECLARE(yield_wrapper);
DECLARE(deschedule_wrapper); DECLARE(make_runnable_wrapper); DECLARE(gettid_wrapper);
DECLARE(new_pages_wrapper); DECLARE(remove_pages_wrapper); DECLARE(sleep_wrapper);
DECLARE(getchar_wrapper); DECLARE(readline_wrapper); DECLARE(print_wrapper);
DECLARE(set_term_color_wrapper); DECLARE(set_cursor_pos_wrapper); DECLARE(get_cursor_pos_wrapper);
DECLARE(thread_fork_wrapper); DECLARE(get_ticks_wrapper); DECLARE(misbehave_wrapper);
DECLARE(halt_wrapper); DECLARE(set_status_wrapper); DECLARE(vanish_wrapper);

static void set_gate(int vector, void (*handler)(void), uint8_t type)
{
    uint32_t off = (uint32_t)handler;
    init_idt[vector] = (off & 0xFFFFu) | ((uint64_t)SEGSEL_KERNEL_CS << 16) |
                       ((uint64_t)type << 40) | ((uint64_t)(off >> 16) << 48);
}

static const struct {
    int vector;
    void (*handler)(void);
} exceptions[] = {
    { 0, divide_error_wrapper }, { 1, debug_wrapper }, { 2, nmi_wrapper },
    { 3, breakpoint_wrapper }, { 4, overflow_wrapper }, { 5, bound_wrapper },
    { 6, invalid_opcode_wrapper }, { 7, no_fpu_wrapper }, { 8, double_fault_handler },
    { 10, invalid_tss_wrapper }, { 11, segment_not_present_wrapper }, { 12, stack_fault_wrapper },
    { 13, general_protection_wrapper }, { 14, page_fault_wrapper }, { 16, fpu_error_wrapper },
    { 17, alignment_check_wrapper },
}, syscalls[] = {
    { FORK_INT, fork_wrapper }, { EXEC_INT, exec_wrapper }, { WAIT_INT, wait_wrapper },
    { YIELD_INT, yield_wrapper }, { DESCHEDULE_INT, deschedule_wrapper },
    { MAKE_RUNNABLE_INT, make_runnable_wrapper }, { GETTID_INT, gettid_wrapper },
    { NEW_PAGES_INT, new_pages_wrapper }, { REMOVE_PAGES_INT, remove_pages_wrapper },
    { SLEEP_INT, sleep_wrapper }, { GETCHAR_INT, getchar_wrapper }, { READLINE_INT, readline_wrapper },
    { PRINT_INT, print_wrapper }, { SET_TERM_COLOR_INT, set_term_color_wrapper },
    { SET_CURSOR_POS_INT, set_cursor_pos_wrapper }, { GET_CURSOR_POS_INT, get_cursor_pos_wrapper },
    { THREAD_FORK_INT, thread_fork_wrapper }, { GET_TICKS_INT, get_ticks_wrapper },
    { MISBEHAVE_INT, misbehave_wrapper }, { HALT_INT, halt_wrapper },
    { SET_STATUS_INT, set_status_wrapper }, { VANISH_INT, vanish_wrapper },
};

void idt_init(void)
{
    for (unsigned i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++)
        set_gate(exceptions[i].vector, exceptions[i].handler, GATE_INTERRUPT);
    for (unsigned i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
        set_gate(syscalls[i].vector, syscalls[i].handler, GATE_TRAP_USER);
    set_gate(TIMER_IDT_ENTRY, timer_wrapper, GATE_INTERRUPT);
    set_gate(KEY_IDT_ENTRY, keyboard_wrapper, GATE_INTERRUPT);

    struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr = {
        256 * 8 - 1, (uint32_t)init_idt
    };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}
