/* Error records: see aot_err.h. */
#include "aot_err.h"

#include <stdarg.h>
#include <stdio.h>

int aot_fail(struct aot_err *err, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}
