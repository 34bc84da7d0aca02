/*
 * kern/rtc.h - the CMOS real-time clock
 */
#ifndef RTC_H
#define RTC_H

typedef struct rtc_time {
    int year, month, day, hour, minute, second;
} rtc_time_t;

void rtc_read(rtc_time_t *t);

#endif /* RTC_H */
