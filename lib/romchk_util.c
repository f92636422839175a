/* check-rom's small shared pieces: the findings list, little-endian reads, clobber masks as text,
 * the report's routine list. */
#include "romchk.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void romchk_add(struct romchk *c, long off, const char *where, const char *fmt, ...)
{
    if (c->nfindings == ROMCHK_MAX_FINDINGS) {
        c->dropped++;
        return;
    }
    struct romchk_finding *f = &c->findings[c->nfindings++];
    f->off = off;
    snprintf(f->where, sizeof f->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    for (char *p = f->msg; *p; p++)      /* one line, whatever a library's text held */
        if ((unsigned char)*p < 0x20)
            *p = ' ';
    for (unsigned i = 0; i < c->nroutines; i++)
        if (where && strcmp(c->routines[i].name, where) == 0)
            c->routines[i].findings++;
}

uint32_t romchk_rd16(const struct romchk *c, uint32_t off)
{
    if (off > c->size || c->size - off < 2)
        return 0;
    return (uint32_t)c->img[off] | (uint32_t)c->img[off + 1] << 8;
}

uint32_t romchk_rd32(const struct romchk *c, uint32_t off)
{
    if (off > c->size || c->size - off < 4)
        return 0;
    return romchk_rd16(c, off) | romchk_rd16(c, off + 2) << 16;
}

void romchk_clobber_text(uint8_t mask, char *buf, size_t cap)
{
    static const char *const names[] = { "eax", "ecx", "edx", "ebx", "esi", "edi", "ebp",
                                         "flags" };
    size_t n = 0;
    buf[0] = '\0';
    for (int r = 0; r < 8 && n < cap; r++)
        if (mask & (1u << r))
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "," : "", names[r]);
    if (!n)
        snprintf(buf, cap, "-");
}

struct romchk_routine *romchk_routine_add(struct romchk *c, enum romchk_kind kind, int call,
                                          const char *name, uint32_t off)
{
    static struct romchk_routine spare;
    struct romchk_routine *r = c->nroutines < ROMCHK_MAX_ROUTINES ? &c->routines[c->nroutines++]
                                                                    : &spare;
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->call = call;
    r->off = off;
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}
/* SPDX-License-Identifier: GPL-2.0-only */
