/*
 * kern/pic.h - the 8259A interrupt controller pair
 */
#ifndef PIC_H
#define PIC_H

#define PIC_MASTER_CMD 0x20
#define PIC_EOI        0x20   /* non-specific end of interrupt */

void pic_init(void);

/* Acknowledge the current (master) interrupt: write 0x20 to port 0x20. */
void pic_ack(void);

#endif /* PIC_H */
