/*
 * kern/syscall/uaccess.c - validate and copy user memory (see uaccess.h)
 */
#include <string.h>
#include "../paging.h"
#include "../process.h"
#include "../sched.h"
#include "uaccess.h"

int uaccess_ok(const void *uaddr, size_t len, int write)
{
    uint32_t start = (uint32_t)uaddr;
    if (start < USER_MEM_START || len > 0xFFFFFFFFu - start + 1)
        return 0;
    if (len == 0)
        return 1;
    uint32_t pd = sched_current()->pcb->pd;
    uint32_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITABLE : 0);
    uint32_t last = start + (uint32_t)(len - 1);
    for (uint32_t page = start & ~(PAGE_SIZE - 1);; page += PAGE_SIZE) {
        if ((pd_lookup(pd, page) & need) != need)
            return 0;
        if (last - page < PAGE_SIZE)
            return 1;
    }
}

static int copy_checked(void *dst, const void *src, size_t len, const void *uaddr, int write)
{
    pcb_t *p = sched_current()->pcb;
    mutex_lock(&p->mem_lock);
    int ok = uaccess_ok(uaddr, len, write);
    if (ok)
        memcpy(dst, src, len);
    mutex_unlock(&p->mem_lock);
    return ok ? 0 : -1;
}

int copy_from_user(void *dst, const void *usrc, size_t len)
{
    return copy_checked(dst, usrc, len, usrc, UACCESS_READ);
}

int copy_to_user(void *udst, const void *src, size_t len)
{
    return copy_checked(udst, src, len, udst, UACCESS_WRITE);
}

int copy_string_from_user(char *dst, const char *usrc, size_t max)
{
    pcb_t *p = sched_current()->pcb;
    int result = -1;
    mutex_lock(&p->mem_lock);
    for (size_t i = 0; i < max; i++) {
        if (((uint32_t)(usrc + i) & (PAGE_SIZE - 1)) == 0 || i == 0) {
            if (!uaccess_ok(usrc + i, 1, UACCESS_READ))
                break;
        }
        dst[i] = usrc[i];
        if (dst[i] == '\0') {
            result = (int)i;
            break;
        }
    }
    mutex_unlock(&p->mem_lock);
    return result;
}
