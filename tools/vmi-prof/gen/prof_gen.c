/* vmi-prof-gen: writes the measured loops of vmi-prof's engine (docs/profiling.md).
 *
 *   vmi-prof-gen ROM RELOCS OUT.S OUT.c
 *
 * ROM is the pv ROM image; RELOCS is what vmi-prof-relocs printed for it (GetRelocationInfo,
 * executed in 32 bits); OUT.S receives one function per (workload, strategy), OUT.c the table the
 * engine walks.  The workloads are every inline body of the ROM's inline table, one by one, and
 * the kernel-like paths of prof_workloads.h.
 *
 * The hand strategy is the ROM's own code for each call, decoded with Zydis and written out as
 * assembler: instructions as .byte, relative branches as mnemonics whose targets are labels when
 * they stay in the body and absolute addresses (PROF_ROM_BASE + offset) when they leave it, so the
 * assembler computes every displacement against the ROM where the engine maps it. */
#include <Zydis/Zydis.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof_workloads.h"
#include "vmi_aot.h"
#include "vmi_inliner.h"

static const char *const strat_sym[PE_COUNT] = { "hand", "inline", "call", "indirect", "trap",
                                                 "empty" };

static struct vmi_rom rom;
static uint8_t *img;
static uint32_t img_size;
static uint8_t reloc_type[VMI_NUM_CALLS];
static uint32_t reloc_off[VMI_NUM_CALLS];
static int have_reloc[VMI_NUM_CALLS];
static unsigned label_seq;

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vmi-prof-gen: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static uint8_t *read_file(const char *path, uint32_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    uint8_t *buf = malloc(1 << 20);
    size_t n = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n == 1 << 20)
        die("%s: empty, unreadable or larger than 1 MiB", path);
    *size = (uint32_t)n;
    return buf;
}

static void read_relocs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die("%s: %s", path, strerror(errno));
    char line[256];
    unsigned nr, type;
    unsigned long off;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "reloc %u %u %lx", &nr, &type, &off) != 3)
            continue;
        if (nr >= VMI_NUM_CALLS || off >= img_size)
            die("%s: bad line '%s'", path, line);
        reloc_type[nr] = (uint8_t)type;
        reloc_off[nr] = (uint32_t)off;
        have_reloc[nr] = 1;
    }
    fclose(f);
}

/* ---- hand-written code: the ROM's bytes, re-expressed as assembler ---- */

/* Writes the code at ROM offset [start, end) (end == 0: up to, not including, the first ret at
 * the top level) as assembler.  Returns the end offset. */
