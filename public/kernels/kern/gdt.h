/*
 * kern/gdt.h - the GDT and the TSS (tables live at fixed addresses in boot/head.S)
 */
#ifndef GDT_H
#define GDT_H

#include <stdint.h>

void gdt_init(void);
void tss_set_esp0(uint32_t esp0);

#endif /* GDT_H */
