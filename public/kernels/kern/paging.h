/*
 * kern/paging.h - page directories, physical frames and the user/kernel split
 *
 * Virtual memory below USER_MEM_START (16 MB) is the kernel's, identity
 * mapped in every address space with global pages.  User memory starts at
 * 16 MB and is backed by frames from physical memory above 16 MB, which the
 * kernel does not map: it reaches them through a one-page copy window.
 */
#ifndef PAGING_H
#define PAGING_H

#include <stddef.h>
#include <stdint.h>

#define PAGE_SIZE      4096u
#define USER_MEM_START 0x01000000u
#define PAGE_ALIGNED(x) (((uint32_t)(x) & (PAGE_SIZE - 1)) == 0)

#define PTE_PRESENT  0x001u
#define PTE_WRITABLE 0x002u
#define PTE_USER     0x004u
#define PTE_GLOBAL   0x100u
#define PTE_FRAME(e) ((e) & ~0xFFFu)

/* The page directory of kernel threads: kernel mappings only. */
extern uint32_t kernel_pd;

/* Sets up the kernel mappings and frame pool and turns paging on. */
void paging_init(uint32_t mem_top);

uint32_t frame_alloc(void);          /* 0 when physical memory is exhausted */
void frame_free(uint32_t frame);

uint32_t pd_create(void);            /* 0 when out of memory */
void pd_destroy(uint32_t pd);        /* frees user frames, page tables and the directory */
/* Maps va -> frame as a user page; returns -1 when a page table cannot be allocated. */
int pd_map(uint32_t pd, uint32_t va, uint32_t frame, int writable);
uint32_t pd_lookup(uint32_t pd, uint32_t va);    /* the PTE, 0 if none */
uint32_t pd_unmap(uint32_t pd, uint32_t va);     /* returns the frame that was mapped */
/* Copies all user pages of src (which must be the current address space) into dst. */
int pd_copy_user(uint32_t dst, uint32_t src);

/* Writes into a frame (zero-filling first if `zero`), through the copy window. */
void frame_write(uint32_t frame, uint32_t offset, const void *src, size_t len, int zero);

#endif /* PAGING_H */
