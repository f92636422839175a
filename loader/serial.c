/* COM1 at 0x3f8 for the loader's own lines, a small printf, the error record, and the clean stop. */
#include "loader.h"

#define COM1 0x3f8

void serial_init(void)
{
    outb(COM1 + 1, 0x00);       /* no interrupts */
    outb(COM1 + 3, 0x80);       /* DLAB */
    outb(COM1 + 0, 0x01);       /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);       /* 8N1 */
    outb(COM1 + 2, 0xc7);       /* FIFO on, cleared */
    outb(COM1 + 4, 0x03);       /* DTR, RTS */
}

static void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
}

struct out {
    char *buf;                  /* NULL: to the serial port */
    uint32_t cap, len;
};

static void out_c(struct out *o, char c)
{
    if (!o->buf)
        serial_putc(c);
    else if (o->len + 1 < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

/* u64 by 10 without libgcc: two steps on 32-bit halves. */
static uint32_t div10(uint64_t *v)
{
    uint32_t hi = (uint32_t)(*v >> 32), lo = (uint32_t)*v;
    uint32_t qhi = hi / 10, r = hi % 10;
    uint32_t a = (r << 16) | (lo >> 16);
    uint32_t qa = a / 10, ra = a % 10;
    uint32_t b = (ra << 16) | (lo & 0xffff);
    uint32_t qb = b / 10, rb = b % 10;
    *v = ((uint64_t)qhi << 32) | ((uint64_t)qa << 16) | qb;
    return rb;
}

static void out_num(struct out *o, uint64_t v, unsigned base, int width, char pad)
{
    char tmp[24];
    int n = 0;
    do {
        uint32_t d;
        if (base == 10) {
            d = div10(&v);
        } else {
            d = (uint32_t)v & 15;
            v >>= 4;
        }
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    } while (v);
    for (int i = n; i < width; i++)
        out_c(o, pad);
    while (n)
        out_c(o, tmp[--n]);
}

static void out_fmt(struct out *o, const char *fmt, __builtin_va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_c(o, *fmt);
            continue;
        }
        fmt++;
        char pad = ' ';
        int width = 0, longs = 0;
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        int prec = -1;
        if (fmt[0] == '.' && fmt[1] == '*') {
            prec = __builtin_va_arg(ap, int);
            fmt += 2;
        }
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 'd': {
            int32_t v = __builtin_va_arg(ap, int32_t);
            if (v < 0)
                out_c(o, '-');
            out_num(o, v < 0 ? (uint32_t)-(int64_t)v : (uint32_t)v, 10, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs >= 2 ? __builtin_va_arg(ap, uint64_t) : __builtin_va_arg(ap, uint32_t);
            out_num(o, v, *fmt == 'u' ? 10 : 16, width, pad);
            break;
        }
        case 's': {
            const char *s = __builtin_va_arg(ap, const char *);
            for (const char *p = s ? s : "(null)"; *p && prec != 0; p++, prec--)
                out_c(o, *p);
            break;
        }
        case 'c':
            out_c(o, (char)__builtin_va_arg(ap, int));
            break;
        case '%':
            out_c(o, '%');
            break;
        default:
            out_c(o, '?');
            break;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    struct out o = { 0, 0, 0 };
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    out_fmt(&o, fmt, ap);
    __builtin_va_end(ap);
}

static uint32_t kvsnprintf(char *buf, uint32_t cap, const char *fmt, __builtin_va_list ap)
{
    struct out o = { buf, cap, 0 };
    out_fmt(&o, fmt, ap);
    if (cap)
        buf[o.len < cap ? o.len : cap - 1] = 0;
    return o.len;
}

uint32_t ksnprintf(char *buf, uint32_t cap, const char *fmt, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    uint32_t n = kvsnprintf(buf, cap, fmt, ap);
    __builtin_va_end(ap);
    return n;
}

int ld_fail(struct ld_error *err, const char *fmt, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    kvsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    __builtin_va_end(ap);
    return -1;
}

void loader_stop(void)
{
    loader_exit(LOADER_EXIT_STOP);
}

void loader_exit(uint8_t code)
{
    outb(0xf4, code);
    /* not under QEMU with isa-debug-exit: stop here */
    for (;;)
        __asm__ volatile("cli; hlt");
}
/* SPDX-License-Identifier: GPL-2.0-only */
