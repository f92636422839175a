/* An i386 image with no VMI sites for the mutation guard (tests/mutate/run.sh): code, data, a
 * symbol table and DWARF, but no vmi_sites section, as a kernel built without the glue. */
int counter;
const char banner[] = "no VMI sites here";

__attribute__((noinline)) static int step(int x)
{
    return x * 3 + banner[x & 7];
}

void _start(void)
{
    for (int i = 0; i < 10; i++)
        counter += step(i);
    for (;;)
        __asm__ volatile("hlt");
}
/* SPDX-License-Identifier: GPL-2.0-only */
