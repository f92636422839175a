/* The inliner's unit tests: one binary, one cmocka group per part. */
#include <stdio.h>
#include "tinl.h"

int main(void)
{
    int failed = 0;
    failed += run_rom_tests();
    failed += run_site_tests();
    failed += run_plan_tests();
    failed += run_reloc_tests();
    failed += run_apply_tests();
    failed += run_count_tests();
    failed += run_linux_tests();
    failed += run_linux_site_tests();
    failed += run_fastpath_tests();
    failed += run_aot_tests();
    printf("inliner unit tests: %d failed\n", failed);
    return failed != 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
