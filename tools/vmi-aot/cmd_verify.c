/* vmi-aot verify OUT --rom ROM [--orig KERNEL] [--json[=FILE]] [--stats]
 * Checks an image written by `vmi-aot specialize` without the planner (no vmi_plan_*): the ROM
 * passes check-rom; the records (.vmi_aot, vmi_aot_identity) are well-formed and agree with each
 * other, the image's site table and the ROM (hash, size, base); sites_hash matches the bytes;
 * every site decodes with Zydis into whole instructions ending at the site's end, and every
 * relative branch lands inside one of the ROM's routines (as check-rom decoded them, with the ROM
 * at the identity's rom_base) or on an instruction boundary of its own site; returns only at jump
 * sites; no indirect branches.  With --orig, every byte of OUT outside the sites, the identity
 * record, the two ELF header fields and the appended tables is the original's, and .vmi_aot's
 * copy of the original site bytes is exact.  Prints one line per problem (naming the site) and
 * exits 1 on any; 0 and a summary line when all hold.  --json and --stats: verify_out.c. */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aot_cmds.h"
#include "aot_record.h"
#include "aot_rom.h"
#include "disasm.h"
#include "elf_image.h"
#include "linux_image.h"
#include "opts.h"
#include "outfile.h"
#include "session.h"
#include "verify_out.h"
#include "vmi_abi.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"
#include "vmi_version.h"

/* One problem: printed (the first AOT_VERIFY_SHOWN) and recorded for --json, with the site it
 * is about (NULL: none). */
static void vproblem(struct aot_verify_result *v, const struct aot_site *s, const char *fmt,
                     va_list ap)
{
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    aot_one_line(line);                 /* names from the image may be damaged */
    if (v->problems < AOT_VERIFY_SHOWN)
        fprintf(stderr, "vmi-aot verify: %s: %s\n", v->image, line);
    aot_verify_note(v, s, line);
}