static uint32_t emit_code(FILE *out, uint32_t start, uint32_t end, const char *what)
{
    ZydisDecoder dec;
    ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32);
    uint32_t offs[128], lens[128];
    ZydisDecodedInstruction insn[128];
    unsigned n = 0;
    uint32_t off = start;
    for (;;) {
        if (end && off == end)
            break;
        if (off >= img_size || n == 128)
            die("%s: code at ROM offset 0x%x runs off the image", what, start);
        if (ZYAN_FAILED(ZydisDecoderDecodeInstruction(&dec, NULL, img + off, img_size - off,
                                                      &insn[n])))
            die("%s: undecodable byte at ROM offset 0x%x", what, off);
        if (!end && (insn[n].mnemonic == ZYDIS_MNEMONIC_RET))
            break;
        offs[n] = off;
        lens[n] = insn[n].length;
        off += insn[n].length;
        n++;
        if (end && off > end)
            die("%s: an instruction straddles the body's end 0x%x", what, end);
    }
    end = off;
    unsigned id = label_seq++;
    for (unsigned i = 0; i < n; i++) {
        fprintf(out, ".Lh%u_%x:", id, offs[i]);
        const ZydisDecodedInstruction *z = &insn[i];
        if (z->attributes & ZYDIS_ATTRIB_IS_RELATIVE) {
            if (!z->raw.imm[0].is_relative)
                die("%s: relative operand other than an immediate at 0x%x", what, offs[i]);
            if (z->mnemonic != ZYDIS_MNEMONIC_CALL && z->mnemonic != ZYDIS_MNEMONIC_JMP &&
                z->meta.category != ZYDIS_CATEGORY_COND_BR)
                die("%s: unsupported relative instruction at 0x%x", what, offs[i]);
            if (z->mnemonic == ZYDIS_MNEMONIC_JCXZ || z->mnemonic == ZYDIS_MNEMONIC_JECXZ)
                die("%s: jecxz at 0x%x", what, offs[i]);
            uint32_t target = offs[i] + lens[i] + (uint32_t)(int32_t)z->raw.imm[0].value.s;
            const char *mn = ZydisMnemonicGetString(z->mnemonic);
            if (target >= start && target <= end) {
                int known = target == end;
                for (unsigned j = 0; j < n && !known; j++)
                    known = offs[j] == target;
                if (!known)
                    die("%s: branch into the middle of an instruction at 0x%x", what, target);
                fprintf(out, " %s .Lh%u_%x\n", mn, id, target);
            } else {
                if (target >= rom.size)
                    die("%s: branch out of the ROM at 0x%x", what, offs[i]);
                fprintf(out, " %s 0x%x\t/* ROM+0x%x */\n", mn, PROF_ROM_BASE + target, target);
            }
            continue;
        }
        fprintf(out, " .byte ");
        for (uint32_t b = 0; b < lens[i]; b++)
            fprintf(out, "%s0x%02x", b ? "," : "", img[offs[i] + b]);
        fprintf(out, "\n");
    }
    fprintf(out, ".Lh%u_%x:\n", id, end);
    return end;
}

/* The hand-written form of one call: the inline body the planner would choose (the variant for a
 * constant argument, else the generic body), else the routine GetRelocationInfo names. */
static void emit_hand(FILE *out, const struct prof_op *op)
{
    struct vmi_inline_body body;
    const char *name = vmi_call_table[op->call].name;
    int found = 0;
    if (op->flags & PROF_CONST)
        found = vmi_rom_inline_find(&rom, op->call, 1, vmi_call_table[op->call].const_arg,
                                    prof_const_value(op), &body);
    if (!found)
        found = vmi_rom_inline_find(&rom, op->call, 0, 0, 0, &body);
    if (found) {
        fprintf(out, "\t/* %s: inline body, ROM+0x%x, %u bytes */\n", name,
                body.addr - PROF_ROM_BASE, body.len);
        emit_code(out, body.addr - PROF_ROM_BASE, body.addr - PROF_ROM_BASE + body.len, name);
        return;
    }
    if (!have_reloc[op->call])
        die("%s: no GetRelocationInfo answer", name);
    switch (reloc_type[op->call]) {
    case VMI_RELOCATION_NOP:
        fprintf(out, "\t/* %s: NOP relocation: nothing */\n", name);
        return;
    case VMI_RELOCATION_CALL_REL:
        fprintf(out, "\t/* %s: routine body, ROM+0x%x */\n", name, reloc_off[op->call]);
        emit_code(out, reloc_off[op->call], 0, name);
        return;
    default:
        die("%s: relocation type %u has no hand-written form", name, reloc_type[op->call]);
    }
}

/* A site with its constant argument recorded: the glue's assembler macros have no form for it. */
static void emit_const_site(FILE *out, const struct prof_op *op)
{
    const struct vmi_call_meta *m = &vmi_call_table[op->call];
    uint8_t bytes[64];
    if (vmi_render_native(op->call, m->reserve, bytes) == VMI_NO_SITE)
        die("%s: cannot render the native site", m->name);
    fprintf(out, "771:\t/* %s site, constant argument %u = %u */\n\t.byte ", m->name,
            m->const_arg, prof_const_value(op));
    for (unsigned i = 0; i < m->reserve; i++)
        fprintf(out, "%s0x%02x", i ? "," : "", bytes[i]);
    fprintf(out, "\n\t.pushsection vmi_sites, \"a\"\n\t.balign 4\n\t.long 771b - .\n"
                 "\t.byte %u, %u, 0x%02x, 0x%02x\n\t.long 0x%x\n\t.popsection\n",
            op->call, m->reserve, m->clobbers,
            VMI_SITE_CONST | (m->const_arg << VMI_SITE_CONST_ARG_SHIFT), prof_const_value(op));
}

