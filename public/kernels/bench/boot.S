/* Multiboot v1 entry of the CPU speed benchmark: sets up a stack, calls kmain(), and leaves through
 * QEMU's isa-debug-exit port 0xF4 (the emulator's harness stops there). */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	movl $stack_top, %esp
	call kmain
	movb $0x10, %al
	outb %al, $0xf4
1:	cli
	hlt
	jmp 1b

	.bss
	.align 16
	.space 65536
stack_top:
