/*
 * boot/head.S - multiboot entry point and the fixed-address descriptor tables
 *
 * Linked first, at 1 MB (0x100000).  Follows the 15-410 layout: the multiboot
 * v1 header (flags 0) at the start of the image, the IDT at 0x100100, the GDT
 * at 0x100900 and the TSS at 0x100930 (so init_tss+4 is the ESP0 slot), then a
 * last-resort double-fault handler.  A multiboot loader enters _start in flat
 * 32-bit protected mode with EAX = 0x2BADB002 and EBX = the multiboot info.
 */
#include <seg.h>
#include <simics.h>

#define MULTIBOOT_MAGIC 0x1BADB002
#define MULTIBOOT_FLAGS 0
#define BOOT_STACK_SIZE 16384

.text
.globl _start
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

_start:
    cli
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp                 /* stack walks end here */
    pushl %ebx                      /* multiboot info */
    pushl %eax                      /* multiboot magic */
    call mb_entry
1:  hlt
    jmp 1b

/* 256 interrupt gates, filled in by kern/idt.c */
.org 0x100
.globl init_idt
init_idt:
    .fill 256 * 8, 1, 0

/* The six GDT slots of inc/seg.h; slot 1 (the TSS) is completed by kern/gdt.c */
.org 0x900
.globl init_gdt
init_gdt:
    .quad 0                         /* 0x00 null */
    .quad 0                         /* 0x08 TSS */
    .quad 0x00CF9A000000FFFF        /* 0x10 kernel code: base 0, 4 GB, DPL 0 */
    .quad 0x00CF92000000FFFF        /* 0x18 kernel data */
    .quad 0x00CFFA000000FFFF        /* 0x20 (|3 = 0x23) user code, DPL 3 */
    .quad 0x00CFF2000000FFFF        /* 0x28 (|3 = 0x2b) user data */

/* The one TSS: only ss0/esp0 matter (ring 3 -> ring 0 stack switch) */
.org 0x930
.globl init_tss
init_tss:
    .fill 104, 1, 0

/* Double fault: nothing is trustworthy, so report through the simulator and stop. */
.org 0x998
.globl double_fault_handler
double_fault_handler:
    cli
    movl $SIM_PUTS, %ebx
    movl $double_fault_msg, %ecx
    xchgl %ebx, %ebx
2:  hlt
    jmp 2b

.section .rodata
double_fault_msg:
    .asciz "double fault: kernel halted"

.bss
.align 16
boot_stack:
    .space BOOT_STACK_SIZE
boot_stack_top:
