/*
 * user/lib/test.c - test result reporting (see user/inc/test.h)
 */
#include <simics.h>
#include <stdio.h>
#include <test.h>

int test_report(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("%s: PASS\n", name);
        lprintf("%s: PASS", name);
        return 0;
    }
    printf("%s: FAIL (%s)\n", name, why);
    lprintf("%s: FAIL (%s)", name, why);
    return 1;
}
