/*
 * lib/vsnprintf.c - a small, bounded printf formatter (kernel and user space)
 *
 * Always NUL-terminates (when size > 0) and returns the number of characters
 * actually stored, not counting the NUL.  See inc/stdio.h for the conversions.
 */
#include <stdio.h>

struct out {
    char *buf;
    size_t size;
    size_t len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len++] = c;
}

static void put_padded(struct out *o, const char *s, int n, int width, int left, char pad)
{
    int fill = width > n ? width - n : 0;
    if (!left) {
        while (fill-- > 0)
            put(o, pad);
    }
    while (n-- > 0)
        put(o, *s++);
    if (left) {
        while (fill-- > 0)
            put(o, ' ');
    }
}

/* Formats `v` in `base` into the end of tmp[]; returns the start of the digits. */
static char *utoa(unsigned v, unsigned base, int upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    *--end = '\0';
    do {
        *--end = digits[v % base];
        v /= base;
    } while (v);
    return end;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    char tmp[16];

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt++;
        int left = 0, width = 0;
        char pad = ' ';
        if (*fmt == '-') {
            left = 1;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;

        char *s;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int v = va_arg(ap, int);
            unsigned mag = v < 0 ? 0u - (unsigned)v : (unsigned)v;
            s = utoa(mag, 10, 0, tmp + sizeof(tmp));
            if (v < 0)
                *--s = '-';
            put_padded(&o, s, (int)(tmp + sizeof(tmp) - 1 - s), width, left, pad);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            s = utoa(va_arg(ap, unsigned), *fmt == 'u' ? 10 : 16, *fmt == 'X', tmp + sizeof(tmp));
            put_padded(&o, s, (int)(tmp + sizeof(tmp) - 1 - s), width, left, pad);
            break;
        case 'p':
            put(&o, '0');
            put(&o, 'x');
            s = utoa((unsigned)va_arg(ap, void *), 16, 0, tmp + sizeof(tmp));
            put_padded(&o, s, (int)(tmp + sizeof(tmp) - 1 - s), 8, 0, '0');
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            int n = 0;
            if (!str)
                str = "(null)";
            while (str[n])
                n++;
            put_padded(&o, str, n, width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&o, &c, 1, width, left, ' ');
            break;
        }
        case '\0':
            fmt--;
            break;
        default:
            put(&o, *fmt);
            break;
        }
    }
    if (o.size > 0)
        o.buf[o.len] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