static void emit_op(FILE *out, const struct prof_op *op, unsigned k, int strat)
{
    if (op->flags & PROF_LOAD_EAX)
        fprintf(out, "\tmov prof_args+%u, %%eax\n", 12 * k);
    if (op->flags & PROF_LOAD_EDX)
        fprintf(out, "\tmov prof_args+%u, %%edx\n", 12 * k + 4);
    if (op->flags & PROF_LOAD_ECX)
        fprintf(out, "\tmov prof_args+%u, %%ecx\n", 12 * k + 8);
    switch (op->kind) {
    case PROF_OP_SAVE:
        fprintf(out, "\tmov %%eax, %%ebx\n");
        return;
    case PROF_OP_RESTORE:
        fprintf(out, "\tmov %%ebx, %%eax\n");
        return;
    case PROF_OP_RAISE:
        fprintf(out, "\tmovl $1, 0x%x\t/* pending */\n",
                VMI_PV_VIRTUAL_TOP + (unsigned)offsetof(struct vmi_pv_state, pending));
        return;
    default:
        break;
    }
    switch (strat) {
    case PE_HAND:
        emit_hand(out, op);
        break;
    case PE_INLINE:
    case PE_CALL:
    case PE_TRAP:
        if (op->flags & PROF_CONST)
            emit_const_site(out, op);
        else
            fprintf(out, "\tVMI_%s\n", vmi_call_table[op->call].name);
        break;
    case PE_INDIRECT:
        fprintf(out, "\tcall *prof_ops+%u\t/* %s */\n", 4 * op->call,
                vmi_call_table[op->call].name);
        break;
    default:
        break;
    }
}

struct workload {
    char name[48];
    int is_path;
    unsigned nops;
    struct prof_op ops[PROF_MAX_OPS];
};

static struct workload wls[64];
static unsigned nwl;

/* Whether the trap strategy means anything: some op's native sequence holds an instruction that
 * faults in ring 3 (cli, sti, a control-register move, invlpg) or stores to a page-table entry
 * (the page is write-protected, as a shadow-paging monitor keeps it). */
static int trap_applies(const struct workload *w)
{
    for (unsigned i = 0; i < w->nops; i++) {
        if (w->ops[i].kind != PROF_OP_CALL)
            continue;
        switch (w->ops[i].call) {
        case VMI_CALL_DisableInterrupts: case VMI_CALL_EnableInterrupts:
        case VMI_CALL_SetCR0: case VMI_CALL_SetCR2: case VMI_CALL_SetCR3: case VMI_CALL_SetCR4:
        case VMI_CALL_GetCR0: case VMI_CALL_GetCR2: case VMI_CALL_GetCR3: case VMI_CALL_GetCR4:
        case VMI_CALL_SetPxE: case VMI_CALL_InvalPage: case VMI_CALL_FlushTLB:
            return 1;
        default:
            break;
        }
    }
    return 0;
}

