/* Error records for vmi-aot's libraries: a function that can fail returns 0 or -1 and, on -1,
 * leaves one line in the caller's struct aot_err naming the file and what/where is wrong.
 * Library code never prints, exits or asserts on input. */
#ifndef VMI_AOT_ERR_H
#define VMI_AOT_ERR_H

struct aot_err {
    char msg[512];      /* "FILE: what is wrong (where)", no trailing newline */
};

/* Formats the message into err (when err is not NULL) and returns -1. */
int aot_fail(struct aot_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The one adapter from the core's error record (struct vmi_error, inliner/vmi_inliner.h): "WHAT:
 * the core's own wording" into err, WHAT formatted from fmt; returns -1. */
struct vmi_error;
int aot_fail_vmi(struct aot_err *err, const struct vmi_error *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A library's message (libelf, libdwarf, Zydis) made fit for one line: control characters become
 * spaces, runs of blanks one space, the ends trimmed.  Empty, NULL or "no error" (which says
 * nothing about the input) gives `fallback`, which must say what the tool found instead.  The
 * result lives in a static buffer until the next call. */
const char *aot_lib_text(const char *text, const char *fallback);

/* Makes msg one line in place, the same way, and valid UTF-8: a byte that does not belong to a
 * well-formed sequence (a damaged section name, say) becomes '?' (used by aot_fail on every
 * message it formats). */
void aot_one_line(char *msg);

#endif /* VMI_AOT_ERR_H */
/* SPDX-License-Identifier: GPL-2.0-only */
