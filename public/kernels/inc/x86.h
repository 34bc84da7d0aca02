/*
 * inc/x86.h - tiny wrappers for the privileged x86 instructions the kernel uses
 *
 * Port I/O, control registers, interrupt flag and the atomic exchange that the
 * kernel's locks are built on.  Everything is `static inline` so that no extra
 * function frames show up in stack traces.
 */
#ifndef X86_H
#define X86_H

#include <stdint.h>

#define EFLAGS_IF       0x00000200u   /* interrupt enable */
#define EFLAGS_RESERVED 0x00000002u   /* bit 1 always reads as 1 */

#define CR0_PE 0x00000001u  /* protected mode */
#define CR0_EM 0x00000004u  /* no FPU: trap x87 instructions */
#define CR0_PG 0x80000000u  /* paging */
#define CR4_PGE 0x00000080u /* global pages survive CR3 reloads */

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t get_cr0(void) { uint32_t v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
static inline void set_cr0(uint32_t v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
static inline uint32_t get_cr2(void) { uint32_t v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
static inline uint32_t get_cr3(void) { uint32_t v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
static inline void set_cr3(uint32_t v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }
static inline uint32_t get_cr4(void) { uint32_t v; __asm__ volatile("movl %%cr4, %0" : "=r"(v)); return v; }
static inline void set_cr4(uint32_t v) { __asm__ volatile("movl %0, %%cr4" : : "r"(v) : "memory"); }

static inline void invlpg(uint32_t va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline uint32_t get_eflags(void)
{
    uint32_t v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}

static inline void enable_interrupts(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void disable_interrupts(void) { __asm__ volatile("cli" : : : "memory"); }

/* Disables interrupts and returns whether they were enabled, for intr_restore(). */
static inline int intr_save(void)
{
    int was_on = (get_eflags() & EFLAGS_IF) != 0;
    disable_interrupts();
    return was_on;
}

static inline void intr_restore(int was_on)
{
    if (was_on)
        enable_interrupts();
}

/* Atomically stores `val` into *addr and returns the old value (xchg is always locked). */
static inline int xchg(volatile int *addr, int val)
{
    __asm__ volatile("xchgl %0, %1" : "+r"(val), "+m"(*addr) : : "memory");
    return val;
}

#endif /* X86_H */
