/*
 * Native side of the CPU differential test: a freestanding 32-bit Linux program (no libc) that runs
 * test snippets on the host CPU. Built at test time by native-runner.ts with `gcc -m32 -nostdlib
 * -static`. Protocol (little-endian, fixed-size records; the layout matches layout.ts):
 *   stdin, per case (IN_SIZE bytes): code[32], code length, eax ecx edx ebx esp ebp esi edi, eflags,
 *                                    fs, gs, scratch[MEM_SIZE]
 *   stdout, per case (OUT_SIZE bytes): status (0 = ran to the end, else the signal number; bit 8 set if
 *                                    the guard around the scratch buffer was written), the eight
 *                                    registers, eflags, es cs ss ds fs gs (one dword each),
 *                                    scratch[MEM_SIZE]
 * The snippet is copied to CODE followed by a jump back here; registers and flags are loaded with MOV
 * and POPF from the harness stack, so the snippet sees exactly the case's state (DS, ES, SS are the
 * Linux user data selector 0x2B, CS 0x23; FS and GS come from the case). After the snippet, registers are
 * stored through SS (the only data segment register the snippet cannot have made unusable) and the
 * data segment registers are reset. A fault (SIGSEGV,
 * SIGFPE, SIGILL, SIGBUS, SIGTRAP) is caught on an alternate signal stack and reported as that case's
 * status; the batch goes on. Exit status 0 at end of input, 2 on a truncated record, 3 if setup failed.
 * System calls: i386 `int $0x80` ABI (read 3, write 4, exit 1, mmap2 192, rt_sigaction 174,
 * sigaltstack 186).
 */
        .set CODE, 0x00700000
        .set CODE_MAX, 32
        .set SCRATCH_PAGE, 0x00800000
        .set MEM_SIZE, 512
        .set SCRATCH_BYTES, 8192
        .set SCRATCH, SCRATCH_PAGE + 4096 - MEM_SIZE / 2
        .set GUARD_LOW_DWORDS, (SCRATCH - SCRATCH_PAGE) / 4
        .set GUARD_HIGH, SCRATCH + MEM_SIZE
        .set GUARD_HIGH_DWORDS, (SCRATCH_PAGE + SCRATCH_BYTES - GUARD_HIGH) / 4
        .set IN_SIZE, CODE_MAX + 4 + 32 + 4 + 8 + MEM_SIZE
        .set IN_LEN, CODE_MAX
        .set IN_REGS, CODE_MAX + 4
        .set IN_FLAGS, IN_REGS + 32
        .set IN_FS, IN_FLAGS + 4
        .set IN_GS, IN_FLAGS + 8
        .set IN_MEM, IN_FLAGS + 12
        .set OUT_SIZE, 4 + 32 + 4 + 24 + MEM_SIZE
        .set OUT_REGS, 4
        .set OUT_FLAGS, 36
        .set OUT_SEGS, 40
        .set OUT_MEM, 64
        .set USER_DS, 0x2b
        .set SA_ONSTACK, 0x08000000
        .set SA_NODEFER, 0x40000000

        .bss
        .align 16
in_rec:    .space IN_SIZE
out_rec:   .space OUT_SIZE
saved_esp: .space 4
altstack:  .space 65536

        .data
        .align 4
code_ptr:  .long CODE
sigact:    .long on_signal, SA_ONSTACK | SA_NODEFER, 0, 0, 0
stack_t:   .long altstack, 0, 65536
signals:   .long 4, 5, 7, 8, 11, 0

        .text
        .globl _start
_start:
        /* code page: read/write/execute, fixed address */
        mov $192, %eax
        mov $CODE, %ebx
        mov $4096, %ecx
        mov $7, %edx
        mov $0x32, %esi              /* MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS */
        mov $-1, %edi
        xor %ebp, %ebp
        int $0x80
        cmp $CODE, %eax
        jne setup_failed
        /* two scratch pages: read/write, fixed address */
        mov $192, %eax
        mov $SCRATCH_PAGE, %ebx
        mov $SCRATCH_BYTES, %ecx
        mov $3, %edx
        mov $0x32, %esi
        mov $-1, %edi
        xor %ebp, %ebp
        int $0x80
        cmp $SCRATCH_PAGE, %eax
        jne setup_failed
        /* alternate signal stack, then a handler for each fault signal */
        mov $186, %eax
        mov $stack_t, %ebx
        xor %ecx, %ecx
        int $0x80
        test %eax, %eax
        jne setup_failed
        mov $signals, %ebp
