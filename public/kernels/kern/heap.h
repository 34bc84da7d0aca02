/*
 * kern/heap.h - the kernel heap: an lmm-style allocator and malloc-style wrappers
 *
 * lmm_alloc(lmm, size, flags), lmm_alloc_gen(lmm, size, flags, align_bits)
 * and lmm_free(lmm, block, size) are the allocator's entry points (size is
 * argument 2, the freed block argument 2), named like the OSKit/15-410 lmm so
 * that heap-tracking tools recognise them.  malloc/free/smemalign/sfree add a
 * mutex and (for malloc) a size header on top of them.
 */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>

typedef struct lmm_free_block {
    size_t size;
    struct lmm_free_block *next;
} lmm_free_block_t;

typedef struct lmm {
    lmm_free_block_t *free_list;   /* address-ordered, coalesced */
} lmm_t;

void lmm_init(lmm_t *lmm);
void lmm_add_free(lmm_t *lmm, void *base, size_t size);
void *lmm_alloc(lmm_t *lmm, size_t size, unsigned flags);
void *lmm_alloc_gen(lmm_t *lmm, size_t size, unsigned flags, unsigned align_bits);
void lmm_free(lmm_t *lmm, void *block, size_t size);

void heap_init(void *base, size_t size);
void *malloc(size_t size);
void free(void *p);
void *smemalign(size_t alignment, size_t size);
void sfree(void *p, size_t size);

#endif /* HEAP_H */
