/* vmi-aot specialize KERNEL --rom ROM -o OUT [--policy P] [--rom-base ADDR] [--dry-run]
 *                    [--report FILE]
 * Plans every call site of a 32-bit ELF image against one ROM with the inliner library the kernel
 * links (vmi_rom_probe, vmi_sites_read, vmi_plan_build, vmi_apply), writes the new site bytes into
 * a copy of the image, fills the identity record (struct vmi_aot_identity vmi_aot_identity) and
 * appends the section .vmi_aot with the original bytes (docs/aot.md).  The ROM base is the value
 * of the symbol vmi_rom_area, or --rom-base for an image without one.  The input is never
 * written; OUT (and the report) appear whole or not at all; the same inputs give the same bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aot_cmds.h"
#include "aot_record.h"
#include "aot_rom.h"
#include "dwarf_lines.h"
#include "elf_image.h"
#include "elf_writer.h"
#include "json_out.h"
#include "linux_image.h"
#include "linux_listing.h"
#include "outfile.h"
#include "profile.h"
#include "site_info.h"
#include "vmi_abi.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"

#define ROM_AREA_SYM  "vmi_rom_area"
#define IDENTITY_SYM  "vmi_aot_identity"
#define SPAN_MAX      (256u << 20)      /* bytes between the first and the last site */

static void usage(FILE *f)
{
    fputs("usage: vmi-aot specialize KERNEL --rom ROM -o OUT [--policy P] [--rom-base ADDR]\n"
          "                          [--dry-run] [--report FILE] [--profile FILE [--inline-share P]]\n"
          "  Plans and patches every VMI call site of KERNEL for ROM, with the inliner the kernel\n"
          "  uses at boot; fills vmi_aot_identity and adds section .vmi_aot (docs/aot.md).\n"
          "  --policy P       auto (default), call-only, native-only, inline-only\n"
          "  --rom-base ADDR  the ROM's run-time address, for an image without vmi_rom_area\n"
          "                   (then the image may also lack vmi_aot_identity)\n"
          "  --dry-run        plan and write only the report (standard output unless --report)\n"
          "  --report FILE    per-site JSON report (- for standard output)\n"
          "  --profile FILE   a per-site execution profile of KERNEL (docs/specializer.md): report\n"
          "                   the executed sites not inlined and a reserve per call\n"
          "  --inline-share P the share of each call's executions the suggested reserve inlines\n"
          "                   (0 < P <= 1, default 0.9; with --profile)\n", f);
}

struct spec_args {
    const char *kernel, *rom, *out, *report, *profile;
    int policy, dry_run, have_base, have_share;
    uint32_t base, share_ppm;
};

