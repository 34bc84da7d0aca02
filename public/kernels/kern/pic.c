/*
 * kern/pic.c - remap the two 8259A PICs so IRQ 0-15 arrive on vectors 0x20-0x2F
 *
 * Standard initialization sequence (ICW1..ICW4): master at 0x20/0x21, slave at
 * 0xA0/0xA1 cascaded on IRQ 2, 8086 mode.  Only the timer (IRQ 0) and the
 * keyboard (IRQ 1) are unmasked.
 */
#include <x86.h>
#include "pic.h"

#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD   0xA0
#define PIC_SLAVE_DATA  0xA1
#define ICW1_INIT_ICW4  0x11
#define ICW4_8086       0x01
#define MASTER_BASE     0x20
#define SLAVE_BASE      0x28

void pic_init(void)
{
    outb(PIC_MASTER_CMD, ICW1_INIT_ICW4);
    outb(PIC_SLAVE_CMD, ICW1_INIT_ICW4);
    outb(PIC_MASTER_DATA, MASTER_BASE);
    outb(PIC_SLAVE_DATA, SLAVE_BASE);
    outb(PIC_MASTER_DATA, 1 << 2);     /* slave on IRQ 2 */
    outb(PIC_SLAVE_DATA, 2);           /* slave's cascade identity */
    outb(PIC_MASTER_DATA, ICW4_8086);
    outb(PIC_SLAVE_DATA, ICW4_8086);
    outb(PIC_MASTER_DATA, (uint8_t)~0x07);  /* IRQ 0, 1 and the cascade */
    outb(PIC_SLAVE_DATA, 0xFF);
}

void pic_ack(void)
{
    outb(PIC_MASTER_CMD, PIC_EOI);
}
