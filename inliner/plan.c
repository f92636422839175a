/* The planner: one decision per site (INLINE, CALL, JUMP, NOP, NATIVE) with its reason, and the
 * bytes that carry it out, NOP-filled to the site's length. */
#include "vmi_internal.h"

void vmi_plan_init(struct vmi_plan *plan, struct vmi_site_plan *sites, uint32_t cap,
                   uint8_t *code, uint32_t code_cap)
{
    if (!plan)
        return;
    plan->sites = sites;
    plan->cap = sites ? cap : 0;
    plan->count = 0;
    plan->code = code;
    plan->code_cap = code ? code_cap : 0;
    plan->code_len = 0;
    plan->rom_base = 0;
    plan->policy = VMI_POLICY_AUTO;
    plan->original = 0;
    plan->original_len = 0;
}

void vmi_plan_set_original(struct vmi_plan *plan, const uint8_t *bytes, uint32_t len)
{
    if (!plan)
        return;
    plan->original = bytes;
    plan->original_len = bytes ? len : 0;
}

/* What a body may write at the site.  A glue site's mask is at most its call's; a Linux site's
 * mask says what the code around it lets the op change, which can be more than the VMI call
 * promises to change (CLBR_ANY around GetCR2), so there the call's set bounds it too. */
static uint8_t body_allowed(const struct vmi_site_info *s)
{
    if (s->flags & VMI_SITE_ORIGINAL)
        return (uint8_t)(s->clobbers & vmi_call_table[s->call].clobbers);
    return s->clobbers;
}

/* Whether the body fits the site: VMI_NOINLINE_INLINED if it does. */
static unsigned body_fits(const struct vmi_inline_body *b, const struct vmi_site_info *s)
{
    if (b->len > s->len)
        return VMI_NOINLINE_TOO_LONG;
    if (b->clobbers & (uint8_t)~body_allowed(s))
        return VMI_NOINLINE_CLOBBERS;
    return VMI_NOINLINE_INLINED;
}

/* A Linux site is changed only where Linux routes the op straight to the call. */
static int linux_keeps(const struct vmi_site_info *s)
{
    return (s->flags & VMI_SITE_ORIGINAL) && s->use != VMI_USE_GLUE
        && ((s->use != VMI_USE_LINUX_PATCH && s->use != VMI_USE_LINUX_FILL)
            || s->call == VMI_NO_CALL);
}

/* Checks what the planner needs of a site before deciding: a call it can look up (or a kept
 * VMI_SITE_ORIGINAL site) and, for a site rendered from the spec, room for the native bytes;
 * for a VMI_SITE_ORIGINAL site, its original bytes in the plan. */
static int site_usable(const struct vmi_plan *plan, const struct vmi_site_info *s,
                       uint32_t offs)
{
    if (s->flags & VMI_SITE_ORIGINAL)
        return plan->original && vmi_in_range(offs, s->len, plan->original_len)
            && (s->call == VMI_NO_CALL ? linux_keeps(s) : vmi_call_defined(s->call));
    return vmi_call_defined(s->call) && s->len >= vmi_call_table[s->call].native_len;
}

/* The calls a build found without a generic body, so that the ROM's table is searched once per
 * call, not once per site (a miss reads the whole table). */
struct body_misses {
    uint32_t bits[(VMI_NUM_CALLS + 31) / 32];
};

static int generic_find(const struct vmi_rom *rom, struct body_misses *miss, uint8_t call,
                        struct vmi_inline_body *v)
{
    uint32_t bit = 1u << (call % 32);

    if (call >= VMI_NUM_CALLS)
        return vmi_rom_inline_find(rom, call, 0, 0, 0, v);
    if (miss->bits[call / 32] & bit)
        return 0;
    if (vmi_rom_inline_find(rom, call, 0, 0, 0, v))
        return 1;
    miss->bits[call / 32] |= bit;
    return 0;
}

/* Chooses the body for the site: the variant for its constant, else the generic body.
 * Returns 1 with *body set, or 0 with *why saying what stood in the way. */
static int choose_body(const struct vmi_rom *rom, struct body_misses *miss,
                       const struct vmi_site_info *s, struct vmi_inline_body *body, unsigned *why)
{
    struct vmi_inline_body v;
    unsigned vwhy = VMI_NOINLINE_NO_BODY, gwhy = VMI_NOINLINE_NO_BODY;

    if (!rom->has_inline) {
        *why = VMI_NOINLINE_NO_EXTENSION;
        return 0;
    }
    if ((s->flags & VMI_SITE_CONST)
        && vmi_rom_inline_find(rom, s->call, 1,
                               (uint8_t)((s->flags & VMI_SITE_CONST_ARG_MASK) >> VMI_SITE_CONST_ARG_SHIFT),
                               s->const_value, &v)) {
        vwhy = body_fits(&v, s);
        if (vwhy == VMI_NOINLINE_INLINED) {
            *body = v;
            return 1;
        }
    }
    if (generic_find(rom, miss, s->call, &v)) {
        gwhy = body_fits(&v, s);
        if (gwhy == VMI_NOINLINE_INLINED) {
            *body = v;
            return 1;
        }
    }
    *why = gwhy != VMI_NOINLINE_NO_BODY ? gwhy : vwhy;
    return 0;
}

/* Leaves the plan empty and reports the error. */
static vmi_status plan_fail(struct vmi_plan *plan, struct vmi_error *err, vmi_status st,
                            const struct vmi_site_info *s, uint32_t offset, uint32_t expected,
                            uint32_t actual, const char *why)
{
    plan->count = 0;
    plan->code_len = 0;
    return vmi_fail(err, st, s->index, s->addr, offset, expected, actual, why);
}

/* What deciding and rendering a site needs besides the site: the build's inputs, whether the
 * ROM is used at all, and the calls found without a generic body. */
struct plan_build {
    struct vmi_plan *plan;
    const struct vmi_rom *rom;
    const struct vmi_reloc_table *relocs;
    unsigned policy;
    uint32_t flags;
    int use_rom;
    struct body_misses miss;
};

/* The arguments, then the plan's room: a record per site and every site's bytes.  The plan is
 * emptied once the arguments are known to be usable. */
static vmi_status plan_check(struct plan_build *b, const struct vmi_site_table *sites,
                             struct vmi_error *err)
{
    struct vmi_plan *plan = b->plan;
    uint32_t i, total = 0;

    if (!plan || !sites || (sites->count && !sites->sites))
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, 0, 0, "NULL plan or site table");
    if (b->policy >= VMI_POLICY_COUNT)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, 0, 0, VMI_POLICY_COUNT, b->policy,
                        "unknown policy");
    if (b->use_rom && !b->relocs)
        return vmi_fail(err, VMI_E_ARG, VMI_NO_SITE, b->rom->base, 0, 0, 0,
                        "a ROM plan needs the relocation answers");
    plan->count = 0;
    plan->code_len = 0;
    if (sites->count > plan->cap || (sites->count && !plan->sites))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, sites->count, plan->cap,
                        "plan's site array too small");
    for (i = 0; i < sites->count; i++)
        total += sites->sites[i].len;
    if (total > plan->code_cap || (total && !plan->code))
        return vmi_fail(err, VMI_E_CAPACITY, VMI_NO_SITE, 0, 0, total, plan->code_cap,
                        "plan's code buffer too small");
    return VMI_OK;
}

/* The site's record before the decision: where it is, what it calls, its bytes' place in the
 * plan's code, and NATIVE by policy until a better decision is made. */
static void site_start(struct vmi_site_plan *sp, const struct vmi_site_info *s, uint32_t code_offs)
{
    sp->addr = s->addr;
    sp->index = s->index;
    sp->call = s->call;
    sp->len = s->len;
    sp->code_offs = code_offs;
    sp->target = 0;
    sp->relocs = 0;
    sp->decision = VMI_DECISION_NATIVE;
    sp->noinline = VMI_NOINLINE_POLICY;
    sp->flags = s->flags;
    sp->use = s->use;
}

/* A site the ROM's answer cannot inline: a branch to the ROM's routine, NOP, or native with the
 * reason the branch was refused. */
