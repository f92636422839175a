/* Maps the pv ROM where a BIOS would shadow it and runs its two fixed entries. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "host_mman.h"     /* <sys/mman.h>, MAP_FIXED_NOREPLACE: lib/ */
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "vmi_host32.h"


int prof_rom_map(const char *path, uint32_t base, const uint8_t **img, uint32_t *size,
                 struct aot_err *err)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        aot_fail(err, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (st.st_size <= 0 || st.st_size > 256 * 1024) {
        aot_fail(err, "%s: %lld bytes is no option ROM", path, (long long)st.st_size);
        close(fd);
        return -1;
    }
    uint32_t len = ((uint32_t)st.st_size + 4095u) & ~4095u;
    void *p = mmap((void *)(uintptr_t)base, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || p != (void *)(uintptr_t)base) {
        aot_fail(err, "cannot map the ROM at 0x%x: %s", base,
                 p == MAP_FAILED ? strerror(errno) : "the kernel chose another address");
        if (p != MAP_FAILED)
            munmap(p, len);
        close(fd);
        return -1;
    }
    ssize_t got = 0;
    while (got < st.st_size) {
        ssize_t r = read(fd, (uint8_t *)p + got, (size_t)(st.st_size - got));
        if (r <= 0) {
            aot_fail(err, "%s: %s", path, r < 0 ? strerror(errno) : "short read");
            close(fd);
            return -1;
        }
        got += r;
    }
    close(fd);
    if (mprotect(p, len, PROT_READ | PROT_EXEC) != 0) {
        return aot_fail(err, "mprotect of the ROM: %s", strerror(errno));
    }
    *img = p;
    *size = (uint32_t)st.st_size;
    return 0;
}

/* GetRelocationInfo's answer as EDX:EAX (Linux 2.6.21's vmi_get_function), through the harness's
 * ROM entry calls. */
uint64_t prof_rom_reloc(uint32_t base, uint32_t call)
{
    struct vmi_relocation_info r;
    harness_query_rom(&base, (uint8_t)call, &r);
    return ((uint64_t)r.type << 32) | r.eip;
}

uint32_t prof_rom_init(uint32_t base)
{
    return harness_rom_init(base);
}
/* SPDX-License-Identifier: GPL-2.0-only */
