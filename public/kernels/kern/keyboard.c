/*
 * kern/keyboard.c - keyboard interrupt handler and the input ring buffer
 *
 * The handler (IRQ 1, vector 0x21) reads a scan code (set 1, as the 8042
 * delivers by default), turns key presses into ASCII (tracking Shift) and
 * appends them to a ring buffer, waking the reader if it is waiting.  The
 * reader, kbd_getchar(), takes characters out.  head and tail count
 * characters ever put in and taken out, so head - tail == count always; the
 * reader checks that invariant every time.
 *
 * Since the handler can interrupt the reader at any instruction, the reader
 * touches the buffer only with interrupts disabled.
 *
 * Planted bug BUG_KEYBOARD_UNMASKED: the reader removes the character with
 * interrupts enabled, updating `count` with a separate load and store.  A key
 * that arrives between the two is lost from the count (the invariant
 * assertion fails on the next read).  The window is marked with
 * tell_landslide_preempt(), where an explorer may deliver a pending key.
 */
#include <stdint.h>
#include <x86.h>
#include "keyboard.h"
#include "landslide.h"
#include "panic.h"
#include "pic.h"
#include "sched.h"
#include "trap.h"

#define KBD_BUF_SIZE 128u   /* a power of two */
#define SC_RELEASE   0x80
#define SC_LSHIFT    0x2A
#define SC_RSHIFT    0x36
#define SC_EXTENDED  0xE0

static struct {
    char buf[KBD_BUF_SIZE];
    volatile unsigned head;   /* characters ever added (handler) */
    volatile unsigned tail;   /* characters ever removed (reader) */
    volatile int count;       /* characters in the buffer */
    tcb_t *waiter;            /* the reader, while it waits for a key */
} kb;

static int shift_down, extended;

/* Scan code set 1 -> ASCII, unshifted and shifted; 0 = no character. */
static const char keymap[2][0x3A] = {
    { 0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b', '\t',
      'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n', 0, 'a', 's',
      'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`', 0, '\\', 'z', 'x', 'c', 'v',
      'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ' },
    { 0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b', '\t',
      'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n', 0, 'A', 'S',
      'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~', 0, '|', 'Z', 'X', 'C', 'V',
      'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ' },
};

void keyboard_init(void)
{
    while (inb(0x64) & 1)        /* drain anything the BIOS left behind */
        (void)inb(KEYBOARD_PORT);
}

/* The character for a scan code, or -1 for releases, modifiers and unmapped keys. */
static int translate(uint8_t sc)
{
    if (sc == SC_EXTENDED) {
        extended = 1;
        return -1;
    }
    if (extended) {               /* arrows, keypad Enter etc.: ignored */
        extended = 0;
        return -1;
    }
    uint8_t key = sc & (uint8_t)~SC_RELEASE;
    if (key == SC_LSHIFT || key == SC_RSHIFT) {
        shift_down = !(sc & SC_RELEASE);
        return -1;
    }
    if ((sc & SC_RELEASE) || key >= sizeof(keymap[0]) || !keymap[0][key])
        return -1;
    return keymap[shift_down][key];
}

/* Called from keyboard_wrapper (kern/wrappers.S) with interrupts disabled. */
void keyboard_handler(trapframe_t *tf)
{
    (void)tf;
    uint8_t sc = inb(KEYBOARD_PORT);
    pic_ack();
    int c = translate(sc);
    if (c < 0 || kb.count == (int)KBD_BUF_SIZE)
        return;
    kb.buf[kb.head % KBD_BUF_SIZE] = (char)c;
    kb.head++;
    kb.count++;
    if (kb.waiter) {
        sched_wake(kb.waiter);
        kb.waiter = NULL;
    }
}

int kbd_getchar(void)
{
    int s = intr_save();
    while (kb.count == 0) {
        kb.waiter = sched_current();
        sched_block();
    }
    assert(kb.count == (int)(kb.head - kb.tail));
#ifdef BUG_KEYBOARD_UNMASKED
    intr_restore(s);
    char c = kb.buf[kb.tail % KBD_BUF_SIZE];
    kb.tail++;
    int n = kb.count;
    tell_landslide_preempt();
    kb.count = n - 1;             /* BUG: a key arriving since the load above is lost */
#else
    char c = kb.buf[kb.tail % KBD_BUF_SIZE];
    kb.tail++;
    kb.count--;
    intr_restore(s);
#endif
    return (unsigned char)c;
}
