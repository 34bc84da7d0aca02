/*
 * kern/cpu.h - identify the processor with CPUID
 */
#ifndef CPU_H
#define CPU_H

typedef struct cpu_info {
    char vendor[13];
    unsigned family, model, stepping;
} cpu_info_t;

void cpu_identify(cpu_info_t *info);

#endif /* CPU_H */
