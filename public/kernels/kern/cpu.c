/*
 * kern/cpu.c - CPUID leaf 0 (vendor string) and leaf 1 (family/model/stepping)
 *
 * Family and model include the extended fields when the base family is 0xF
 * (family) or 0x6/0xF (model), as the Intel SDM describes for leaf 1 EAX.
 */
#include <stdint.h>
#include <string.h>
#include "cpu.h"

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

void cpu_identify(cpu_info_t *info)
{
    uint32_t r[4];
    cpuid(0, r);
    memcpy(info->vendor, &r[1], 4);      /* EBX, EDX, ECX spell the vendor */
    memcpy(info->vendor + 4, &r[3], 4);
    memcpy(info->vendor + 8, &r[2], 4);
    info->vendor[12] = '\0';
    cpuid(1, r);
    unsigned family = (r[0] >> 8) & 0xF, model = (r[0] >> 4) & 0xF;
    if (family == 0xF)
        family += (r[0] >> 20) & 0xFF;
    if (family == 0x6 || family >= 0xF)
        model |= ((r[0] >> 16) & 0xF) << 4;
    info->family = family;
    info->model = model;
    info->stepping = r[0] & 0xF;
}
