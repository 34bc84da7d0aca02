/*
 * kern/gdt.c - load the GDT, reload the segment registers and the task register
 *
 * The code and data descriptors are static in boot/head.S (init_gdt); only
 * the TSS descriptor needs the TSS's address, so it is built here.  The TSS
 * serves one purpose: its ss0:esp0 is the kernel stack the CPU switches to
 * when an interrupt or system call arrives from ring 3.  The scheduler
 * updates esp0 on every context switch (tss_set_esp0).
 */
#include <seg.h>
#include <stdint.h>
#include "gdt.h"

extern uint64_t init_gdt[];
extern uint8_t init_tss[];

#define TSS_SIZE       104
#define TSS_ESP0       4   /* offsets of the fields we use */
#define TSS_SS0        8
#define TSS_IOMAP_BASE 102

struct __attribute__((packed)) table_register {
    uint16_t limit;
    uint32_t base;
};

/* An available 32-bit TSS descriptor (type 9, present, DPL 0, byte granular). */
static uint64_t tss_descriptor(uint32_t base, uint32_t limit)
{
    uint64_t d = 0;
    d |= limit & 0xFFFFu;
    d |= (uint64_t)(base & 0xFFFFFFu) << 16;
    d |= (uint64_t)0x89 << 40;
    d |= (uint64_t)((limit >> 16) & 0xF) << 48;
    d |= (uint64_t)(base >> 24) << 56;
    return d;
}

void gdt_init(void)
{
    *(uint16_t *)(init_tss + TSS_SS0) = SEGSEL_KERNEL_DS;
    *(uint16_t *)(init_tss + TSS_IOMAP_BASE) = TSS_SIZE;   /* no I/O permission bitmap */
    init_gdt[SEGSEL_TSS >> 3] = tss_descriptor((uint32_t)init_tss, TSS_SIZE - 1);

    struct table_register gdtr = { 6 * 8 - 1, (uint32_t)init_gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "ljmp %1, $1f\n"
        "1:\n\t"
        "movw %w2, %%ds\n\t"
        "movw %w2, %%es\n\t"
        "movw %w2, %%fs\n\t"
        "movw %w2, %%gs\n\t"
        "movw %w2, %%ss\n\t"
        "ltr %w3"
        :
        : "m"(gdtr), "i"(SEGSEL_KERNEL_CS), "r"(SEGSEL_KERNEL_DS), "r"(SEGSEL_TSS)
        : "memory");
}

void tss_set_esp0(uint32_t esp0)
{
    *(volatile uint32_t *)(init_tss + TSS_ESP0) = esp0;
}
