// Test support (Node only): tiny multiboot kernels in assembly that exercise the machine's devices,
// built with the host's i386 toolchain (see loader/testing/toolchain.ts) so machine tests can skip
// with a message where it is missing.

import { compileAndLink } from './loader/testing/toolchain.ts';

/** Multiboot header, flat GDT (code 0x08, data 0x10), stack, and an IDT filled by `set_gate`. */
const PRELUDE = `
.section .text
.align 4
.long 0x1BADB002, 0, -0x1BADB002
.globl _start
_start:
  movl $stack_top, %esp
  lgdt gdtr
  ljmp $0x08, $1f
1:
  movw $0x10, %ax
  movw %ax, %ds; movw %ax, %es; movw %ax, %ss
  lidt idtr
  jmp main

# set_gate(vector in %ecx, handler in %edx): 32-bit interrupt gate, DPL 0
set_gate:
  leal idt(,%ecx,8), %eax
  movw %dx, (%eax)
  movw $0x08, 2(%eax)
  movw $0x8e00, 4(%eax)
  shrl $16, %edx
  movw %dx, 6(%eax)
  ret

# remap the PICs to 0x20/0x28, unmask the IRQs whose bits are clear in %bl (master)
pic_init:
  movb $0x11, %al; outb %al, $0x20; outb %al, $0xa0
  movb $0x20, %al; outb %al, $0x21
  movb $0x28, %al; outb %al, $0xa1
  movb $0x04, %al; outb %al, $0x21
  movb $0x02, %al; outb %al, $0xa1
  movb $0x01, %al; outb %al, $0x21; outb %al, $0xa1
  movb %bl, %al; outb %al, $0x21
  movb $0xff, %al; outb %al, $0xa1
  ret

# PIT channel 0, mode 3, divisor in %cx
pit_init:
  movb $0x36, %al; outb %al, $0x43
  movb %cl, %al; outb %al, $0x40
  movb %ch, %al; outb %al, $0x40
  ret

exit_with_eax:
  outl %eax, $0xf4
  cli
  hlt
`;

const DATA = `
.section .data
.align 8
gdt: .quad 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdtr: .word 23
      .long gdt
idtr: .word 256*8-1
      .long idt
ticks: .long 0
keys: .long 0
.section .bss
.align 4096
idt: .skip 256*8
.skip 8192
stack_top:
`;

/**
 * Timer kernel: clears the screen, then PIT at ~1 kHz (divisor 1193) on IRQ0 counting `ticks`; IRQ1 handler stores each make
 * code it reads as a character cell on screen row 0. The idle loop HLTs; when `ticks` reaches the
 * count given in the source, it exits through port 0xF4 with the tick count.
 */
export function timerKernelSource(exitAfterTicks: number): string {
  return `${PRELUDE}
main:
  movl $0xb8000, %edi          # clear the screen (QEMU leaves the BIOS banner there)
  movl $0x07200720, %eax
  movl $1000, %ecx
  rep stosl
  movl $0x20, %ecx; movl $timer, %edx; call set_gate
  movl $0x21, %ecx; movl $keyboard, %edx; call set_gate
  movb $0xfc, %bl; call pic_init
  movw $1193, %cx; call pit_init
  sti
idle:
  cmpl $${exitAfterTicks}, ticks
  jae done
  hlt
  jmp idle
done:
  movl ticks, %eax
  jmp exit_with_eax

timer:
  pushl %eax
  incl ticks
  movb $0x20, %al; outb %al, $0x20
  popl %eax
  iret

keyboard:
  pushl %eax; pushl %ebx
  inb $0x60, %al
  testb $0x80, %al
  jnz 1f
  movl keys, %ebx
  movb %al, 0xb8000(,%ebx,2)
  movb $0x07, 0xb8001(,%ebx,2)
  incl keys
1:
  movb $0x20, %al; outb %al, $0x20
  popl %ebx; popl %eax
  iret
${DATA}`;
}

