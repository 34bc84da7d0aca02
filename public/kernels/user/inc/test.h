/*
 * user/inc/test.h - how test programs report their result
 *
 * test_report() prints "NAME: PASS" or "NAME: FAIL (why)" on the screen and
 * to the simulator log, and returns the exit status to use (0 on success).
 */
#ifndef TEST_H
#define TEST_H

int test_report(const char *name, int ok, const char *why);

#endif /* TEST_H */
