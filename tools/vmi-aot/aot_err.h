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

#endif /* VMI_AOT_ERR_H */