static int parse_policy(const char *s)
{
    for (unsigned p = 0; p < VMI_POLICY_COUNT; p++)
        if (strcmp(s, vmi_policy_name(p)) == 0)
            return (int)p;
    return -1;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (!*s || *end || errno || v > 0xffffffffull || *s == '-')
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* ---- the report ---- */

static void json_hex(FILE *f, const uint8_t *b, size_t n)
{
    putc('"', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%02x", i ? " " : "", b[i]);
    putc('"', f);
}

static int write_report(FILE *f, const struct spec_args *a, const struct aot_image *img,
                        const struct aot_rom *rom, const struct vmi_plan *plan,
                        const struct vmi_aot_identity *id, int identity,
                        const struct aot_prof_result *pr, const struct aot_profile *prof,
                        struct aot_err *err)
{
    struct aot_dwarf *dw = NULL;
    if (aot_dwarf_open(&dw, img, err) != 0)
        return -1;
    static struct vmi_stats st;
    vmi_plan_stats(plan, &st);
    uint32_t variants = st.reason[VMI_REASON_INLINE_VARIANT];
    fputs("{\"image\":", f);
    aot_json_str(f, a->kernel);
    fputs(",\"rom\":", f);
    aot_json_str(f, a->rom);
    fprintf(f, ",\"rom_size\":%u,\"rom_hash\":\"0x%016llx\",\"rom_base\":\"0x%08x\","
            "\"policy\":\"%s\",\"identity\":%s,\"sites_hash\":\"0x%016llx\",\"dry_run\":%s,\n",
            rom->size, (unsigned long long)rom->hash, id->rom_base, vmi_policy_name(id->policy),
            identity ? "true" : "false", (unsigned long long)id->sites_hash,
            a->dry_run ? "true" : "false");
    fprintf(f, " \"totals\":{\"sites\":%u,\"inline\":%u,\"call\":%u,\"jump\":%u,\"nop\":%u,"
            "\"native\":%u,\"variant\":%u,\"bytes\":%u,\"bytes_inlined\":%u,\"bytes_native\":%u,"
            "\"bytes_branch\":%u,\"bytes_nop\":%u,\"nop_count\":%u,\"relocs\":%u,\"reasons\":{",
            st.sites, st.decision[VMI_DECISION_INLINE], st.decision[VMI_DECISION_CALL],
            st.decision[VMI_DECISION_JUMP], st.decision[VMI_DECISION_NOP],
            st.decision[VMI_DECISION_NATIVE], variants, st.bytes_total, st.bytes_inlined,
            st.bytes_native, st.bytes_branch, st.bytes_nop, st.nop_count, st.relocs);
    for (unsigned r = 0, n = 0; r < VMI_REASON_COUNT; r++)
        if (st.reason[r])
            fprintf(f, "%s\"%s\":%u", n++ ? "," : "", vmi_reason_name(r), st.reason[r]);
    fputs("}},\n", f);
    if (img->lx && aot_linux_report_ops(f, img, plan) != 0)
        return aot_fail(err, "%s: out of memory", a->kernel);
    if (pr) {
        putc(' ', f);
        aot_profile_json(f, pr, prof, plan);
        fputs(",\n", f);
    }
    fputs(" \"sites\":[", f);
    for (uint32_t i = 0; i < plan->count; i++) {
        const struct vmi_site_plan *sp = &plan->sites[i];
        const struct aot_site *s = &img->sites[i];
        struct aot_site_info si;
        aot_site_info(img, dw, s, &si);
        fprintf(f, "%s\n  {\"addr\":\"0x%08x\",\"call\":\"%s\",\"len\":%u,\"record\":%u,"
                "\"decision\":\"%s\",\"reason\":\"%s\",\"noinline\":\"%s\",\"variant\":",
                i ? "," : "", sp->addr, vmi_call_name(sp->call), sp->len, sp->index,
                vmi_decision_name(sp->decision), vmi_reason_name(sp->reason),
                vmi_noinline_name(sp->noinline));
        if (sp->reason == VMI_REASON_INLINE_VARIANT)
            fprintf(f, "\"0x%x\"", s->const_value);
        else
            fputs("null", f);
        if (sp->target)
            fprintf(f, ",\"target\":\"0x%08x\",\"func\":", sp->target);
        else
            fputs(",\"target\":null,\"func\":", f);
        aot_json_str(f, si.func);
        fputs(",\"file\":", f);
        aot_json_str(f, si.file);
        if (img->lx) {
            unsigned t = img->lx->rec_type[s->rec_index];
            fputs(",\"op\":", f);
            aot_json_str(f, aot_linux_op_name(img->lx, t));
            fprintf(f, ",\"type\":%u,\"use\":\"%s\"", t,
                    aot_linux_use_name(img->lx->type[t].use));
        }
        fprintf(f, ",\"line\":%u,\"bytes\":", si.line);
        json_hex(f, plan->code + sp->code_offs, sp->len);
        fputs("}", f);
    }
    fputs("]}\n", f);
    aot_dwarf_close(dw);
    return 0;
}

/* ---- the command ---- */

static int fail(const char *msg)
{
    fprintf(stderr, "vmi-aot specialize: %s\n", msg);
    return 1;
}

static int fail_vmi(const char *path, const char *what, const struct vmi_error *e,
                    const struct aot_image *img)
{
    char line[320];
    vmi_error_format(e, line, sizeof line);
    if (e->site != VMI_NO_SITE && img) {
        const struct aot_site *s = aot_image_site_at(img, e->address);
        const char *name = !s ? "?"
                           : img->lx ? aot_linux_op_name(img->lx, img->lx->rec_type[s->rec_index])
                           : aot_call_name(s->call);
        fprintf(stderr, "vmi-aot specialize: %s: %s: site at 0x%08x (%s, record %u): %s\n", path,
                what, e->address, name ? name : "?", e->site, line);
    } else {
        fprintf(stderr, "vmi-aot specialize: %s: %s: %s\n", path, what, line);
    }
    return 1;
}

int aot_cmd_specialize(int argc, char **argv)
{
    struct spec_args a = { .policy = VMI_POLICY_AUTO };
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int has_val = i + 1 < argc;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(o, "--rom") == 0 && has_val) {
            a.rom = argv[++i];
        } else if (strcmp(o, "-o") == 0 && has_val) {
            a.out = argv[++i];
        } else if (strcmp(o, "--report") == 0 && has_val) {
            a.report = argv[++i];
        } else if (strcmp(o, "--policy") == 0 && has_val) {
            if ((a.policy = parse_policy(argv[++i])) < 0) {
                fprintf(stderr, "vmi-aot specialize: unknown policy '%s' (auto, call-only, "
                        "native-only, inline-only)\n", argv[i]);
                return 2;
            }
        } else if (strcmp(o, "--rom-base") == 0 && has_val) {
            if (parse_u32(argv[++i], &a.base) != 0) {
                fprintf(stderr, "vmi-aot specialize: bad --rom-base '%s'\n", argv[i]);
                return 2;
            }
            a.have_base = 1;
        } else if (strcmp(o, "--profile") == 0 && has_val) {
            a.profile = argv[++i];
        } else if (strcmp(o, "--inline-share") == 0 && has_val) {
            if (aot_parse_share(argv[++i], &a.share_ppm) != 0) {
                fprintf(stderr, "vmi-aot specialize: bad --inline-share '%s' (a decimal share, "
                        "0 < P <= 1, e.g. 0.9)\n", argv[i]);
                return 2;
            }
            a.have_share = 1;
        } else if (strcmp(o, "--dry-run") == 0) {
            a.dry_run = 1;
        } else if (o[0] == '-' || a.kernel) {
            usage(stderr);
            return 2;
        } else {
            a.kernel = o;
        }
    }
    if (!a.kernel || !a.rom || (!a.out && !a.dry_run)) {
        usage(stderr);
        return 2;
    }
    if (a.have_share && !a.profile) {
        fprintf(stderr, "vmi-aot specialize: --inline-share needs --profile FILE\n");
        return 2;
    }
    if (!a.have_share)
        a.share_ppm = 900000;
    if (a.dry_run && !a.report)
        a.report = "-";

    struct aot_err err;
    struct aot_image img;
    struct aot_rom rom;
    int rc = 1;
    if (aot_image_open(&img, a.kernel, AOT_OPEN_LINUX, &err) != 0)
        return fail(err.msg);
    if (img.lx && a.profile) {
        aot_image_close(&img);
        fprintf(stderr, "vmi-aot specialize: %s: --profile reads profiles of vmi_sites images; "
                "this is a Linux kernel (.parainstructions)\n", a.kernel);
        return 2;
    }
    if (img.lx && aot_linux_check_dwarf(&img, &err) != 0) {
        aot_image_close(&img);
        return fail(err.msg);
    }
    if (aot_rom_load(&rom, a.rom, &err) != 0) {
        aot_image_close(&img);
        return fail(err.msg);
    }
    struct aot_profile prof = { 0 };
    struct aot_prof_result pres = { 0 };
    if (a.profile && aot_profile_read(&prof, a.profile, &img, &err) != 0) {
        aot_rom_free(&rom);
        aot_image_close(&img);
        return fail(err.msg);
    }

    /* allocations released at done */
    struct vmi_site_info *tsites = NULL;
    struct vmi_site_plan *psites = NULL;
    uint8_t *code = NULL, *span = NULL, *orig = NULL, *sec = NULL;
    struct aot_rec_site *rsites = NULL;
    struct aot_writer w = { 0 };
    struct aot_outfile rep = { 0 };
    int have_writer = 0, have_rep = 0;

    /* ---- where the ROM will be, and the identity record ---- */
    struct aot_symbol area, idsym;
    int has_area = aot_image_symbol(&img, ROM_AREA_SYM, &area, &err);
    int has_id = has_area < 0 ? -1 : aot_image_symbol(&img, IDENTITY_SYM, &idsym, &err);
    if (has_area < 0 || has_id < 0) {
        fail(err.msg);
        goto done;
    }
    uint32_t base = a.base;
    if (has_area) {
        if (a.have_base && a.base != area.value) {
            fprintf(stderr, "vmi-aot specialize: %s: --rom-base 0x%08x, but the image's "
                    ROM_AREA_SYM " is at 0x%08x: the kernel plans for its ROM area\n", a.kernel,
                    a.base, area.value);
            goto done;
        }
        base = area.value;
        uint32_t cap = area.size ? area.size : VMI_ROM_AREA_SIZE;
        if (rom.size > cap || rom.size > VMI_ROM_AREA_SIZE) {
            fprintf(stderr, "vmi-aot specialize: %s: the ROM's %u bytes do not fit "
                    ROM_AREA_SYM " (%u bytes at 0x%08x)\n", a.rom, rom.size,
                    cap < VMI_ROM_AREA_SIZE ? cap : VMI_ROM_AREA_SIZE, base);
            goto done;
        }
    } else if (!a.have_base) {
        fprintf(stderr, "vmi-aot specialize: %s: no " ROM_AREA_SYM " symbol, so the ROM's run-time "
                "address is unknown: give --rom-base ADDR (docs/aot.md)\n", a.kernel);
        goto done;
    }
    if (!has_id && !a.have_base) {
        fprintf(stderr, "vmi-aot specialize: %s: no " IDENTITY_SYM " symbol: a kernel without it "
                "cannot tell another ROM at boot; give --rom-base ADDR to specialize anyway "
                "(docs/aot.md)\n", a.kernel);
        goto done;
    }
    const uint8_t *id_bytes = NULL;
    if (has_id) {
        if (idsym.size != AOT_ID_SIZE ||
            !(id_bytes = aot_image_bytes(&img, idsym.value, AOT_ID_SIZE))) {
            fprintf(stderr, "vmi-aot specialize: %s: " IDENTITY_SYM " at 0x%08x (%u bytes) is not "
                    "a %u-byte struct vmi_aot_identity in an allocated PROGBITS section\n",
                    a.kernel, idsym.value, idsym.size, AOT_ID_SIZE);
            goto done;
        }
        for (unsigned k = 0; k < AOT_ID_SIZE; k++)
            if (id_bytes[k]) {
                fprintf(stderr, "vmi-aot specialize: %s: " IDENTITY_SYM " at 0x%08x is not all "
                        "zero (byte %u): the image is already specialized; specialize the "
                        "original\n", a.kernel, idsym.value, k);
                goto done;
            }
    }
    if (aot_rom_base_ok(&rom, base, &err) != 0) {
        fail(err.msg);
        goto done;
    }

    /* ---- the inliner, as the kernel runs it at boot ---- */
    struct vmi_error ve;
    struct vmi_rom vrom;
    static struct vmi_reloc_table relocs;
    if (vmi_rom_probe(&vrom, rom.img, rom.size, base, 0, &ve) != VMI_OK) {
        fail_vmi(a.rom, "the inliner's probe refuses the ROM", &ve, NULL);
        goto done;
    }
    if (aot_rom_relocs(&rom, base, &relocs, &err) != 0) {
        fail(err.msg);
        goto done;
    }
    uint32_t n = (uint32_t)img.nsites;
    struct vmi_site_table table = { 0 };
    tsites = calloc(n ? n : 1, sizeof *tsites);
    psites = calloc(n ? n : 1, sizeof *psites);
    rsites = calloc(n ? n : 1, sizeof *rsites);
    if (!tsites || !psites || !rsites) {
        fprintf(stderr, "vmi-aot specialize: %s: out of memory for %u sites\n", a.kernel, n);
        goto done;
    }
    table.sites = tsites;
    table.cap = n;
    if (img.lx) {
        /* read by the inliner's own Linux reader when the image was opened (linux_image.c) */
        memcpy(tsites, img.lx->infos, n * sizeof *tsites);
        table.count = img.lx->table.count;
    } else if (vmi_sites_read(&table, img.data + img.site_table->offset, img.site_table->addr,
                              img.site_table->size, &ve) != VMI_OK) {
        fail_vmi(a.kernel, "the inliner refuses the site table", &ve, &img);
        goto done;
    }
    struct vmi_plan_size need;          /* the core's sizing: code and original bytes */
    vmi_plan_size_for(&table, &need);
    uint32_t total = need.code;
    code = malloc(total ? total : 1);
    orig = malloc(total ? total : 1);
    if (!code || !orig) {
        fprintf(stderr, "vmi-aot specialize: %s: out of memory for %u sites\n", a.kernel, n);
        goto done;
    }
    for (uint32_t i = 0; i < n; i++)
        if (table.count != n || tsites[i].addr != img.sites[i].addr) {
            fprintf(stderr, "vmi-aot specialize: %s: the inliner and the ELF reader disagree "
                    "about site %u\n", a.kernel, i);
            goto done;
        }
    /* vmi_apply on a buffer spanning the sites: checks every site holds its native bytes (a
     * Linux site: its original bytes), writes, reads back.  Only site bytes are ever read or
     * written there. */
    uint32_t lo = n ? img.sites[0].addr : 0;
    uint64_t hi = n ? (uint64_t)img.sites[n - 1].addr + img.sites[n - 1].len : 0;
    if (hi - lo > SPAN_MAX) {
        fprintf(stderr, "vmi-aot specialize: %s: the sites span 0x%08x..0x%08llx, more than %u "
                "MiB\n", a.kernel, lo, (unsigned long long)hi, SPAN_MAX >> 20);
        goto done;
    }
    span = calloc(hi - lo ? hi - lo : 1, 1);
    if (!span) {
        fprintf(stderr, "vmi-aot specialize: %s: out of memory\n", a.kernel);
        goto done;
    }
    for (uint32_t i = 0; i < n; i++)
        memcpy(span + (img.sites[i].addr - lo), aot_site_bytes(&img, &img.sites[i]),
               img.sites[i].len);
    struct vmi_text text = { span, lo, (uint32_t)(hi - lo), NULL, NULL };
    uint32_t orig_len = 0;
    if (vmi_sites_capture(&table, &text, orig, total, &orig_len, &ve) != VMI_OK) {
        fail_vmi(a.kernel, "capture the original bytes", &ve, &img);
        goto done;
    }
    struct vmi_plan plan;
    struct vmi_plan_options opt = { (enum vmi_policy)a.policy, 0 };
    vmi_plan_init(&plan, psites, n, code, total);
    if (img.lx)     /* a Linux site's native form is what it holds: the indirect call */
        vmi_plan_set_original(&plan, orig, orig_len);
    if (vmi_plan_build(&plan, &table, &vrom, &relocs, &opt, &ve) != VMI_OK) {
        fail_vmi(a.kernel, "plan", &ve, &img);
        goto done;
    }
    uint32_t off = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct aot_site *s = &img.sites[i];
        rsites[i] = (struct aot_rec_site){ s->addr, s->rec_index, off, s->call, s->len,
                                           psites[i].decision, psites[i].reason };
        off += s->len;
    }
    if (vmi_apply(&text, &plan, NULL, NULL, &ve) != VMI_OK) {
        fail_vmi(a.kernel, ve.status == VMI_E_SITE_BYTES ? "not the native bytes (already "
                 "patched?)" : "apply", &ve, &img);
        goto done;
    }

    /* ---- the profile: executed sites not inlined, reserves ---- */
    if (a.profile && aot_profile_analyze(&pres, &prof, &table, &plan, &vrom, a.share_ppm,
                                         &err) != 0) {
        fail(err.msg);
        goto done;
    }

    /* ---- the identity ---- */
    struct vmi_aot_identity id = { 0 };
    id.magic = VMI_AOT_MAGIC;
    id.version = VMI_AOT_VERSION;
    id.hash_kind = VMI_AOT_HASH_FNV1A64;
    id.policy = (uint8_t)a.policy;
    id.rom_hash = rom.hash;
    id.rom_size = rom.size;
    id.rom_base = base;
    id.site_count = n;
    id.sites_hash = VMI_FNV1A64_INIT;
    for (uint32_t i = 0; i < n; i++)
        id.sites_hash = vmi_fnv1a64(id.sites_hash, span + (img.sites[i].addr - lo),
                                    img.sites[i].len);

    /* ---- the report, committed only once OUT is in place ---- */
    if (a.report) {
        if (aot_outfile_open(&rep, a.report, &err) != 0) {
            fail(err.msg);
            goto done;
        }
        have_rep = 1;
        if (write_report(rep.f, &a, &img, &rom, &plan, &id, has_id > 0, a.profile ? &pres : NULL,
                         &prof, &err) != 0) {
            fail(err.msg);
            goto done;
        }
    }

    /* ---- OUT ---- */
    if (!a.dry_run) {
        if (aot_writer_init(&w, &img, &err) != 0) {
            fail(err.msg);
            goto done;
        }
        have_writer = 1;
        for (uint32_t i = 0; i < n; i++) {
            const struct aot_site *s = &img.sites[i];
            if (aot_writer_patch(&w, s->addr, span + (s->addr - lo), s->len, &err) != 0) {
                fail(err.msg);
                goto done;
            }
        }
        uint8_t idb[AOT_ID_SIZE];
        aot_id_encode(&id, idb);
        if (has_id && aot_writer_patch(&w, idsym.value, idb, AOT_ID_SIZE, &err) != 0) {
            fail(err.msg);
            goto done;
        }
        struct aot_rec rec = { .flags = (has_id ? AOT_REC_F_IDENTITY : 0) |
                                        (img.lx ? AOT_REC_F_LINUX : 0),
                               .id = id, .count = n, .bytes_size = total };
        size_t seclen = aot_rec_size(n, total);
        sec = malloc(seclen);
        if (!sec) {
            fprintf(stderr, "vmi-aot specialize: %s: out of memory\n", a.kernel);
            goto done;
        }
        aot_rec_encode(sec, &rec, rsites, orig);
        if (aot_writer_add_section(&w, AOT_SECTION_NAME, sec, seclen, AOT_REC_ALIGN, &err) != 0) {
            fail(err.msg);
            goto done;
        }
        struct stat st;
        unsigned mode = fstat(img.fd, &st) == 0 ? (unsigned)(st.st_mode & 0777) : 0644u;
        if (aot_writer_write(&w, a.out, mode, &err) != 0) {
            fail(err.msg);
            goto done;
        }
    }
    if (have_rep) {
        have_rep = 0;
        if (aot_outfile_commit(&rep, 0644, &err) != 0) {
            fail(err.msg);
            goto done;
        }
    }
    if (!a.dry_run && !(a.report && strcmp(a.report, "-") == 0)) {
        static struct vmi_stats st;
        vmi_plan_stats(&plan, &st);
        printf("%s: %u sites for %s (%u bytes, fnv1a64 0x%016llx) at 0x%08x, policy %s: "
               "inline %u, call %u, jump %u, nop %u, native %u; identity %s\n", a.out, n, a.rom,
               rom.size, (unsigned long long)rom.hash, base, vmi_policy_name((unsigned)a.policy),
               st.decision[VMI_DECISION_INLINE], st.decision[VMI_DECISION_CALL],
               st.decision[VMI_DECISION_JUMP], st.decision[VMI_DECISION_NOP],
               st.decision[VMI_DECISION_NATIVE], has_id ? "filled" : img.lx ? "in " AOT_SECTION_NAME
               " only (a Linux kernel: boot it with noreplace-paravirt, docs/linux.md)"
               : "none (no " IDENTITY_SYM ")");
    }
    if (a.profile && !(a.report && strcmp(a.report, "-") == 0))
        aot_profile_text(stdout, &pres, &prof, &plan);
    rc = 0;
done:
    if (have_rep)
        aot_outfile_abort(&rep);
    if (have_writer)
        aot_writer_free(&w);
    free(tsites);
    free(psites);
    free(rsites);
    free(code);
    free(orig);
    free(span);
    free(sec);
    aot_profile_result_free(&pres);
    aot_profile_free(&prof);
    aot_rom_free(&rom);
    aot_image_close(&img);
    return rc;
}
