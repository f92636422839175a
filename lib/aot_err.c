/* Error records: see aot_err.h. */
#include "aot_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vmi_inliner.h"

void aot_one_line(char *msg)
{
    size_t n = 0;
    int blank = 1;                       /* drops leading blanks */
    for (const char *p = msg; *p; p++) {
        int space = (unsigned char)*p < 0x20 || *p == 0x7f || *p == ' ';
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