static void decide_not_inlined(struct vmi_site_plan *sp, const struct vmi_site_info *s,
                               unsigned policy, uint32_t rtype)
{
    if (policy == VMI_POLICY_INLINE_ONLY) {
        sp->reason = VMI_REASON_POLICY;
    } else if (rtype == VMI_RELOCATION_NONE) {
        sp->reason = VMI_REASON_RELOC_NONE;
    } else if (rtype == VMI_RELOCATION_NOP && s->use == VMI_USE_LINUX_FILL) {
        sp->reason = VMI_REASON_FILL_NOP;
    } else if (rtype == VMI_RELOCATION_NOP) {
        sp->decision = VMI_DECISION_NOP;
        sp->reason = VMI_REASON_NOP_REL;
    } else if (rtype == VMI_RELOCATION_JUMP_REL && !(s->flags & VMI_SITE_JUMP)) {
        sp->reason = VMI_REASON_JUMP_AT_CALL_SITE;
    } else if (s->len < VMI_BRANCH_LEN) {
        sp->reason = VMI_REASON_SITE_TOO_SHORT;
    } else if (rtype == VMI_RELOCATION_CALL_REL
               && (vmi_call_table[s->call].clobbers & (uint8_t)~s->clobbers)) {
        sp->reason = VMI_REASON_CALL_CLOBBERS;
    } else if (rtype == VMI_RELOCATION_CALL_REL) {
        sp->decision = VMI_DECISION_CALL;
        sp->reason = VMI_REASON_CALL_REL;
    } else {
        sp->decision = VMI_DECISION_JUMP;
        sp->reason = VMI_REASON_JUMP_REL;
    }
}

/* The decision for a site the ROM answers: its relocation checked, then a body if the policy
 * allows one and one fits, else what decide_not_inlined makes of the answer.  *reip is the
 * answer's target. */
static vmi_status decide_from_rom(struct plan_build *b, const struct vmi_site_info *s,
                                  struct vmi_site_plan *sp, struct vmi_inline_body *body,
                                  uint32_t *reip, struct vmi_error *err)
{
    unsigned why = VMI_NOINLINE_POLICY;
    uint32_t rtype = b->relocs->info[s->call].type;

    *reip = b->relocs->info[s->call].eip;
    if (rtype > VMI_RELOCATION_NOP)
        return plan_fail(b->plan, err, VMI_E_RELOC_TYPE, s, s->call, VMI_RELOCATION_NOP, rtype,
                         "unknown relocation type for the site's call (offset = call)");
    if ((rtype == VMI_RELOCATION_CALL_REL || rtype == VMI_RELOCATION_JUMP_REL)
        && !(b->flags & VMI_PLAN_ANY_TARGET) && *reip - b->rom->base >= b->rom->size)
        return plan_fail(b->plan, err, VMI_E_RELOC_TARGET, s, s->call, b->rom->base, *reip,
                         "relocation target outside the ROM (expected = ROM base)");
    if ((b->policy == VMI_POLICY_AUTO || b->policy == VMI_POLICY_INLINE_ONLY)
        && choose_body(b->rom, &b->miss, s, body, &why)) {
        sp->decision = VMI_DECISION_INLINE;
        sp->reason = body->is_variant ? VMI_REASON_INLINE_VARIANT : VMI_REASON_INLINE;
        why = VMI_NOINLINE_INLINED;
    }
    sp->noinline = (uint8_t)why;
    if (sp->decision != VMI_DECISION_INLINE)
        decide_not_inlined(sp, s, b->policy, rtype);
    return VMI_OK;
}

/* The site's decision with its reason: native when the ROM is not used or Linux keeps the site,
 * else from the ROM's answer. */
static vmi_status decide_site(struct plan_build *b, const struct vmi_site_info *s,
                              struct vmi_site_plan *sp, struct vmi_inline_body *body,
                              uint32_t *reip, struct vmi_error *err)
{
    *reip = 0;
    if (!b->use_rom) {
        sp->reason = b->rom ? VMI_REASON_POLICY : VMI_REASON_NO_ROM;
        sp->noinline = b->rom ? VMI_NOINLINE_POLICY : VMI_NOINLINE_NO_EXTENSION;
        return VMI_OK;
    }
    if (linux_keeps(s)) {
        sp->reason = VMI_REASON_LINUX_KEEP;
        sp->noinline = VMI_NOINLINE_LINUX_USE;
        return VMI_OK;
    }
    return decide_from_rom(b, s, sp, body, reip, err);
}

