/* loader-parse VMLINUX: the loader's module parsing, hosted (hosted.h), on one file, for the
 * mutation guard (tests/mutate/run.sh).  Accepted: one summary line on stdout, status 0.
 * Refused: the loader's one line, named by the file, on stderr, status 1.  Usage or I/O: 2. */
#include "hosted.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: loader-parse VMLINUX\n", stderr);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "loader-parse: cannot open %s\n", argv[1]);
        return 2;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (n < 0 || !buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "loader-parse: cannot read %s\n", argv[1]);
        return 2;
    }
    fclose(f);
    struct hosted_result r;
    char msg[300];
    int rc = loader_hosted_parse(buf, (uint32_t)n, &r, msg, sizeof(msg));
    free(buf);
    if (rc == -2) {
        fprintf(stderr, "%s\n", msg);
        return 2;
    }
    if (rc) {
        fprintf(stderr, "loader-parse: %s: %s\n", argv[1], msg);
        return 1;
    }
    printf("loader-parse: %s: config=0x%x sites=%u aot=%s kernel=0x%x-0x%x\n", argv[1], r.config,
           r.sites, r.aot, r.kernel_lo, r.kernel_hi);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
