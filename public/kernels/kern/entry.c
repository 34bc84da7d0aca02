/*
 * kern/entry.c - from the multiboot hand-off to the first thread
 *
 * mb_entry() mirrors 15-410's 410kern/entry.c: tell the simulator we booted,
 * turn off the FPU (CR0.EM), install the GDT/TSS, IDT and PIC, give the heap
 * everything between the kernel image and 16 MB, then call kernel_main().
 * kernel_main() reports the CPU and the CMOS date, turns on paging, starts
 * the devices and creates the boot threads: idle (tid 1) and init (tid 2),
 * which forks the shell (tid 3).
 */
#include <simics.h>
#include <stdint.h>
#include <stdio.h>
#include <x86.h>
#include "console.h"
#include "cpu.h"
#include "gdt.h"
#include "heap.h"
#include "idt.h"
#include "keyboard.h"
#include "landslide.h"
#include "paging.h"
#include "panic.h"
#include "pic.h"
#include "process.h"
#include "readline.h"
#include "rtc.h"
#include "sched.h"
#include "timer.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MB_INFO_MEMORY 0x1

typedef struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower;   /* KB below 1 MB */
    uint32_t mem_upper;   /* KB above 1 MB */
} multiboot_info_t;

extern char _end[];

void kernel_main(multiboot_info_t *mbinfo, int argc, char **argv, char **envp);

void mb_entry(uint32_t magic, multiboot_info_t *mbinfo)
{
    static char *argv[] = { "kernel", NULL };
    static char *envp[] = { NULL };
    sim_booted(argv[0]);
    set_cr0(get_cr0() | CR0_EM);
    gdt_init();
    idt_init();
    pic_init();
    uint32_t heap_base = (uint32_t)_end;
    heap_init((void *)heap_base, USER_MEM_START - heap_base);
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a multiboot loader (magic %x)", (unsigned)magic);
    kernel_main(mbinfo, 1, argv, envp);
}

/* The idle thread: runs when nothing else can, halting until the next interrupt. */
static void idle_main(void *arg)
{
    (void)arg;
    for (;;) {
        disable_interrupts();
        if (sched_others_runnable()) {
            enable_interrupts();
            sched_yield_to(-1);
        } else {
            hlt();            /* sti; hlt: returns after an interrupt */
        }
    }
}

void kernel_main(multiboot_info_t *mbinfo, int argc, char **argv, char **envp)
{
    (void)argc;
    (void)argv;
    (void)envp;
    console_init();
    if (!(mbinfo->flags & MB_INFO_MEMORY))
        panic("the boot loader did not report the memory size");
    uint32_t mem_top = 0x100000 + mbinfo->mem_upper * 1024;

    cpu_info_t cpu;
    cpu_identify(&cpu);
    rtc_time_t now;
    rtc_read(&now);
    printf("Faultline Pebbles kernel\n");
    printf("CPU: %s family %u model %u stepping %u\n", cpu.vendor, cpu.family, cpu.model, cpu.stepping);
    printf("Boot time: %04d-%02d-%02d %02d:%02d:%02d, memory %u MB\n", now.year, now.month, now.day,
           now.hour, now.minute, now.second, (unsigned)(mem_top >> 20));
    lprintf("kernel_main: %s family %u, %u MB", cpu.vendor, cpu.family, (unsigned)(mem_top >> 20));

    paging_init(mem_top);
    sched_init();
    process_init();
    readline_init();
    keyboard_init();
    timer_init();

    tcb_t *idle = thread_create(NULL);
    assert(idle != NULL);
    thread_setup_kernel(idle, idle_main, NULL);
    tcb_t *init = process_create_init();
    sched_add_new(init);
    tell_landslide_sched_init_done();
    sched_start(idle);
}