static void add_inline_workloads(void)
{
    if (!rom.has_inline)
        die("the ROM has no inline table");
    const struct vmi_inline_table *t = (const void *)(img + rom.inline_table_offs);
    const struct vmi_inline_entry *e = (const void *)(img + rom.inline_table_offs + t->header_size);
    for (unsigned i = 0; i < t->entry_count && nwl < 64; i++) {
        struct workload *w = &wls[nwl++];
        uint8_t call = e[i].call;
        w->nops = 1;
        w->ops[0] = prof_call_op(call);
        snprintf(w->name, sizeof w->name, "%s", vmi_call_table[call].name);
        if (e[i].flags & 1) {     /* VMI_INLINE_VARIANT */
            const struct vmi_call_meta *m = &vmi_call_table[call];
            if (e[i].variant_arg != m->const_arg)
                die("%s: variant on argument %u, sites record %u", m->name, e[i].variant_arg,
                    m->const_arg);
            struct prof_op *op = &w->ops[0];
            op->flags |= PROF_CONST;
            int reg = prof_arg_reg(call, m->const_arg);
            uint8_t load[3] = { PROF_LOAD_EAX, PROF_LOAD_EDX, PROF_LOAD_ECX };
            if (reg < 0)
                die("%s: constant argument not in a register", m->name);
            op->flags |= load[reg];
            *(reg == 0 ? &op->eax : reg == 1 ? &op->edx : &op->ecx) = e[i].variant_value;
            /* the argument's name, from "name:type@reg ..." */
            const char *a = m->args;
            for (unsigned j = 0; j < m->const_arg && a; j++) {
                a = strchr(a, ' ');
                if (a)
                    a++;
            }
            size_t len = a ? strcspn(a, ":") : 0;
            snprintf(w->name, sizeof w->name, "%s[%.*s=%u]", m->name, (int)len, a ? a : "",
                     e[i].variant_value);
            /* its general counterpart: the same value in the register, not recorded at the site,
             * so the planner takes the generic body (or a call where there is none) */
            if (nwl < 64) {
                struct workload *g = &wls[nwl++];
                *g = *w;
                g->ops[0].flags &= (uint8_t)~PROF_CONST;
                snprintf(g->name, sizeof g->name, "%s(%.*s=%u)", m->name, (int)len, a ? a : "",
                         e[i].variant_value);
            }
        }
    }
}

/* The kernel-like paths after the ROM's inline workloads. */
static void add_path_workloads(void)
{
    for (unsigned p = 0; p < PROF_NPATHS && nwl < 64; p++) {
        struct workload *w = &wls[nwl++];
        snprintf(w->name, sizeof w->name, "%s", prof_paths[p].name);
        w->is_path = 1;
        w->nops = prof_paths[p].nops;
        memcpy(w->ops, prof_paths[p].ops, sizeof w->ops);
    }
}

/* One measured loop: workload i's ops n times over (n the stack argument), for strategy st. */
static void write_loop(FILE *s, unsigned i, int st)
{
    const struct workload *w = &wls[i];
    fprintf(s, "\n/* %s, %s */\n\t.p2align 6\n\t.globl prof_w%u_%s\n"
               "\t.type prof_w%u_%s, @function\nprof_w%u_%s:\n"
               "\tpush %%ebp\n\tpush %%ebx\n\tpush %%esi\n\tpush %%edi\n"
               "\tmov 20(%%esp), %%ebp\n\t.p2align 5\n1:\n",
            w->name, strat_sym[st], i, strat_sym[st], i, strat_sym[st], i, strat_sym[st]);
    for (unsigned k = 0; k < w->nops; k++)
        emit_op(s, &w->ops[k], k, st);
    fprintf(s, "\tdec %%ebp\n\tjnz 1b\n\tpop %%edi\n\tpop %%esi\n\tpop %%ebx\n"
               "\tpop %%ebp\n\tret\n\t.size prof_w%u_%s, . - prof_w%u_%s\n",
            i, strat_sym[st], i, strat_sym[st]);
}

/* OUT.S: every workload's loop, strategy by strategy, so the inline and call copies each lie in
 * one range of text that the engine patches with its policy; the trap copy stays native. */
