/*
 * kern/heap.c - the kernel heap: everything from the end of the kernel image to 16 MB
 *
 * The allocator is a first-fit, address-ordered free list with coalescing:
 * each free block starts with its size and the next free block.  Allocations
 * are rounded to 8 bytes and carry no header, so lmm_free() must be told the
 * size again (as with the OSKit lmm).  malloc() stores the size in an 8-byte
 * header in front of the block it returns.  All wrappers take heap_lock; the
 * lmm_* functions themselves assume their caller serializes them.
 */
#include <stdint.h>
#include "heap.h"
#include "mutex.h"
#include "panic.h"

#define GRAIN 8u
#define ROUND_UP(x, a) (((x) + (a) - 1) & ~((a) - 1))

static lmm_t kernel_lmm;
static mutex_t heap_lock;

void lmm_init(lmm_t *lmm)
{
    lmm->free_list = NULL;
}

/* Inserts [base, base+size) into the free list, merging with its neighbours. */
static void insert_free(lmm_t *lmm, uintptr_t base, size_t size)
{
    lmm_free_block_t **link = &lmm->free_list;
    while (*link && (uintptr_t)*link < base)
        link = &(*link)->next;
    lmm_free_block_t *next = *link;
    assert(!next || base + size <= (uintptr_t)next);

    lmm_free_block_t *b = (lmm_free_block_t *)base;
    b->size = size;
    b->next = next;
    *link = b;
    if (next && base + size == (uintptr_t)next) {
        b->size += next->size;
        b->next = next->next;
    }
    if (link != &lmm->free_list) {
        lmm_free_block_t *prev = (lmm_free_block_t *)((char *)link - offsetof(lmm_free_block_t, next));
        assert((uintptr_t)prev + prev->size <= base);
        if ((uintptr_t)prev + prev->size == base) {
            prev->size += b->size;
            prev->next = b->next;
        }
    }
}

void lmm_add_free(lmm_t *lmm, void *base, size_t size)
{
    uintptr_t start = ROUND_UP((uintptr_t)base, GRAIN);
    uintptr_t end = ((uintptr_t)base + size) & ~(uintptr_t)(GRAIN - 1);
    if (end > start)
        insert_free(lmm, start, end - start);
}

/* First fit for `size` bytes at an address aligned to `align`; NULL if none. */
static void *carve(lmm_t *lmm, size_t size, uintptr_t align)
{
    size = ROUND_UP(size ? size : 1, GRAIN);
    for (lmm_free_block_t **link = &lmm->free_list; *link; link = &(*link)->next) {
        lmm_free_block_t *b = *link;
        uintptr_t start = (uintptr_t)b, end = start + b->size;
        uintptr_t at = ROUND_UP(start, align);
        if (at < end && end - at >= size) {
            *link = b->next;
            if (at > start)
                insert_free(lmm, start, at - start);
            if (end > at + size)
                insert_free(lmm, at + size, end - (at + size));
            return (void *)at;
        }
    }
    return NULL;
}

__attribute__((noinline)) void *lmm_alloc(lmm_t *lmm, size_t size, unsigned flags)
{
    (void)flags;
    return carve(lmm, size, GRAIN);
}

__attribute__((noinline)) void *lmm_alloc_gen(lmm_t *lmm, size_t size, unsigned flags, unsigned align_bits)
{
    (void)flags;
    uintptr_t align = (uintptr_t)1 << align_bits;
    return carve(lmm, size, align < GRAIN ? GRAIN : align);
}

__attribute__((noinline)) void lmm_free(lmm_t *lmm, void *block, size_t size)
{
    insert_free(lmm, (uintptr_t)block, ROUND_UP(size ? size : 1, GRAIN));
}

void heap_init(void *base, size_t size)
{
    mutex_init(&heap_lock);
    lmm_init(&kernel_lmm);
    lmm_add_free(&kernel_lmm, base, size);
}

void *malloc(size_t size)
{
    mutex_lock(&heap_lock);
    size_t *block = lmm_alloc(&kernel_lmm, size + GRAIN, 0);
    mutex_unlock(&heap_lock);
    if (!block)
        return NULL;
    block[0] = size;
    return (char *)block + GRAIN;
}

void free(void *p)
{
    if (!p)
        return;
    size_t *block = (size_t *)((char *)p - GRAIN);
    size_t size = block[0];
    mutex_lock(&heap_lock);
    lmm_free(&kernel_lmm, block, size + GRAIN);
    mutex_unlock(&heap_lock);
}

void *smemalign(size_t alignment, size_t size)
{
    unsigned bits = 0;
    while (((size_t)1 << bits) < alignment)
        bits++;
    mutex_lock(&heap_lock);
    void *p = lmm_alloc_gen(&kernel_lmm, size, 0, bits);
    mutex_unlock(&heap_lock);
    return p;
}

void sfree(void *p, size_t size)
{
    mutex_lock(&heap_lock);
    lmm_free(&kernel_lmm, p, size);
    mutex_unlock(&heap_lock);
}
