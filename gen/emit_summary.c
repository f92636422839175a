/* A one-screen table of the ABI for people: what `make demo` and `vmi-gen --summary` print. */
#include "emit.h"

static void clobber_text(uint8_t mask, char *buf, size_t cap)
{
    static const char *const names[] = { "eax", "ecx", "edx", "ebx", "esi", "edi", "ebp", "fl" };
    size_t n = 0;
    buf[0] = '\0';
    for (int r = 0; r < 8; r++)
        if (mask & (1u << r))
            n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "," : "", names[r]);
    if (!n)
        snprintf(buf, cap, "-");
}

void emit_summary(const struct spec *spec, FILE *out)
{
    unsigned per_class[7] = { 0 }, jump = 0, mem = 0, consts = 0, native_bytes = 0, reserve = 0;
    fprintf(out, "%3s  %-18s %-5s %-4s %4s %6s  %-19s %s\n", "nr", "call", "class", "site",
            "size", "native", "clobbers", "arguments");
    for (unsigned i = 0; i < spec->ncalls; i++) {
        const struct spec_call *c = &spec->calls[i];
        char clob[64];
        clobber_text(c->clobbers, clob, sizeof clob);
        fprintf(out, "%3u  %-18s %-5s %-4s %4u %6u  %-19s", c->number, c->name,
                spec_class_name(c->klass), c->jump_site ? "jump" : "call", c->reserve,
                c->native_len, c->noclobber_column ? "(never returns)" : clob);
        for (unsigned a = 0; a < c->nargs; a++) {
            const struct spec_arg *arg = &c->args[a];
            fprintf(out, " %s%s@%s%s%s", arg->name, (int)a == c->const_arg ? "*" : "",
                    arg->hi != REG_NONE ? spec_reg_name(arg->hi) : "",
                    arg->hi != REG_NONE ? ":" : "", spec_reg_name(arg->lo));
        }
        fprintf(out, "\n");
        per_class[c->klass]++;
        jump += (unsigned)c->jump_site;
        mem += (unsigned)c->memory;
        consts += c->const_arg >= 0;
        native_bytes += c->native_len;
        reserve += c->reserve;
    }
    fprintf(out, "\n%u calls:", spec->ncalls);
    for (int k = 0; k < 7; k++)
        fprintf(out, " %s %u%s", spec_class_name((enum spec_class)k), per_class[k],
                k < 6 ? "," : ";");
    fprintf(out, " %u jump sites, %u with memory effects, %u recording a constant (*).\n", jump,
            mem, consts);
    fprintf(out, "%u constants, %u layouts, %u ROM flavors; native sequences %u bytes in all, "
            "one site of each call %u bytes.\n", spec->nconsts, spec->nstructs, spec->nroms,
            native_bytes, reserve);
}
/* SPDX-License-Identifier: GPL-2.0-only */
