/*
 * user/lib/malloc.c - a thread-safe heap in a fixed 64 KB arena
 *
 * First fit over an address-ordered free list with coalescing; each block
 * carries an 8-byte header holding its size.  malloc and free (the names
 * heap-tracking tools look for) take malloc_lock.  The arena is small on
 * purpose: it is part of .bss, and fork copies every mapped page.
 */
#include <mutex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_SIZE (64 * 1024)
#define HEADER 8u
#define ROUND_UP(x) (((x) + 7u) & ~7u)

typedef struct free_block {
    size_t size;                 /* including the header */
    struct free_block *next;
} free_block_t;

static char arena[ARENA_SIZE] __attribute__((aligned(8)));
static free_block_t *free_list;
static int initialized;
static mutex_t malloc_lock = MUTEX_INITIALIZER;

static void insert(free_block_t *b)
{
    free_block_t **link = &free_list;
    while (*link && *link < b)
        link = &(*link)->next;
    b->next = *link;
    *link = b;
    if (b->next && (char *)b + b->size == (char *)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (link != &free_list) {
        free_block_t *prev = (free_block_t *)((char *)link - offsetof(free_block_t, next));
        if ((char *)prev + prev->size == (char *)b) {
            prev->size += b->size;
            prev->next = b->next;
        }
    }
}

void *malloc(size_t size)
{
    size_t need = ROUND_UP(size + HEADER);
    void *result = NULL;
    mutex_lock(&malloc_lock);
    if (!initialized) {
        free_list = (free_block_t *)arena;
        free_list->size = ARENA_SIZE;
        free_list->next = NULL;
        initialized = 1;
    }
    for (free_block_t **link = &free_list; *link; link = &(*link)->next) {
        free_block_t *b = *link;
        if (b->size < need)
            continue;
        if (b->size - need >= sizeof(free_block_t) + HEADER) {
            free_block_t *rest = (free_block_t *)((char *)b + need);
            rest->size = b->size - need;
            rest->next = b->next;
            *link = rest;
            b->size = need;
        } else {
            *link = b->next;
        }
        result = (char *)b + HEADER;
        break;
    }
    mutex_unlock(&malloc_lock);
    return result;
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void free(void *p)
{
    if (!p)
        return;
    mutex_lock(&malloc_lock);
    insert((free_block_t *)((char *)p - HEADER));
    mutex_unlock(&malloc_lock);
}
