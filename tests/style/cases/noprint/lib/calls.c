/* Cases for tests/style/selftest.sh: noprint.sh run on tests/style/cases/noprint must report
 * exactly the lines in "expected" (the calls that print), not the others.  printf("in a
 * comment") is not a call. */
#include <stdio.h>
#include <unistd.h>

/* Not printing: a document written to the caller's file, formatting into a buffer. */
int document(FILE *f, char *buf, size_t cap)
{
    snprintf(buf, cap, "%d", 1);
    return fprintf(f, "{}\n") < 0 || fputs(buf, f) < 0;
}

/* Printing: each line below is reported. */
void prints(void)
{
    printf("a\n");
    fprintf(stderr, "b\n");
    fputs("c\n", stdout);
    perror("d");
    puts("e");
    if (write(2, "f\n", 2) < 0)
        return;
}
/* SPDX-License-Identifier: GPL-2.0-only */