/**
 * Spinning-idle kernel: like the timer kernel, but its idle loop is `jmp .` (as `while (1);` compiles)
 * and the timer handler itself exits through port 0xF4 at the given tick count. With `cli` first, the
 * loop can never end.
 */
export function spinKernelSource(exitAfterTicks: number, interrupts = true): string {
  return `${PRELUDE}
main:
  movl $0x20, %ecx; movl $timer, %edx; call set_gate
  movb $0xfe, %bl; call pic_init
  movw $1193, %cx; call pit_init
  ${interrupts ? 'sti' : 'cli'}
  jmp .

timer:
  incl ticks
  cmpl $${exitAfterTicks}, ticks
  jb 1f
  movl ticks, %eax
  jmp exit_with_eax
1:
  pushl %eax
  movb $0x20, %al; outb %al, $0x20
  popl %eax
  iret
${DATA}`;
}

/** Sim-call kernel: lprintf "hello", MAGIC_BREAK, writes "OK" on screen, prints to 0xE9, then cli; hlt. */
export const SIMCALL_KERNEL = `${PRELUDE}
main:
  movl $0x04100008, %ebx; movl $bootpath, %ecx; xchgl %ebx, %ebx
  movl $0x04100000, %ebx; xchgl %ebx, %ebx
  movl %eax, result
  movl $0x04100002, %ebx; movl $hello, %ecx; xchgl %ebx, %ebx
  movl $0xb00710ad, %ebx; xchgw %bx, %bx
  movl $0x04100003, %ebx; xchgl %ebx, %ebx
  movw $0x0f4f, 0xb8000
  movw $0x0f4b, 0xb8002
  movb $'d', %al; outb %al, $0xe9
  cli
  hlt
.section .rodata
hello: .asciz "hello from the kernel"
bootpath: .asciz "(fd0)/boot/kernel"
${DATA}
result: .long 0
`;

/** Triple-fault kernel: an empty IDT, then int3 (no gate -> #GP -> #DF -> shutdown). */
export const TRIPLE_FAULT_KERNEL = `${PRELUDE}
main:
  lidt empty_idtr
  int3
.section .data
empty_idtr: .word 0
  .long 0
${DATA}`;

/** Reset kernel: asks the 8042 to pulse the CPU reset line (command 0xFE), as some kernels reboot. */
export const RESET_KERNEL = `${PRELUDE}
main:
  movb $0xfe, %al
  outb %al, $0x64
  cli
  hlt
${DATA}`;

/** RTC sync kernel: waits for UIP to rise, then to fall (a second boundary), exits with the seconds register. */
export const RTC_SYNC_KERNEL = `${PRELUDE}
main:
  movb $0x0a, %al
  outb %al, $0x70
1: inb $0x71, %al
  testb $0x80, %al
  jz 1b
2: inb $0x71, %al
  testb $0x80, %al
  jnz 2b
  movb $0x00, %al
  outb %al, $0x70
  xorl %eax, %eax
  inb $0x71, %al
  jmp exit_with_eax
${DATA}`;

/** Polling kernel: no interrupts; spins on the 8042 status port and echoes each make code to the screen. */
export const POLL_KERNEL = `${PRELUDE}
main:
  movl $0xb8000, %edi
1: inb $0x64, %al
  testb $1, %al
  jz 1b
  inb $0x60, %al
  testb $0x80, %al
  jnz 1b
  movb %al, (%edi)
  movb $0x07, 1(%edi)
  addl $2, %edi
  jmp 1b
${DATA}`;

/** Panic kernel: main calls a `panic` function that prints to port 0xE9 and halts with interrupts off. */
export const PANIC_KERNEL = `${PRELUDE}
main:
  pushl %ebp
  movl %esp, %ebp
  call panic
.globl panic
.type panic, @function
panic:
  pushl %ebp
  movl %esp, %ebp
  movb $'!', %al
  outb %al, $0xe9
  cli
  hlt
.size panic, . - panic
${DATA}`;

export function buildKernel(source: string): Uint8Array {
  return compileAndLink({ 'kernel.S': source }, { cflags: [] });
}
