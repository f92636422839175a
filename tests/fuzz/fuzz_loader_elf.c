/* The loader's module parsing (tests/loader/hosted/hosted.h): the input is the first multiboot
 * module, the vmlinux, laid into a 256 MiB machine with a stand-in initrd, and run through the
 * loader's own multiboot_read, vmlinux_check, memory_plan, the module move, the segment load,
 * linux_config_pick, linux_sites_read, aot_read and the native plan proved against the loaded
 * text.  Besides crashes and sanitizer reports: a refusal must be one non-empty line, and a
 * kernel that is read must lie at or above 1 MiB, inside the RAM, with at most the loader's
 * 4096 sites. */
#include "hosted.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hosted_result r;
    char msg[300];
    int rc = loader_hosted_parse(data, (uint32_t)size, &r, msg, sizeof(msg));
    if (rc == -2)
        abort();                                /* no RAM: nothing was tested */
    if (rc == -1 && (!msg[0] || strchr(msg, '\n') || strchr(msg, '\r')))
        abort();                                /* a refusal that is not one line */
    if (rc == 0 && (r.kernel_lo < 0x100000 || r.kernel_hi > 0x10000000 ||
                    r.kernel_hi <= r.kernel_lo || r.sites > 4096))
        abort();
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