/* The bytes that carry the decision out, at out, NOP-filled to the site's length: the body with
 * its rel32 fields moved to the site, a branch to reip, nothing, or the native (or original)
 * bytes. */
static void render_site(const struct plan_build *b, const struct vmi_site_info *s,
                        struct vmi_site_plan *sp, const struct vmi_inline_body *body,
                        uint32_t reip, uint8_t *out)
{
    unsigned k;

    switch (sp->decision) {
    case VMI_DECISION_INLINE:
        vmi_copy(out, body->bytes, body->len);
        for (k = 0; k < body->reloc_count; k++) {
            uint32_t off = vmi_rom_inline_reloc(b->rom, body, k);
            vmi_rel32_move(out + off, body->addr + off + 4, s->addr + off + 4);
        }
        sp->target = body->addr;
        sp->relocs = body->reloc_count;
        sp->used = body->len;
        break;
    case VMI_DECISION_CALL:
    case VMI_DECISION_JUMP:
        vmi_write_rel32_branch(out, sp->decision == VMI_DECISION_CALL ? VMI_OP_CALL_REL32
                                                                      : VMI_OP_JMP_REL32,
                               s->addr, reip);
        sp->target = reip;
        sp->used = VMI_BRANCH_LEN;
        break;
    case VMI_DECISION_NOP:
        sp->used = 0;
        break;
    default:
        if (s->flags & VMI_SITE_ORIGINAL) {
            vmi_copy(out, b->plan->original + b->plan->code_len, s->len);
            sp->used = s->len;
        } else {
            vmi_copy(out, vmi_call_table[s->call].native, vmi_call_table[s->call].native_len);
            sp->used = vmi_call_table[s->call].native_len;
        }
        break;
    }
    sp->nops = (uint8_t)vmi_nop_fill(out + sp->used, s->len - sp->used);
}

/* Phases: the arguments and the room checked, then per site: usable, started, decided,
 * rendered. */
vmi_status vmi_plan_build(struct vmi_plan *plan, const struct vmi_site_table *sites,
                          const struct vmi_rom *rom, const struct vmi_reloc_table *relocs,
                          const struct vmi_plan_options *opt, struct vmi_error *err)
{
    struct plan_build b = { plan, rom, relocs, opt ? (unsigned)opt->policy : VMI_POLICY_AUTO,
                            opt ? opt->flags : 0, 0, { { 0 } } };
    vmi_status st;
    uint32_t i;

    vmi_error_clear(err);
    b.use_rom = rom && b.policy != VMI_POLICY_NATIVE_ONLY;
    st = plan_check(&b, sites, err);
    if (st != VMI_OK)
        return st;
    for (i = 0; i < sites->count; i++) {
        const struct vmi_site_info *s = &sites->sites[i];
        struct vmi_site_plan *sp = &plan->sites[i];
        struct vmi_inline_body body;
        uint32_t reip;

        if (!site_usable(plan, s, plan->code_len))
            return plan_fail(plan, err, (s->flags & VMI_SITE_ORIGINAL) ? VMI_E_ARG : VMI_E_SITE_CALL,
                             s, 0, 0, s->call,
                             (s->flags & VMI_SITE_ORIGINAL)
                             ? "site keeps its original bytes, but the plan has none for it "
                               "(vmi_plan_set_original)"
                             : "site table was not read by vmi_sites_read");
        site_start(sp, s, plan->code_len);
        st = decide_site(&b, s, sp, &body, &reip, err);
        if (st != VMI_OK)
            return st;
        render_site(&b, s, sp, &body, reip, plan->code + plan->code_len);
        plan->code_len += s->len;
        plan->count = i + 1;
    }
    plan->rom_base = b.use_rom ? rom->base : 0;
    plan->policy = (uint8_t)b.policy;
    return VMI_OK;
}
/* SPDX-License-Identifier: GPL-2.0-only */