static void write_asm(FILE *s, const char *rom_path)
{
    static const int order[PE_COUNT] = { PE_INLINE, PE_CALL, PE_TRAP, PE_HAND, PE_INDIRECT,
                                         PE_EMPTY };

    fprintf(s, "/* Generated by vmi-prof-gen from %s: do not edit. */\n#include \"vmi_glue.h\"\n"
               "\t.text\n", rom_path);
    for (int oi = 0; oi < PE_COUNT; oi++) {
        int st = order[oi];
        fprintf(s, "\n\t.p2align 12\n\t.globl prof_text_%s_start\nprof_text_%s_start:\n",
                strat_sym[st], strat_sym[st]);
        for (unsigned i = 0; i < nwl; i++)
            if (st != PE_TRAP || trap_applies(&wls[i]))
                write_loop(s, i, st);
        fprintf(s, "\t.globl prof_text_%s_end\nprof_text_%s_end:\n", strat_sym[st],
                strat_sym[st]);
    }
    fprintf(s, "\t.section .note.GNU-stack, \"\", @progbits\n");
}

/* OUT.c: the ROM's identity (hash h: the engine refuses another ROM than the one the hand code
 * is for), the loops' declarations and the table of workloads with their ops and loops. */
static void write_table(FILE *c, const char *rom_path, uint64_t h)
{
    fprintf(c, "/* Generated by vmi-prof-gen from %s: do not edit. */\n#include \"engine.h\"\n\n"
               "const uint64_t prof_rom_hash = 0x%016llxull;\nconst uint32_t prof_rom_size = %u;\n\n",
            rom_path, (unsigned long long)h, img_size);
    for (unsigned i = 0; i < nwl; i++)
        for (int st = 0; st < PE_COUNT; st++)
            if (st != PE_TRAP || trap_applies(&wls[i]))
                fprintf(c, "void prof_w%u_%s(uint32_t n);\n", i, strat_sym[st]);
    fprintf(c, "\nconst struct prof_workload prof_workloads[] = {\n");
    for (unsigned i = 0; i < nwl; i++) {
        const struct workload *w = &wls[i];
        fprintf(c, "    { \"%s\", %d, %u, {\n", w->name, w->is_path, w->nops);
        for (unsigned k = 0; k < w->nops; k++) {
            const struct prof_op *op = &w->ops[k];
            fprintf(c, "        { %u, %u, 0x%02x, 0x%x, 0x%x, 0x%x },\n", op->kind, op->call,
                    op->flags, op->eax, op->edx, op->ecx);
        }
        fprintf(c, "      }, {");
        for (int st = 0; st < PE_COUNT; st++) {
            if (st != PE_TRAP || trap_applies(w))
                fprintf(c, " prof_w%u_%s,", i, strat_sym[st]);
            else
                fprintf(c, " 0,");
        }
        fprintf(c, " } },\n");
    }
    fprintf(c, "};\nconst unsigned prof_nworkloads = %u;\n", nwl);
}

/* Phases: the ROM probed and its relocations read, the workloads listed, both outputs written
 * to temporary files and renamed. */
int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: vmi-prof-gen ROM RELOCS OUT.S OUT.c\n");
        return 2;
    }
    img = read_file(argv[1], &img_size);
    struct vmi_error err;
    if (vmi_rom_probe(&rom, img, img_size, PROF_ROM_BASE, 0, &err) != VMI_OK)
        die("%s: %s: %s", argv[1], vmi_status_name(err.status), err.reason ? err.reason : "");
    read_relocs(argv[2]);
    add_inline_workloads();
    add_path_workloads();

    char tmpS[4096], tmpC[4096];
    snprintf(tmpS, sizeof tmpS, "%s.tmp", argv[3]);
    snprintf(tmpC, sizeof tmpC, "%s.tmp", argv[4]);
    FILE *s = fopen(tmpS, "w"), *c = fopen(tmpC, "w");
    if (!s || !c)
        die("cannot write %s / %s: %s", argv[3], argv[4], strerror(errno));
    write_asm(s, argv[1]);
    write_table(c, argv[1], vmi_fnv1a64(VMI_FNV1A64_INIT, img, img_size));

    int bad = ferror(s) | ferror(c);
    bad |= fclose(s) | fclose(c);
    if (bad || rename(tmpS, argv[3]) != 0 || rename(tmpC, argv[4]) != 0)
        die("cannot write %s / %s", argv[3], argv[4]);
    free(img);
    return 0;
}
/* SPDX-License-Identifier: GPL-2.0-only */
