/*
 * kern/syscall/memory.c - new_pages and remove_pages
 *
 * new_pages(base, len) maps len/4096 fresh zeroed, writable pages at base
 * (page aligned, in user space, none of them already mapped); the allocation
 * is remembered so that remove_pages(base) can free exactly it.  Both hold the
 * task's mem_lock, so two threads racing for the same range see one winner.
 */
#include "../heap.h"
#include "../paging.h"
#include "../process.h"
#include "../sched.h"
#include "syscall.h"
#include "uaccess.h"

static int range_free(uint32_t pd, uint32_t base, uint32_t len)
{
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        if (pd_lookup(pd, base + off) & PTE_PRESENT)
            return 0;
    }
    return 1;
}

static void unmap_range(uint32_t pd, uint32_t base, uint32_t len)
{
    for (uint32_t off = 0; off < len; off += PAGE_SIZE)
        frame_free(pd_unmap(pd, base + off));
}

/* new_pages(void *base, int len): packet { base, len } */
int sys_new_pages(trapframe_t *tf)
{
    struct { uint32_t base; int len; } packet;
    if (copy_from_user(&packet, (const void *)tf->esi, sizeof(packet)) < 0)
        return -1;
    uint32_t base = packet.base, len = (uint32_t)packet.len;
    if (packet.len <= 0 || !PAGE_ALIGNED(base) || !PAGE_ALIGNED(len) || base < USER_MEM_START ||
        len - 1 > 0xFFFFFFFFu - base)
        return -1;

    pcb_t *p = sched_current()->pcb;
    region_t *r = malloc(sizeof(*r));
    if (!r)
        return -1;
    mutex_lock(&p->mem_lock);
    int result = -1;
    if (range_free(p->pd, base, len)) {
        uint32_t done = 0;
        for (; done < len; done += PAGE_SIZE) {
            uint32_t frame = frame_alloc();
            if (!frame)
                break;
            if (pd_map(p->pd, base + done, frame, 1) < 0) {
                frame_free(frame);
                break;
            }
            frame_write(frame, 0, NULL, 0, 1);
        }
        if (done == len) {
            r->base = base;
            r->len = len;
            r->next = p->regions;
            p->regions = r;
            r = NULL;
            result = 0;
        } else {
            unmap_range(p->pd, base, done);
        }
    }
    mutex_unlock(&p->mem_lock);
    free(r);
    return result;
}

int sys_remove_pages(trapframe_t *tf)
{
    uint32_t base = tf->esi;
    pcb_t *p = sched_current()->pcb;
    mutex_lock(&p->mem_lock);
    region_t **link = &p->regions;
    while (*link && (*link)->base != base)
        link = &(*link)->next;
    region_t *r = *link;
    if (r) {
        *link = r->next;
        unmap_range(p->pd, r->base, r->len);
    }
    mutex_unlock(&p->mem_lock);
    int result = r ? 0 : -1;
    free(r);
    return result;
}
