/*
 * kern/paging.c - two-level x86 paging with one page directory per process
 *
 * The four page tables covering 0-16 MB are built once and shared by every
 * page directory (PDEs 0-3); their entries are global (CR4.PGE), so a CR3
 * reload on a context switch keeps the kernel's TLB entries.  Page 0 is left
 * unmapped to catch NULL dereferences, and page 1 is the copy window (not
 * global), through which the kernel reads and writes user frames; it lies
 * outside the kernel image and heap, so heap-tracking tools see nothing odd.
 * The window is used with interrupts disabled, so it needs no lock.
 *
 * Physical frames for user memory (16 MB up to the end of RAM) come from a
 * stack of free frame numbers, also guarded by disabling interrupts.
 */
#include <string.h>
#include <x86.h>
#include "heap.h"
#include "paging.h"
#include "panic.h"

#define PD_ENTRIES      1024u
#define KERNEL_PDES     (USER_MEM_START >> 22)          /* 4 */
#define WINDOW_VA       PAGE_SIZE                        /* page 1 */
#define PDX(va)         ((va) >> 22)
#define PTX(va)         (((va) >> 12) & 0x3FFu)

uint32_t kernel_pd;
static uint32_t *kernel_pts[KERNEL_PDES];
static uint32_t *free_frames;
static unsigned nfree_frames;

static void frames_init(uint32_t mem_top)
{
    unsigned n = (mem_top - USER_MEM_START) / PAGE_SIZE;
    free_frames = malloc(n * sizeof(uint32_t));
    assert(free_frames != NULL);
    /* Push high frames first so allocation hands out low addresses first. */
    for (unsigned i = 0; i < n; i++)
        free_frames[i] = mem_top - (i + 1) * PAGE_SIZE;
    nfree_frames = n;
}

uint32_t frame_alloc(void)
{
    int s = intr_save();
    uint32_t f = nfree_frames ? free_frames[--nfree_frames] : 0;
    intr_restore(s);
    return f;
}

void frame_free(uint32_t frame)
{
    int s = intr_save();
    free_frames[nfree_frames++] = frame;
    intr_restore(s);
}

void paging_init(uint32_t mem_top)
{
    for (unsigned t = 0; t < KERNEL_PDES; t++) {
        kernel_pts[t] = smemalign(PAGE_SIZE, PAGE_SIZE);
        assert(kernel_pts[t] != NULL);
        for (unsigned i = 0; i < PD_ENTRIES; i++) {
            uint32_t pa = (t * PD_ENTRIES + i) * PAGE_SIZE;
            kernel_pts[t][i] = pa | PTE_PRESENT | PTE_WRITABLE | PTE_GLOBAL;
        }
    }
    kernel_pts[0][0] = 0;                          /* NULL page */
    kernel_pts[0][WINDOW_VA >> 12] = 0;            /* copy window, mapped on demand */
    frames_init(mem_top);

    kernel_pd = pd_create();
    assert(kernel_pd != 0);
    set_cr3(kernel_pd);
    set_cr4(get_cr4() | CR4_PGE);
    set_cr0(get_cr0() | CR0_PG);
}

uint32_t pd_create(void)
{
    uint32_t *pd = smemalign(PAGE_SIZE, PAGE_SIZE);
    if (!pd)
        return 0;
    memset(pd, 0, PAGE_SIZE);
    for (unsigned t = 0; t < KERNEL_PDES; t++)
        pd[t] = (uint32_t)kernel_pts[t] | PTE_PRESENT | PTE_WRITABLE;
    return (uint32_t)pd;
}

void pd_destroy(uint32_t pd)
{
    uint32_t *dir = (uint32_t *)pd;
    for (unsigned d = KERNEL_PDES; d < PD_ENTRIES; d++) {
        if (!(dir[d] & PTE_PRESENT))
            continue;
        uint32_t *pt = (uint32_t *)PTE_FRAME(dir[d]);
        for (unsigned i = 0; i < PD_ENTRIES; i++) {
            if (pt[i] & PTE_PRESENT)
                frame_free(PTE_FRAME(pt[i]));
        }
        sfree(pt, PAGE_SIZE);
    }
    sfree(dir, PAGE_SIZE);
}

/* The page table entry for va, allocating the page table if `create`; NULL if none. */
static uint32_t *pte_slot(uint32_t pd, uint32_t va, int create)
{
    uint32_t *dir = (uint32_t *)pd;
    if (!(dir[PDX(va)] & PTE_PRESENT)) {
        if (!create)
            return NULL;
        uint32_t *pt = smemalign(PAGE_SIZE, PAGE_SIZE);
        if (!pt)
            return NULL;
        memset(pt, 0, PAGE_SIZE);
        dir[PDX(va)] = (uint32_t)pt | PTE_PRESENT | PTE_WRITABLE | PTE_USER;
    }
    return (uint32_t *)PTE_FRAME(dir[PDX(va)]) + PTX(va);
}

int pd_map(uint32_t pd, uint32_t va, uint32_t frame, int writable)
{
    assert(va >= USER_MEM_START && PAGE_ALIGNED(va) && PAGE_ALIGNED(frame));
    uint32_t *pte = pte_slot(pd, va, 1);
    if (!pte)
        return -1;
    *pte = frame | PTE_PRESENT | PTE_USER | (writable ? PTE_WRITABLE : 0);
    if (pd == get_cr3())
        invlpg(va);
    return 0;
}

uint32_t pd_lookup(uint32_t pd, uint32_t va)
{
    if (va < USER_MEM_START)
        return 0;
    uint32_t *pte = pte_slot(pd, va, 0);
    return pte ? *pte : 0;
}

uint32_t pd_unmap(uint32_t pd, uint32_t va)
{
    uint32_t *pte = pte_slot(pd, va, 0);
    assert(pte && (*pte & PTE_PRESENT));
    uint32_t frame = PTE_FRAME(*pte);
    *pte = 0;
    if (pd == get_cr3())
        invlpg(va);
    return frame;
}

void frame_write(uint32_t frame, uint32_t offset, const void *src, size_t len, int zero)
{
    assert(offset + len <= PAGE_SIZE);
    uint32_t *window_pte = &kernel_pts[0][WINDOW_VA >> 12];
    int s = intr_save();
    *window_pte = frame | PTE_PRESENT | PTE_WRITABLE;
    invlpg(WINDOW_VA);
    if (zero)
        memset((void *)WINDOW_VA, 0, PAGE_SIZE);
    memcpy((char *)WINDOW_VA + offset, src, len);
    *window_pte = 0;
    invlpg(WINDOW_VA);
    intr_restore(s);
}

int pd_copy_user(uint32_t dst, uint32_t src)
{
    assert(src == get_cr3());
    uint32_t *dir = (uint32_t *)src;
    for (unsigned d = KERNEL_PDES; d < PD_ENTRIES; d++) {
        if (!(dir[d] & PTE_PRESENT))
            continue;
        uint32_t *pt = (uint32_t *)PTE_FRAME(dir[d]);
        for (unsigned i = 0; i < PD_ENTRIES; i++) {
            if (!(pt[i] & PTE_PRESENT))
                continue;
            uint32_t va = (d << 22) | (i << 12);
            uint32_t frame = frame_alloc();
            if (!frame)
                return -1;
            if (pd_map(dst, va, frame, pt[i] & PTE_WRITABLE) < 0) {
                frame_free(frame);
                return -1;
            }
            frame_write(frame, 0, (const void *)va, PAGE_SIZE, 0);
        }
    }
    return 0;
}
