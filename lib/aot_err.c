/* Error records: see aot_err.h. */
#include "aot_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vmi_inliner.h"

/* The length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), 0 when the bytes there are not one. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
    if (p[0] < 0xc2 || p[0] > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
        (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return n;
}

void aot_one_line(char *msg)
{
    size_t n = 0;
    int blank = 1;                       /* drops leading blanks */
    for (const char *p = msg; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x80) {                 /* a name from a damaged file: keep the line UTF-8 */
            size_t k = utf8_len((const unsigned char *)p);
            if (k == 0) {
                msg[n++] = '?';
            } else {
                memmove(msg + n, p, k);
                n += k;
                p += k - 1;
            }
            blank = 0;
            continue;
        }
        int space = c < 0x20 || c == 0x7f || c == ' ';
        if (space && blank)
            continue;
        msg[n++] = space ? ' ' : *p;
        blank = space;
    }
    while (n && msg[n - 1] == ' ')
        n--;
    msg[n] = '\0';
}

const char *aot_lib_text(const char *text, const char *fallback)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "%s", text ? text : "");
    aot_one_line(buf);
    if (!buf[0] || strcasecmp(buf, "no error") == 0)
        snprintf(buf, sizeof buf, "%s", fallback);
    return buf;
}

int aot_fail(struct aot_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        aot_one_line(err->msg);
        if (!err->msg[0])
            snprintf(err->msg, sizeof err->msg, "an error without a message (a vmi-aot bug)");
    }
    return -1;
}

int aot_fail_vmi(struct aot_err *err, const struct vmi_error *e, const char *fmt, ...)
{
    if (!err)
        return -1;
    char what[320], line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    vmi_error_format(e, line, sizeof line);
    return aot_fail(err, "%s: %s", what, line);
}
/* SPDX-License-Identifier: GPL-2.0-only */
