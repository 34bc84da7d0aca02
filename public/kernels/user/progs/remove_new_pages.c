/*
 * user/progs/remove_new_pages.c - two threads race for the same new_pages() range
 *
 * Exactly one new_pages(0x15410000) may succeed; the winning mapping is
 * usable and zero-filled; remove_pages works once and frees the range for
 * reuse.
 */
#include <syscall.h>
#include <test.h>
#include <thread.h>

#define BASE ((void *)0x15410000)

static void *grab(void *arg)
{
    (void)arg;
    return (void *)(new_pages(BASE, PAGE_SIZE) == 0 ? 1 : 0);
}

int main(void)
{
    thr_init(4096);
    int tid = thr_create(grab, 0);
    int mine = (int)grab(0);
    void *theirs = 0;
    thr_join(tid, &theirs);
    if (mine + (int)theirs != 1)
        return test_report("remove_new_pages", 0, "new_pages succeeded twice or never");
    volatile int *p = BASE;
    int ok = p[0] == 0 && p[PAGE_SIZE / sizeof(int) - 1] == 0;
    p[0] = 410;
    ok = ok && p[0] == 410;
    ok = ok && remove_pages(BASE) == 0 && remove_pages(BASE) < 0;
    ok = ok && new_pages(BASE, PAGE_SIZE) == 0 && p[0] == 0 && remove_pages(BASE) == 0;
    ok = ok && new_pages((void *)0x15410001, PAGE_SIZE) < 0 && new_pages((void *)0x1000, PAGE_SIZE) < 0;
    return test_report("remove_new_pages", ok, "mapping misbehaved");
}
