/*
 * kern/idt.h - interrupt descriptor table setup
 */
#ifndef IDT_H
#define IDT_H

#define TIMER_IDT_ENTRY 0x20
#define KEY_IDT_ENTRY   0x21

void idt_init(void);

#endif /* IDT_H */
