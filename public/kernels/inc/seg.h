/*
 * inc/seg.h - the 15-410 segment selectors (x86/seg.h layout)
 *
 * GDT slot 1 is the TSS, 2/3 the flat kernel code/data segments and 4/5 the
 * flat user code/data segments (RPL 3).  Shared with the assembly wrappers.
 */
#ifndef SEG_H
#define SEG_H

#define SEGSEL_TSS       0x08
#define SEGSEL_KERNEL_CS 0x10
#define SEGSEL_KERNEL_DS 0x18
#define SEGSEL_USER_CS   0x23
#define SEGSEL_USER_DS   0x2b

#endif /* SEG_H */
