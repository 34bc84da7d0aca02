/*
 * kern/rtc.c - read the date and time from the MC146818-style CMOS clock
 *
 * Index port 0x70, data port 0x71.  Registers: 0 seconds, 2 minutes, 4 hours,
 * 7 day, 8 month, 9 year, 0x0A status A (bit 7: update in progress), 0x0B
 * status B (bit 2: binary rather than BCD, bit 1: 24-hour mode).  Reads until
 * two consecutive snapshots agree, so an update cannot tear the result.
 */
#include <string.h>
#include <x86.h>
#include "rtc.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define RTC_STATUS_A 0x0A
#define RTC_STATUS_B 0x0B
#define RTC_UIP    0x80
#define RTC_BINARY 0x04
#define RTC_24H    0x02
#define RTC_PM     0x80

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void snapshot(uint8_t r[6])
{
    static const uint8_t regs[6] = { 9, 8, 7, 4, 2, 0 };
    while (cmos_read(RTC_STATUS_A) & RTC_UIP)
        continue;
    for (int i = 0; i < 6; i++)
        r[i] = cmos_read(regs[i]);
}

static int from_bcd(uint8_t v)
{
    return (v >> 4) * 10 + (v & 0xF);
}

void rtc_read(rtc_time_t *t)
{
    uint8_t a[6], b[6];
    snapshot(b);
    do {
        memcpy(a, b, sizeof(a));
        snapshot(b);
    } while (memcmp(a, b, sizeof(a)) != 0);

    uint8_t status = cmos_read(RTC_STATUS_B);
    int pm = !(status & RTC_24H) && (a[3] & RTC_PM);
    a[3] &= (uint8_t)~RTC_PM;
    int v[6];
    for (int i = 0; i < 6; i++)
        v[i] = (status & RTC_BINARY) ? a[i] : from_bcd(a[i]);
    if (!(status & RTC_24H))
        v[3] = (v[3] % 12) + (pm ? 12 : 0);
    t->year = 2000 + v[0];
    t->month = v[1];
    t->day = v[2];
    t->hour = v[3];
    t->minute = v[4];
    t->second = v[5];
}
