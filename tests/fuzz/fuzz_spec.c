/* libFuzzer target: the spec parser, checker and every emitter on arbitrary text.  Seeds: the spec
 * files and the bad-spec corpus.  Each input is tried twice: alone (the parser and checker on any
 * text), and as one more file after the real ABI spec (FUZZ_SPEC_DIR, default spec/: abi, ext,
 * calls, native, pv), so that ROM blocks meet the calls they implement and a spec that checks out
 * reaches the header, glue and ROM emitters.  A crash, a sanitizer report or a leak is a bug; an
 * error record is fine (vmi-gen --check runs the ROM emitter too, gen/main.c, so the two cannot
 * disagree). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "spec_model.h"

static const char *const abi_files[] = { "abi.vmi", "ext.vmi", "calls.vmi", "native.vmi",
                                         "pv.vmi" };
static char *abi_text[5];
static int abi_loaded;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        if (n + 2 > cap) {
            char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        buf[n++] = (char)c;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

static void load_abi(void)
{
    const char *dir = getenv("FUZZ_SPEC_DIR") ? getenv("FUZZ_SPEC_DIR") : "spec";
    abi_loaded = 1;
    for (int i = 0; i < 5; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, abi_files[i]);
        if (!(abi_text[i] = slurp(path)))
            abi_loaded = -1;
    }
}

/* Everything vmi-gen would write, in memory; every ROM flavor must emit. */
static void emit_all(const struct spec *spec)
{
    struct outbuf ob = { 0 };
    emit_header(spec, &ob);
    emit_glue(spec, &ob);
    if (spec->lx.present) {     /* the Linux profile: its header, its rules on the ROMs */
        struct spec_error findings[4];
        emit_linux_header(spec, &ob);
        linux_rules_check(spec, findings, 4);
    }
    ob_free(&ob);
    for (unsigned i = 0; i < spec->nroms; i++) {
        struct outbuf rom = { 0 };
        struct spec_error err;
        emit_rom(spec, &spec->roms[i], &rom, &err);     /* an error record is fine */
        ob_free(&rom);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct spec spec;   /* large: keep it off the stack */
    if (!abi_loaded)
        load_abi();
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct spec_error err;
    for (int with_abi = 0; with_abi < 2; with_abi++) {
        if (with_abi && abi_loaded < 0)
            break;
        memset(&spec, 0, sizeof spec);
        int rc = 0;
        for (int i = 0; with_abi && i < 5 && rc == 0; i++)
            rc = spec_parse_text(&spec, abi_files[i], abi_text[i], &err);
        if (rc == 0 && spec_parse_text(&spec, "fuzz.vmi", text, &err) == 0 &&
            spec_check(&spec, &err) == 0)
            emit_all(&spec);
        spec_free(&spec);
    }
    free(text);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