1:      mov (%ebp), %ebx
        test %ebx, %ebx
        je next_case
        mov $174, %eax
        mov $sigact, %ecx
        xor %edx, %edx
        mov $8, %esi
        int $0x80
        test %eax, %eax
        jne setup_failed
        add $4, %ebp
        jmp 1b

next_case:
        /* read one record; clean EOF ends the run */
        xor %esi, %esi
1:      mov $3, %eax
        xor %ebx, %ebx
        lea in_rec(%esi), %ecx
        mov $IN_SIZE, %edx
        sub %esi, %edx
        int $0x80
        test %eax, %eax
        jle 2f
        add %eax, %esi
        cmp $IN_SIZE, %esi
        jb 1b
        jmp run_case
2:      test %esi, %esi
        jne truncated
        mov $1, %eax
        xor %ebx, %ebx
        int $0x80

run_case:
        cld
        mov $SCRATCH_PAGE, %edi
        xor %eax, %eax
        mov $SCRATCH_BYTES / 4, %ecx
        rep stosl
        mov $in_rec + IN_MEM, %esi
        mov $SCRATCH, %edi
        mov $MEM_SIZE / 4, %ecx
        rep movsl
        mov $in_rec, %esi
        mov $CODE, %edi
        mov in_rec + IN_LEN, %ecx
        cmp $CODE_MAX, %ecx
        ja truncated
        rep movsb
        movb $0xe9, (%edi)           /* jmp rel32 case_exit */
        mov $case_exit - 5, %eax
        sub %edi, %eax
        mov %eax, 1(%edi)
        mov %esp, saved_esp
        mov in_rec + IN_FS, %fs
        mov in_rec + IN_GS, %gs
        pushl in_rec + IN_FLAGS
        popfl
        mov in_rec + IN_REGS + 0, %eax
        mov in_rec + IN_REGS + 4, %ecx
        mov in_rec + IN_REGS + 8, %edx
        mov in_rec + IN_REGS + 12, %ebx
        mov in_rec + IN_REGS + 16, %esp
        mov in_rec + IN_REGS + 20, %ebp
        mov in_rec + IN_REGS + 24, %esi
        mov in_rec + IN_REGS + 28, %edi
        jmp *code_ptr

case_exit:
        mov %eax, %ss:out_rec + OUT_REGS + 0
        mov %ecx, %ss:out_rec + OUT_REGS + 4
        mov %edx, %ss:out_rec + OUT_REGS + 8
        mov %ebx, %ss:out_rec + OUT_REGS + 12
        mov %esp, %ss:out_rec + OUT_REGS + 16
        mov %ebp, %ss:out_rec + OUT_REGS + 20
        mov %esi, %ss:out_rec + OUT_REGS + 24
        mov %edi, %ss:out_rec + OUT_REGS + 28
        mov %ss:saved_esp, %esp
        pushfl
        popl %ss:out_rec + OUT_FLAGS
        mov %es, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 0
        mov %cs, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 4
        mov %ss, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 8
        mov %ds, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 12
        mov %fs, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 16
        mov %gs, %eax
        mov %eax, %ss:out_rec + OUT_SEGS + 20
        mov $USER_DS, %eax
        mov %eax, %ds
        mov %eax, %es
        cld
        movl $0, out_rec

finish_case:
        mov $SCRATCH_PAGE, %edi
        mov $GUARD_LOW_DWORDS, %ecx
        xor %eax, %eax
        repe scasl
        jne 1f
        mov $GUARD_HIGH, %edi
        mov $GUARD_HIGH_DWORDS, %ecx
        repe scasl
        je 2f
1:      orl $0x100, out_rec
2:      mov $SCRATCH, %esi
        mov $out_rec + OUT_MEM, %edi
        mov $MEM_SIZE / 4, %ecx
        rep movsl
        xor %esi, %esi
3:      mov $4, %eax
        mov $1, %ebx
        lea out_rec(%esi), %ecx
        mov $OUT_SIZE, %edx
        sub %esi, %edx
        int $0x80
        test %eax, %eax
        jle setup_failed
        add %eax, %esi
        cmp $OUT_SIZE, %esi
        jb 3b
        jmp next_case

/* Signal handler (on the alternate stack, signal not blocked): abandon the frame, record the signal. */
on_signal:
        mov 4(%esp), %eax
        mov %ss:saved_esp, %esp
        mov $USER_DS, %ebx
        mov %ebx, %ds
        mov %ebx, %es
        cld
        mov %eax, out_rec
        mov $out_rec + OUT_REGS, %edi
        xor %eax, %eax
        mov $15, %ecx
        rep stosl
        jmp finish_case

truncated:
        mov $1, %eax
        mov $2, %ebx
        int $0x80
setup_failed:
        mov $1, %eax
        mov $3, %ebx
        int $0x80
