/*
 * kern/keyboard.h - PS/2 keyboard: scan codes in, characters out
 */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#define KEYBOARD_PORT 0x60

void keyboard_init(void);
/* Blocks until a character is available and returns it; one caller at a time. */
int kbd_getchar(void);

#endif /* KEYBOARD_H */
