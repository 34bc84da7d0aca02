/*
 * kern/loader.c - load an embedded ELF executable into a fresh address space
 *
 * Programs come from the exec2obj table of contents linked into the kernel.
 * Each must be a 32-bit little-endian i386 ET_EXEC whose PT_LOAD segments lie
 * in user memory (from 16 MB up to below the stack).  Pages are zero-filled,
 * so .bss needs no special case; a page shared by two segments is writable if
 * either segment is.  The stack is USER_STACK_PAGES pages ending at 4 GB; its
 * top page receives the argument strings, argv[] and the call frame of
 *     void _main(int argc, char *argv[], void *stack_high, void *stack_low)
 * the user program's entry point (15-410 crt0 convention).
 */
#include <string.h>
#include "heap.h"
#include "loader.h"
#include "paging.h"

#define EI_NIDENT  16
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC    2
#define EM_386     3
#define PT_LOAD    1
#define PF_W       2
#define MAX_ARGS   16

typedef struct {
    unsigned char e_ident[EI_NIDENT];
    uint16_t e_type, e_machine;
    uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
    uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} elf32_ehdr_t;

typedef struct {
    uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} elf32_phdr_t;

#define STACK_LOW (USER_STACK_TOP_PAGE - (USER_STACK_PAGES - 1) * PAGE_SIZE)

static const exec2obj_userapp_TOC_entry *find_program(const char *name)
{
    for (int i = 0; i < exec2obj_userapp_count; i++) {
        if (strcmp(exec2obj_userapp_TOC[i].execname, name) == 0)
            return &exec2obj_userapp_TOC[i];
    }
    return NULL;
}

static int header_ok(const elf32_ehdr_t *eh, uint32_t len)
{
    static const unsigned char magic[4] = { 0x7F, 'E', 'L', 'F' };
    if (len < sizeof(*eh) || memcmp(eh->e_ident, magic, 4) != 0)
        return 0;
    if (eh->e_ident[4] != ELFCLASS32 || eh->e_ident[5] != ELFDATA2LSB)
        return 0;
    if (eh->e_type != ET_EXEC || eh->e_machine != EM_386 || eh->e_entry < USER_MEM_START)
        return 0;
    if (eh->e_phentsize != sizeof(elf32_phdr_t) || eh->e_phnum == 0)
        return 0;
    return eh->e_phoff <= len && (uint32_t)eh->e_phnum * sizeof(elf32_phdr_t) <= len - eh->e_phoff;
}

static int segment_ok(const elf32_phdr_t *ph, uint32_t len)
{
    return ph->p_vaddr >= USER_MEM_START && ph->p_memsz <= STACK_LOW - ph->p_vaddr &&
           ph->p_filesz <= ph->p_memsz && ph->p_offset <= len && ph->p_filesz <= len - ph->p_offset;
}

/* The frame backing `va` in pd, mapping a zeroed one if needed; 0 when out of memory. */
static uint32_t page_for(uint32_t pd, uint32_t va, int writable)
{
    uint32_t pte = pd_lookup(pd, va);
    if (pte & PTE_PRESENT) {
        if (writable && !(pte & PTE_WRITABLE))
            pd_map(pd, va, PTE_FRAME(pte), 1);
        return PTE_FRAME(pte);
    }
    uint32_t frame = frame_alloc();
    if (!frame)
        return 0;
    if (pd_map(pd, va, frame, writable) < 0) {
        frame_free(frame);
        return 0;
    }
    frame_write(frame, 0, NULL, 0, 1);
    return frame;
}

static int load_segment(uint32_t pd, const char *image, const elf32_phdr_t *ph)
{
    uint32_t start = ph->p_vaddr & ~(PAGE_SIZE - 1);
    uint32_t file_end = ph->p_vaddr + ph->p_filesz;
    for (uint32_t va = start; va < ph->p_vaddr + ph->p_memsz; va += PAGE_SIZE) {
        uint32_t frame = page_for(pd, va, (ph->p_flags & PF_W) != 0);
        if (!frame)
            return -1;
        uint32_t from = va > ph->p_vaddr ? va : ph->p_vaddr;
        uint32_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
        if (from < to)
            frame_write(frame, from - va, image + ph->p_offset + (from - ph->p_vaddr), to - from, 0);
    }
    return 0;
}

/* Maps the stack and writes the arguments and _main's frame into its top page. */
static int build_stack(uint32_t pd, char *const argv[], int argc, uint32_t *esp)
{
    uint32_t top_frame = 0;
    for (uint32_t va = STACK_LOW; va >= STACK_LOW && va <= USER_STACK_TOP_PAGE; va += PAGE_SIZE) {
        top_frame = page_for(pd, va, 1);
        if (!top_frame)
            return -1;
    }
    char *page = malloc(PAGE_SIZE);
    if (!page)
        return -1;
    memset(page, 0, PAGE_SIZE);

    uint32_t off = PAGE_SIZE, arg_va[MAX_ARGS];
    for (int i = argc - 1; i >= 0; i--) {
        uint32_t n = strlen(argv[i]) + 1;
        off -= n;
        memcpy(page + off, argv[i], n);
        arg_va[i] = USER_STACK_TOP_PAGE + off;
    }
    off &= ~3u;
    off -= 4 * (uint32_t)(argc + 1);
    uint32_t argv_va = USER_STACK_TOP_PAGE + off;
    memcpy(page + off, arg_va, 4 * (uint32_t)argc);   /* argv[argc] stays NULL */

    const uint32_t frame[5] = {
        0,                                   /* return address: _main never returns */
        (uint32_t)argc, argv_va,
        USER_STACK_TOP_PAGE + PAGE_SIZE - 1, /* stack_high */
        STACK_LOW,                           /* stack_low */
    };
    off -= sizeof(frame);
    memcpy(page + off, frame, sizeof(frame));
    *esp = USER_STACK_TOP_PAGE + off;
    frame_write(top_frame, 0, page, PAGE_SIZE, 0);
    free(page);
    return 0;
}

uint32_t loader_load(const char *name, char *const argv[], int argc, uint32_t *entry, uint32_t *esp)
{
    const exec2obj_userapp_TOC_entry *app = find_program(name);
    if (!app || argc < 1 || argc > MAX_ARGS)
        return 0;
    const elf32_ehdr_t *eh = (const elf32_ehdr_t *)app->execbytes;
    uint32_t len = (uint32_t)app->execlen;
    if (!header_ok(eh, len))
        return 0;
    const elf32_phdr_t *ph = (const elf32_phdr_t *)(app->execbytes + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !segment_ok(&ph[i], len))
            return 0;
    }

    uint32_t pd = pd_create();
    if (!pd)
        return 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && load_segment(pd, app->execbytes, &ph[i]) < 0)
            goto fail;
    }
    if (build_stack(pd, argv, argc, esp) < 0)
        goto fail;
    *entry = eh->e_entry;
    return pd;
fail:
    pd_destroy(pd);
    return 0;
}