static void problem(struct aot_verify_result *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(struct aot_verify_result *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(v, NULL, fmt, ap);
    va_end(ap);
}

static void sproblem(struct aot_verify_result *v, const struct aot_site *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void sproblem(struct aot_verify_result *v, const struct aot_site *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(v, s, fmt, ap);
    va_end(ap);
}

#define SITE_FMT "site %u at 0x%08x (%s, record %u, in %s): "
#define SITE_ARGS(i, s) (unsigned)(i), (s)->addr, site_name(imgp, s), (s)->rec_index, \
                        func_name(imgp, (s)->addr)

/* The call, or for a Linux kernel's pv site its op. */
static const char *site_name(const struct aot_image *img, const struct aot_site *s)
{
    if (img->lx)
        return aot_linux_op_name(img->lx, img->lx->rec_type[s->rec_index]);
    return aot_call_name(s->call);
}

static const char *func_name(const struct aot_image *img, uint32_t addr)
{
    const struct aot_func *f = aot_image_func_at(img, addr);
    return f ? f->name : "?";
}

/* Decodes one site; reports what is wrong. */
static void check_site(struct aot_verify_result *v, const struct aot_image *img, const struct aot_disasm *dis,
                       const struct aot_rom *rom, uint32_t base, size_t i)
{
    const struct aot_image *imgp = img;
    const struct aot_site *s = &img->sites[i];
    const uint8_t *b = aot_site_bytes(img, s);
    uint8_t boundary[256] = { 0 };
    struct { uint32_t at, target; } rel[256];     /* a site holds at most 255 instructions */
    unsigned nrel = 0;
    uint32_t pos = 0;
    while (pos < s->len) {
        struct aot_insn in;
        boundary[pos] = 1;
        if (aot_disasm_one(dis, b + pos, s->len - pos, s->addr + pos, &in, 0) != 0) {
            sproblem(v, s, SITE_FMT "no whole instruction at +%u (0x%08x, byte 0x%02x): the site does "
                    "not end on an instruction boundary", SITE_ARGS(i, s), pos, s->addr + pos,
                    b[pos]);
            return;
        }
        if (in.is_ret && !(s->flags & VMI_SITE_JUMP)) {
            sproblem(v, s, SITE_FMT "a return instruction at +%u in a site that must come back",
                    SITE_ARGS(i, s), pos);
            return;
        }
        if (in.is_branch && !in.relative) {
            sproblem(v, s, SITE_FMT "an indirect branch at +%u: its target cannot be checked",
                    SITE_ARGS(i, s), pos);
            return;
        }
        if (in.relative) {
            rel[nrel].at = pos;
            rel[nrel].target = in.target;
            nrel++;
        }
        pos += in.len;
    }
    boundary[s->len] = 1;
    for (unsigned k = 0; k < nrel; k++) {
        uint32_t t = rel[k].target;
        const char *name;
        if (t - s->addr <= s->len) {
            if (!boundary[t - s->addr])
                sproblem(v, s, SITE_FMT "the branch at +%u targets +%u inside the site, not an "
                        "instruction boundary", SITE_ARGS(i, s), rel[k].at, t - s->addr);
        } else if (t - base >= rom->size) {
            sproblem(v, s, SITE_FMT "the branch at +%u targets 0x%08x, outside the site and outside "
                    "the ROM at 0x%08x..0x%08x", SITE_ARGS(i, s), rel[k].at, t, base,
                    base + rom->size);
        } else if (!aot_rom_in_routine(rom, t - base, &name)) {
            sproblem(v, s, SITE_FMT "the branch at +%u targets 0x%08x (ROM offset 0x%x), inside the "
                    "ROM but in none of its routines", SITE_ARGS(i, s), rel[k].at, t, t - base);
        }
    }
}

/* --orig, the sites: where they are, and .vmi_aot's copy of their original bytes; each marked in
 * may[] (the bytes allowed to differ).  0, or -1 after a problem that stops the comparison. */
static int check_orig_sites(struct aot_verify_result *v, const struct aot_image *out,
                            const struct aot_image *orig, const struct aot_rec *rec, uint8_t *may)
{
    for (size_t i = 0; i < out->nsites; i++) {
        const struct aot_site *s = &out->sites[i], *o = &orig->sites[i];
        if (s->addr != o->addr || s->len != o->len || s->offset != o->offset) {
            sproblem(v, s, "site %zu at 0x%08x (%u bytes, file offset 0x%x) is at 0x%08x (%u bytes, file "
                    "offset 0x%x) in the original %s", i, s->addr, s->len, s->offset, o->addr,
                    o->len, o->offset, orig->path);
            return -1;
        }
        memset(may + s->offset, 1, s->len);
        v->orig_site_bytes += o->len;
        const struct aot_rec_site *r = &rec->sites[i];
        if (memcmp(rec->bytes + r->bytes_off, aot_site_bytes(orig, o), o->len) != 0)
            sproblem(v, s, "site %zu at 0x%08x: " AOT_SECTION_NAME " does not hold the bytes the "
                    "original %s has there", i, s->addr, orig->path);
    }
    return 0;
}

/* --orig, the original's bytes: every byte not in may[] is the original's (the first five
 * differences named with their section). */
static void check_orig_bytes(struct aot_verify_result *v, const struct aot_image *out,
                             const struct aot_image *orig, const uint8_t *may)
{
    size_t shown = 0;
    for (size_t k = 0; k < orig->size; k++) {
        if (may[k])
            continue;
        v->image_bytes++;
        if (out->data[k] == orig->data[k])
            continue;
        if (shown++ < 5) {
            const char *where = "no section";
            for (size_t j = 1; j < orig->nsecs; j++) {
                const struct aot_section *x = &orig->secs[j];
                if (x->type != SHT_NOBITS && k - x->offset < x->size) {
                    where = x->name;
                    break;
                }
            }
            problem(v, "file offset 0x%zx (%s) is 0x%02x, the original %s has 0x%02x: a change "
                    "outside the sites and the records", k, where, out->data[k], orig->path,
                    orig->data[k]);
        }
    }
    if (shown > 5)
        problem(v, "%zu more changed bytes outside the sites and the records", shown - 5);
}

/* --orig, the appended part: the section headers are the original's plus .vmi_aot, the name table
 * moved (same contents plus the new name), and every appended byte belongs to the name table
 * copy, .vmi_aot or the header table, or is zero padding. */
static void check_orig_appended(struct aot_verify_result *v, const struct aot_image *out,
                                const struct aot_image *orig, const struct aot_section *recsec)
{
    if (out->nsecs != orig->nsecs + 1 || recsec->index != orig->nsecs) {
        problem(v, "%zu sections, expected the original's %zu plus " AOT_SECTION_NAME " last",
                out->nsecs, orig->nsecs);
        return;
    }
    for (size_t j = 0; j < orig->nsecs; j++) {
        const struct aot_section *a = &out->secs[j], *o = &orig->secs[j];
        int same = strcmp(a->name, o->name) == 0 && a->type == o->type && a->flags == o->flags &&
                   a->addr == o->addr && a->size >= o->size;
        if (j == out->shstrndx)
            same = same && j == orig->shstrndx && a->offset >= orig->size &&
                   memcmp(out->data + a->offset, orig->data + o->offset, o->size) == 0;
        else
            same = same && a->offset == o->offset && a->size == o->size;
        if (!same)
            problem(v, "section header [%zu] %s differs from the original's", j, a->name);
    }
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)out->data;
    size_t shend = (size_t)eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
    const struct aot_section *ns = &out->secs[out->shstrndx];
    for (size_t k = orig->size; k < out->size; k++) {
        int covered = (k - ns->offset < ns->size) || (k - recsec->offset < recsec->size) ||
                      (k >= eh->e_shoff && k < shend);
        if (!covered && out->data[k]) {
            problem(v, "appended byte at file offset 0x%zx belongs to no table and is not zero", k);
            break;
        }
    }
}

/* --orig: everything outside the sites and the records is the original's. */
static void check_orig(struct aot_verify_result *v, const struct aot_image *out, const struct aot_image *orig,
                       const struct aot_rec *rec, const struct aot_section *recsec,
                       int has_id, uint32_t id_off)
{
    if (orig->size > out->size) {
        problem(v, "shorter (%zu bytes) than the original %s (%zu bytes)", out->size, orig->path,
                orig->size);
        return;
    }
    if (orig->nsites != out->nsites || rec->count != orig->nsites) {
        problem(v, "%zu sites, the original %s has %zu", out->nsites, orig->path, orig->nsites);
        return;
    }
    /* The byte ranges allowed to differ, in file order: the header fields, sites, identity. */
    uint8_t *may = calloc(orig->size, 1);
    if (!may) {
        problem(v, "out of memory");
        return;
    }
    memset(may + offsetof(Elf32_Ehdr, e_shoff), 1, 4);
    memset(may + offsetof(Elf32_Ehdr, e_shnum), 1, 2);
    if (check_orig_sites(v, out, orig, rec, may) != 0) {
        free(may);
        return;
    }
    v->orig_checked = 1;
    if (has_id)
        memset(may + id_off, 1, AOT_ID_SIZE);
    check_orig_bytes(v, out, orig, may);
    free(may);
    check_orig_appended(v, out, orig, recsec);
}

/* Everything one verify run holds. */
struct verify_run {
    const char *outp, *romp, *origp;
    struct aot_verify_result v; /* the findings (verify_out.h) */
    const char *json;           /* --json[=FILE]: "-" is standard output; NULL without */
    int stats;
    struct aot_err err;
    struct aot_session s;       /* OUT and the ROM (the session's inputs; no plan is made) */
    struct aot_image orig;
    int have_orig;
    struct aot_rec rec;
    const struct aot_section *recsec;
    struct aot_symbol idsym, area;
    int has_id, has_area;
    uint32_t id_off;            /* the identity record's file offset in OUT, 0 when none */
    size_t patched;
};

enum { OPT_ROM = 1, OPT_ORIG, OPT_JSON, OPT_STATS };

static const struct opts_command verify_cmd = {
    .prog = "vmi-aot verify",
    .synopsis = "[--] OUT --rom ROM [--orig KERNEL] [--json[=FILE]] [--stats]\n"
                "               [--help] [--version]",
    .description = "Checks an image written by vmi-aot specialize, independently of the planner: "
                   "the identity and .vmi_aot records against ROM, sites_hash, every site decoded "
                   "(whole instructions, branch targets inside the ROM's routines or the site), "
                   "and with --orig that nothing outside the sites and the records changed.",
    .operands = "OUT",
    .min_operands = 1,
    .max_operands = 1,
    .options = (const struct opts_option[]){
        { "rom", 0, OPTS_ARG, "ROM", "the ROM OUT was specialized for", OPT_ROM },
        { "orig", 0, OPTS_ARG, "KERNEL", "the image OUT was made from", OPT_ORIG },
        { "json", 0, OPTS_OPTIONAL_ARG, "FILE",
          "the verdict, the identity and every problem as JSON (standard output\n"
          "without FILE, or with -; then no summary line)", OPT_JSON },
        { "stats", 0, OPTS_NO_ARG, NULL, "sites decoded per call (or Linux op), bytes compared, "
          "problems", OPT_STATS },
        { 0 },
    },
};

/* Returns -1 to go on, else the exit status (0 after --help or --version, 2 on a usage error). */
static int parse_args(int argc, char **argv, struct verify_run *r)
{
    struct opts_parser p;
    struct aot_err err;
    int id;
    opts_begin(&p, &verify_cmd, argc, argv);
    while ((id = opts_next(&p, &err)) > 0) {
        if (id == OPT_ROM) {
            r->romp = p.arg;
        } else if (id == OPT_ORIG) {
            r->origp = p.arg;
        } else if (id == OPT_STATS) {
            r->stats = 1;
        } else if (p.arg && !*p.arg) {
            id = opts_fail(&err, "--json= needs a FILE (or - for standard output)");
            break;
        } else {
            r->json = p.arg ? p.arg : "-";
        }
    }
    if (id == OPTS_END && !r->romp)
        id = opts_fail(&err, "no --rom ROM given");
    if (id != OPTS_END)
        return opts_finish(&verify_cmd, id, &err, stdout, stderr);
    r->outp = p.operands[0];
    if (r->stats && r->json && strcmp(r->json, "-") == 0) {
        fprintf(stderr, "vmi-aot verify: --stats and --json would both write to standard "
                "output: give --json=FILE\n");
        return 2;
    }
    return -1;
}

/* OUT, the ROM and the original.  A bad OUT or ROM: exit 1 at once; a bad original: a problem. */
static int open_inputs(struct verify_run *r)
{
    if (aot_session_open_image(&r->s, r->outp, AOT_OPEN_LINUX, &r->err) != 0 ||
        aot_session_load_rom(&r->s, r->romp, &r->err) != 0) {
        fprintf(stderr, "vmi-aot verify: %s\n", r->err.msg);
        aot_verify_note(&r->v, NULL, r->err.msg);
        return 1;
    }
    r->v.img = &r->s.img;
    r->v.rom_img = &r->s.rom;
    aot_summary_init(&r->v.kinds, r->s.img.lx);
    if (r->origp) {
        if (aot_image_open(&r->orig, r->origp, AOT_OPEN_LINUX, &r->err) != 0) {
            fprintf(stderr, "vmi-aot verify: %s\n", r->err.msg);
            aot_verify_note(&r->v, NULL, r->err.msg);
            return 0;
        }
        r->have_orig = 1;
    }
    return 0;
}

/* .vmi_aot parsed, and the symbols it speaks of.  0, or -1 after a problem. */
static int read_records(struct verify_run *r)
{
    struct aot_verify_result *v = &r->v;
    r->recsec = aot_image_find_section(&r->s.img, AOT_SECTION_NAME);
    if (!r->recsec || r->recsec->type != SHT_PROGBITS || (r->recsec->flags & SHF_ALLOC)) {
        problem(v, "no non-allocated PROGBITS section " AOT_SECTION_NAME ": not written by vmi-aot "
                "specialize");
        return -1;
    }
    if (aot_rec_parse(&r->rec, r->s.img.data + r->recsec->offset, r->recsec->size, r->outp,
                      &r->err) != 0) {
        problem(v, "%s", r->err.msg + strlen(r->outp) + 2);
        return -1;
    }
    r->has_id = aot_image_symbol(&r->s.img, "vmi_aot_identity", &r->idsym, &r->err);
    r->has_area = r->has_id < 0 ? -1 : aot_image_symbol(&r->s.img, "vmi_rom_area", &r->area,
                                                        &r->err);
    if (r->has_id < 0 || r->has_area < 0) {
        problem(v, "%s", r->err.msg + strlen(r->outp) + 2);
        return -1;
    }
    return 0;
}

/* The identity symbol's bytes against the copy in .vmi_aot. */
static void check_identity_copy(struct verify_run *r)
{
    struct aot_verify_result *v = &r->v;
    if (!r->has_id) {
        if (r->rec.flags & AOT_REC_F_IDENTITY)
            problem(v, AOT_SECTION_NAME " says vmi_aot_identity was filled, but there is no such "
                    "symbol");
        return;
    }
    const uint8_t *idb = r->idsym.size == AOT_ID_SIZE ?
                         aot_image_bytes(&r->s.img, r->idsym.value, AOT_ID_SIZE) : NULL;
    uint8_t want[AOT_ID_SIZE];
    aot_id_encode(&r->rec.id, want);
    if (!idb)
        problem(v, "vmi_aot_identity at 0x%08x is not a %u-byte record in an allocated "
                "section", r->idsym.value, AOT_ID_SIZE);
    else if (!(r->rec.flags & AOT_REC_F_IDENTITY))
        problem(v, "vmi_aot_identity exists, but " AOT_SECTION_NAME " says it was not filled");
    else if (memcmp(idb, want, AOT_ID_SIZE) != 0)
        problem(v, "vmi_aot_identity at 0x%08x differs from the copy in " AOT_SECTION_NAME,
                r->idsym.value);
    if (idb)
        r->id_off = (uint32_t)(idb - r->s.img.data);
}

/* The identity's fields against the ROM, the image and .vmi_aot. */
static void check_identity(struct verify_run *r)
{
    struct aot_verify_result *v = &r->v;
    const struct vmi_aot_identity *id = &r->rec.id;
    check_identity_copy(r);
    if (id->magic != VMI_AOT_MAGIC || id->version != VMI_AOT_VERSION ||
        id->hash_kind != VMI_AOT_HASH_FNV1A64 || id->policy >= VMI_POLICY_COUNT || id->reserved)
        problem(v, "identity record: magic 0x%08x version %u hash kind %u policy %u reserved %u; "
                "expected 0x%08x, %u, %u, a policy below %u, 0", id->magic, id->version,
                id->hash_kind, id->policy, id->reserved, VMI_AOT_MAGIC, VMI_AOT_VERSION,
                VMI_AOT_HASH_FNV1A64, VMI_POLICY_COUNT);
    if (id->rom_hash != r->s.rom.hash || id->rom_size != r->s.rom.size)
        problem(v, "specialized for another ROM: identity has hash 0x%016llx, %u bytes; %s has "
                "0x%016llx, %u bytes", (unsigned long long)id->rom_hash, id->rom_size, r->romp,
                (unsigned long long)r->s.rom.hash, r->s.rom.size);
    if (r->has_area && r->area.value != id->rom_base)
        problem(v, "identity's rom_base 0x%08x is not vmi_rom_area (0x%08x)", id->rom_base,
                r->area.value);
    if (aot_rom_base_ok(&r->s.rom, id->rom_base, &r->err) != 0)
        problem(v, "identity's rom_base: %s", r->err.msg);
    if (!(r->rec.flags & AOT_REC_F_LINUX) != !r->s.img.lx)
        problem(v, "%s, but " AOT_SECTION_NAME " says its sites are %s", r->s.img.lx ?
                "a Linux kernel (.parainstructions)" : "a vmi_sites image",
                (r->rec.flags & AOT_REC_F_LINUX) ? "Linux pv sites" : "vmi_sites records");
    if (id->site_count != r->s.img.nsites || r->rec.count != r->s.img.nsites)
        problem(v, "identity counts %u sites, " AOT_SECTION_NAME " %u, the site table %zu",
                id->site_count, r->rec.count, r->s.img.nsites);
}

/* Each site's record in .vmi_aot (where, what, the original bytes) and the hash of all. */
static void check_site_records(struct verify_run *r)
{
    struct aot_verify_result *v = &r->v;
    const struct aot_image *imgp = &r->s.img;
    const struct aot_rec *rec = &r->rec;
    uint8_t native[256];
    for (size_t i = 0; i < r->s.img.nsites; i++) {
        const struct aot_site *s = &r->s.img.sites[i];
        const struct aot_rec_site *rs = &rec->sites[i];
        v->bytes_hashed += s->len;
        if (rs->addr != s->addr || rs->len != s->len || rs->call != s->call ||
            rs->record != s->rec_index)
            sproblem(v, s, SITE_FMT AOT_SECTION_NAME " entry %zu describes 0x%08x (%u bytes, call %u, "
                    "record %u)", SITE_ARGS(i, s), i, rs->addr, rs->len, rs->call, rs->record);
        else if (!r->s.img.lx && (vmi_render_native(s->call, s->len, native) == VMI_NO_SITE ||
                                memcmp(native, rec->bytes + rs->bytes_off, s->len) != 0))
            sproblem(v, s, SITE_FMT "the original bytes in " AOT_SECTION_NAME " are not the call's "
                    "native sequence and NOP fill", SITE_ARGS(i, s));
    }
    uint64_t h;
    if (aot_image_sites_hash(imgp, &h, &r->err) != 0)
        problem(v, "sites_hash: %s", r->err.msg);
    else if (h != rec->id.sites_hash)
        problem(v, "sites_hash: the site bytes hash to 0x%016llx, the identity says 0x%016llx: "
                "a site was changed after specialize", (unsigned long long)h,
                (unsigned long long)rec->id.sites_hash);
}

/* Every changed site decoded (and every vmi_sites site), then OUT against the original. */
static void check_sites(struct verify_run *r)
{
    const struct aot_rec *rec = &r->rec;
    check_site_records(r);
    struct aot_disasm dis;
    if (aot_disasm_init(&dis) != 0) {
        problem(&r->v, "Zydis refuses to initialize");
        return;
    }
    for (size_t i = 0; i < r->s.img.nsites; i++) {
        int changed = memcmp(aot_site_bytes(&r->s.img, &r->s.img.sites[i]),
                             rec->bytes + rec->sites[i].bytes_off, r->s.img.sites[i].len) != 0;
        /* a Linux site left as it was is Linux's own code (an indirect call through its ops
         * table, checked against --orig below); every other site is decoded */
        int decode = changed || !r->s.img.lx;
        const struct aot_site *s = &r->s.img.sites[i];
        if (decode)
            check_site(&r->v, &r->s.img, &dis, &r->s.rom, rec->id.rom_base, i);
        r->patched += changed;
        aot_summary_add(&r->v.kinds, aot_summary_kind(&r->v.kinds, s->call, s->rec_index),
                        VMI_DECISION_COUNT, s->len, decode);
    }
    r->v.sites_compared = 1;
    r->v.changed = (uint32_t)r->patched;
    if (r->have_orig)
        check_orig(&r->v, &r->s.img, &r->orig, rec, r->recsec,
                   r->has_id && (rec->flags & AOT_REC_F_IDENTITY), r->id_off);
}

static void print_verified(const struct verify_run *r)
{
    const struct aot_image *img = &r->s.img;
    const struct vmi_aot_identity *id = &r->rec.id;
    printf("%s: verified %zu %ssites (%zu changed, %zu as the original) for %s (%u bytes, "
           "fnv1a64 0x%016llx) at 0x%08x, policy %s; identity %s%s%s%s\n", r->outp, img->nsites,
           img->lx ? "Linux pv " : "", r->patched, img->nsites - r->patched, r->romp,
           r->s.rom.size, (unsigned long long)r->s.rom.hash, id->rom_base,
           vmi_policy_name(id->policy),
           r->has_id ? "filled" : img->lx ? "in " AOT_SECTION_NAME : "none",
           r->have_orig ? "; unchanged elsewhere from " : "", r->have_orig ? r->origp : "",
           img->lx && !r->have_orig ? "; original bytes not checked (no --orig)" : "");
}

/* What the records say, for --json and --stats. */
static void note_identity(struct verify_run *r)
{
    r->v.id = &r->rec.id;
    r->v.identity = r->has_id && (r->rec.flags & AOT_REC_F_IDENTITY) ? "filled"
                    : r->s.img.lx ? "in " AOT_SECTION_NAME : "none";
}

/* The verdict: the summary line (all held), the count of problems not shown, the --stats lines,
 * the --json document.  Returns the exit status. */
static int report(struct verify_run *r)
{
    struct aot_verify_result *v = &r->v;
    int json_stdout = r->json && strcmp(r->json, "-") == 0;
    if (v->problems == 0 && !json_stdout)
        print_verified(r);
    if (v->problems > AOT_VERIFY_SHOWN)
        fprintf(stderr, "vmi-aot verify: %s: %u more problems not shown\n", r->outp,
                v->problems - AOT_VERIFY_SHOWN);
    if (r->stats)
        aot_verify_stats(stdout, v);
    if (r->json) {
        struct aot_outfile o;
        if (aot_outfile_open(&o, r->json, &r->err) != 0) {
            fprintf(stderr, "vmi-aot verify: %s\n", r->err.msg);
            return 1;
        }
        if (aot_verify_json(o.f, v) != 0) {
            aot_outfile_abort(&o);
            fprintf(stderr, "vmi-aot verify: %s: the JSON could not be written\n", r->json);
            return 1;
        }
        if (aot_outfile_commit(&o, 0644, &r->err) != 0) {
            fprintf(stderr, "vmi-aot verify: %s\n", r->err.msg);
            return 1;
        }
    }
    return v->problems ? 1 : 0;
}

/* The phases: options, inputs (locate: OUT and the ROM through a session), the records, the
 * identity, the sites, the verdict.  Each check runs only when those before it held. */
int aot_cmd_verify(int argc, char **argv)
{
    static struct verify_run zero;
    struct verify_run r = zero;
    aot_session_init(&r.s);
    int rc = parse_args(argc, argv, &r);
    if (rc >= 0)
        return rc;
    r.v.image = r.outp;
    r.v.rom = r.romp;
    r.v.orig = r.origp;
    if (open_inputs(&r) == 0 && r.v.problems == 0 && read_records(&r) == 0) {
        note_identity(&r);
        check_identity(&r);
        if (r.v.problems == 0)
            check_sites(&r);
    }
    rc = report(&r);
    free((void *)r.rec.sites);
    if (r.have_orig)
        aot_image_close(&r.orig);
    aot_session_close(&r.s);
    return rc;
}
/* SPDX-License-Identifier: GPL-2.0-only */
