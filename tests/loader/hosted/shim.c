/* What the loader's parsers need from its serial.c, for the hosted build (hosted.c): the error
 * record and the formatter, on the C library's vsnprintf (the loader's formatter is a subset of
 * it); the serial lines on stdout; the stops as an abort, which the parsers never reach (a test
 * that reaches one fails loudly).  lib.c's memcpy and friends are the C library's, checked by the
 * sanitizers. */
#include "loader.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int ld_fail(struct ld_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return -1;
}

uint32_t ksnprintf(char *buf, uint32_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n < 0 ? 0 : (uint32_t)n;
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void serial_init(void)
{
}

void loader_exit(uint8_t code)
{
    fprintf(stderr, "loader-hosted: loader_exit(%u) reached from a parser\n", code);
    abort();
}

void loader_stop(void)
{
    loader_exit(LOADER_EXIT_STOP);
}
/* SPDX-License-Identifier: GPL-2.0-only */
