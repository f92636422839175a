/* libFuzzer target: vmi-aot's ELF reading path on arbitrary files.
 *
 * The input is written to an in-memory file (memfd) and opened by path (/proc/self/fd/N) through
 * aot_image_open, the public entry point of lib/elf_image.h, both with and without
 * AOT_OPEN_NO_SITES.  When an image opens, everything `vmi-aot sites` would read runs on it:
 * the DWARF index, each site's function, file:line, native check, bytes and disassembly, the
 * lookups by address, and finally the `sites` command itself (text and JSON, output discarded).
 * Seeds: the aot test images (gcc and clang) and the glue test programs.  An error line is fine;
 * a crash, a sanitizer report or a leak is a bug. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aot_cmds.h"
#include "disasm.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "json_out.h"
#include "site_info.h"

static int quiet_fd = -1;

static void read_everything(const struct aot_image *img, const char *path)
{
    struct aot_err err;
    struct aot_dwarf *dw = NULL;
    struct aot_disasm dis;
    char buf[1024], clob[48], carg[32];

    if (aot_disasm_init(&dis) != 0)
        abort();
    if (aot_dwarf_open(&dw, img, &err) != 0)
        return;
    for (size_t i = 0; i < img->nsites; i++) {
        const struct aot_site *s = &img->sites[i];
        struct aot_site_info si;
        aot_site_info(img, dw, s, &si);
        (void)aot_site_is_native(img, s);
        json_decref(aot_json_bytes(aot_site_bytes(img, s), s->len));
        aot_disasm_text(&dis, aot_site_bytes(img, s), s->len, s->addr, buf, sizeof buf);
        aot_clobber_names(s->clobbers, clob, sizeof clob);
        aot_const_arg_name(s, carg, sizeof carg);
        if (aot_image_site_at(img, s->addr + s->len - 1) != s)
            abort();    /* the site table answers for its own sites */
        if (!aot_image_bytes(img, s->addr, s->len))
            abort();    /* a site lies in a PROGBITS allocated section */
        (void)aot_image_func_at(img, s->addr);
    }
    for (size_t i = 0; i < img->nfuncs; i++)
        (void)aot_image_func_at(img, img->funcs[i].addr);
    for (size_t i = 0; i < img->nsecs; i++)
        (void)aot_image_find_section(img, img->secs[i].name);
    aot_dwarf_close(dw);

    /* the command, as a user runs it; its output and messages go to /dev/null */
    char *argv_text[] = { "sites", (char *)path, NULL };
    char *argv_json[] = { "sites", (char *)path, "--json", NULL };
    fflush(stdout);
    fflush(stderr);
    int out = dup(1), errfd = dup(2);
    dup2(quiet_fd, 1);
    dup2(quiet_fd, 2);
    aot_cmd_sites(2, argv_text);
    aot_cmd_sites(3, argv_json);
    fflush(stdout);
    fflush(stderr);
    dup2(out, 1);
    dup2(errfd, 2);
    close(out);
    close(errfd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    struct aot_image img;
    struct aot_err err;

    if (fd < 0) {
        fd = memfd_create("fuzz-elf", 0);
        quiet_fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || quiet_fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    for (unsigned flags = 0; flags < 2; flags++) {
        if (aot_image_open(&img, path, flags ? AOT_OPEN_NO_SITES : 0, &err) == 0) {
            if (!flags)
                read_everything(&img, path);
            aot_image_close(&img);
        } else if (!memchr(err.msg, '\0', sizeof err.msg) || strchr(err.msg, '\n')) {
            abort();    /* the error is one terminated line */
        }
    }
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
