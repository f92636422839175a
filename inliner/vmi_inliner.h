/* vmi_inliner.h: plan and patch VMI call sites against a ROM.
 *
 * The inliner reads the call-site records the glue emits (struct vmi_site, section vmi_sites),
 * probes and validates a VMI ROM (Linux 2.6.21's checks, the 8-bit checksum and the inline
 * extension), decides per site how to reach the call (INLINE, CALL, JUMP, NOP or NATIVE), renders
 * the new bytes, and writes them only after every site was checked; it reads them back, and it
 * reverts from a caller-supplied save area.  docs/inliner.md explains the decisions.
 *
 * The core is freestanding: it calls nothing outside itself, allocates nothing (every array is the
 * caller's) and works on 32-bit target addresses (uint32_t), never on host pointers, so the same
 * code patches its own text at boot (32-bit) and a 32-bit image in a buffer (64-bit tools).
 *
 * Conventions: every name starts with vmi_ / VMI_; a function that can fail returns vmi_status
 * and, when given a non-NULL struct vmi_error, fills it with the site, address, offset and reason
 * of the first problem found.  On failure nothing in the text has been written, except where a
 * function says otherwise (vmi_apply's read-back check, which runs after the write).
 */
#ifndef VMI_INLINER_H
#define VMI_INLINER_H

#include <stdint.h>
#include "vmi_abi.h"

#define VMI_INLINER_API_VERSION 1

/* ---- status and error record ---- */

typedef enum vmi_status {
    VMI_OK = 0,
    VMI_E_ARG,               /* a required pointer is NULL or an argument is out of range */
    VMI_E_CAPACITY,          /* a caller-provided array is too small (expected = bytes or entries needed) */
    /* ROM probe: Linux 2.6.21's checks, in its order, then this project's */
    VMI_E_ROM_SIZE,          /* image shorter than the header or than rom_length * 512, or rom_length 0 */
    VMI_E_ROM_SIGNATURE,     /* rom_signature is not 0xaa55 */
    VMI_E_ROM_VMI_SIGNATURE, /* vrom_signature is not "cVmi" */
    VMI_E_ROM_VERSION,       /* api_version_maj is not 3 */
    VMI_E_ROM_NO_PCI,        /* pci_header_offs is 0 */
    VMI_E_ROM_OFFSET,        /* a header offset (PCI, PnP, license) points outside the ROM */
    VMI_E_ROM_LICENSE,       /* the license string is not "GPL" or "GPL v2", or is not terminated */
    VMI_E_ROM_CHECKSUM,      /* the 8-bit sum of the rom_length * 512 bytes is not 0 */
    VMI_E_ROM_NOT_FOUND,     /* vmi_rom_scan: no candidate passed */
    /* the inline extension */
    VMI_E_INLINE_TABLE,      /* table outside the ROM; bad magic, version, sizes or counts */
    VMI_E_INLINE_ENTRY,      /* entry: undefined call, body outside the ROM, relocations outside the table */
    VMI_E_INLINE_RELOC,      /* relocation: unknown kind, field outside the body, target inside the body */
    VMI_E_INLINE_DUPLICATE,  /* two entries for the same call, or the same variant */
    /* relocation answers (GetRelocationInfo) */
    VMI_E_RELOC_TYPE,        /* a type other than NONE, CALL_REL, JUMP_REL, NOP */
    VMI_E_RELOC_TARGET,      /* a CALL_REL / JUMP_REL target outside the ROM */
    VMI_E_RELOC_QUERY,       /* the caller's query callback failed */
    /* the site table */
    VMI_E_SITE_TABLE,        /* the table's size is not a multiple of 12 bytes */
    VMI_E_SITE_CALL,         /* a call number the ABI does not define */
    VMI_E_SITE_LEN,          /* a site shorter than its native sequence */
    VMI_E_SITE_FLAGS,        /* unknown flag bits, or jump / constant flags that disagree with the call */
    VMI_E_SITE_RANGE,        /* a site outside the text */
    VMI_E_SITE_OVERLAP,      /* two sites share bytes */
    /* applying */
    VMI_E_PLAN_MISMATCH,     /* two plans, or a plan and a save area, describe different sites */
    VMI_E_SITE_BYTES,        /* a site does not hold the bytes expected before the write */
    VMI_E_VERIFY,            /* read back after the write differs from what was written */
    VMI_E_WRITE,             /* the caller's write hook failed */
    /* Linux's pv sites (vmi_linux_sites.h) */
    VMI_E_SITE_TYPE,         /* a Linux site type no op of the template occupies, or outside it */
    /* a pre-specialized image's records (vmi_aot.h) */
    VMI_E_AOT_RECORD,        /* the .vmi_aot section: truncated, bad magic, version, sizes, flags or entries */
    VMI_STATUS_COUNT
} vmi_status;

#define VMI_NO_SITE 0xffffffffu

/* The first problem a function found.  Fields that do not apply are 0 (site: VMI_NO_SITE). */
struct vmi_error {
    vmi_status  status;
    uint32_t    site;       /* index of the site record in the table as read, or VMI_NO_SITE */
    uint32_t    address;    /* target address: of the site, or of the ROM byte, or 0 */
    uint32_t    offset;     /* byte offset: into the site, the ROM image, or the site table */
    uint32_t    expected;   /* the value or byte that was expected, where one was */
    uint32_t    actual;     /* the value or byte that was found */
    const char *reason;     /* static text saying what was wrong */
};

/* ---- freestanding helpers (no libc) ---- */
void    *vmi_memcpy(void *dst, const void *src, uint32_t n);
void    *vmi_memset(void *dst, int c, uint32_t n);
int      vmi_memcmp(const void *a, const void *b, uint32_t n);

/* ---- ROM probe ---- */

#define VMI_PROBE_NO_CHECKSUM   0x01u  /* skip the 8-bit checksum (Linux never verified it) */
#define VMI_PROBE_NO_INLINE     0x02u  /* ignore the inline extension */

#define VMI_ROM_WARN_VENDOR     0x01u  /* PCI vendor/device not 15ad/0801 (Linux: "unknown manufacturer") */
#define VMI_ROM_WARN_NO_INLINE  0x02u  /* minor >= 1 but no inline pointer at 0x20 */
#define VMI_ROM_WARN_NO_CHECKSUM 0x04u /* the checksum was not verified (VMI_PROBE_NO_CHECKSUM) */

/* A ROM that passed vmi_rom_probe.  image is the host view of the bytes, base the linear address
 * the ROM is (or will be) mapped at; every address the inliner computes uses base. */
struct vmi_rom {
    const uint8_t *image;
    uint32_t base;              /* linear address of ROM byte 0 */
    uint32_t size;              /* rom_length * 512 */
    uint32_t virtual_top;       /* from the header */
    uint8_t  api_major, api_minor;
    uint8_t  rom_version_major, rom_version_minor;   /* PCI header */
    uint16_t pci_vendor, pci_device;
    uint32_t warnings;          /* VMI_ROM_WARN_* */
    uint32_t license_offs;      /* NUL-terminated, inside the image */
    uint8_t  has_inline;        /* the inline extension is present and valid */
    uint16_t inline_entries;
    uint16_t inline_relocs;
    uint32_t inline_table_offs; /* offset of struct vmi_inline_table in the image */
};

/* Checks, in order: image holds a header; rom_signature; vrom_signature; api_version_maj == 3;
 * pci_header_offs != 0; rom_length != 0 and rom_length * 512 <= avail; PCI, PnP and license
 * offsets inside the ROM; license "GPL" or "GPL v2"; the checksum; the inline extension. */
vmi_status vmi_rom_probe(struct vmi_rom *rom, const void *image, uint32_t avail, uint32_t base,
                         uint32_t flags, struct vmi_error *err);

/* Probes every 2 KiB-aligned address of a region, as Linux scans 0xc0000-0xe0000, and keeps the
 * first ROM that passes.  VMI_E_ROM_NOT_FOUND when none did (err describes the last candidate
 * that had the 55 aa signature). */
vmi_status vmi_rom_scan(struct vmi_rom *rom, const void *region, uint32_t region_base,
                        uint32_t region_size, uint32_t flags, struct vmi_error *err);

/* Entry i (< rom->inline_entries) of the probed ROM's inline table, through the generated struct:
 * the one place the table's entries are located. */
const struct vmi_inline_entry *vmi_rom_inline_entry(const struct vmi_rom *rom, uint32_t i);

/* One inline body of the ROM. */
struct vmi_inline_body {
    uint32_t       addr;          /* linear address of the body in the ROM */
    const uint8_t *bytes;         /* host view */
    uint8_t        call;
    uint8_t        len;
    uint8_t        clobbers;      /* VMI_CLOBBER_* the body may write */
    uint8_t        is_variant;
    uint8_t        variant_arg;
    uint8_t        reloc_count;
    uint16_t       reloc_first;
    uint32_t       variant_value;
    uint16_t       entry;         /* index in the inline table */
};

/* The generic body of a call (variant 0) or the variant for (arg, value) (variant 1).
 * Returns 1 and fills out when the ROM has it, 0 otherwise. */
int vmi_rom_inline_find(const struct vmi_rom *rom, uint8_t call, int variant, uint8_t arg,
                        uint32_t value, struct vmi_inline_body *out);

/* The offset inside the body of relocation i (0 <= i < body->reloc_count). */
uint8_t vmi_rom_inline_reloc(const struct vmi_rom *rom, const struct vmi_inline_body *body,
                             uint32_t i);

/* ---- relocation answers ---- */

/* GetRelocationInfo's answer for every call number (unfilled numbers are NONE). */
struct vmi_reloc_table {
    struct vmi_relocation_info info[VMI_NUM_CALLS];
};

/* Asks for one call: at boot this executes the ROM's GetRelocationInfo; a 64-bit tool answers
 * from its own decoding of the ROM.  Returns VMI_OK or an error. */
typedef vmi_status (*vmi_reloc_query_fn)(void *ctx, uint8_t call, struct vmi_relocation_info *out);

/* Clears the table, then queries every call number the ABI defines. */
vmi_status vmi_reloc_table_fill(struct vmi_reloc_table *table, vmi_reloc_query_fn query,
                                void *ctx, struct vmi_error *err);

/* ---- the site table ---- */

/* The call of a site whose consumer's operation maps to no VMI call (a Linux pv op such as
 * pte_val): such a site is always kept as it is. */
#define VMI_NO_CALL 0xffu

/* vmi_site_info.flags, besides the record's VMI_SITE_* bits: set only by a reader, never in a
 * record (vmi_sites_read refuses the bit).  The site's native form is not the spec's native
 * sequence but the bytes the site held when it was read, which the caller keeps and gives the
 * plan (vmi_sites_capture, vmi_plan_set_original): the planner renders NATIVE as those bytes and
 * vmi_apply(expected == NULL) checks the text against them.  Linux's pv sites have it. */
#define VMI_SITE_ORIGINAL 0x80u

/* Who laid a site down, and how that consumer itself reaches the site's VMI call
 * (vmi_site_info.use).  The planner changes a Linux site only where Linux routes the operation
 * straight to the call (PATCH, FILL); docs/linux.md. */
enum vmi_site_use {
    VMI_USE_GLUE = 0,      /* this project's glue: the site holds the call's native sequence */
    VMI_USE_LINUX_PATCH,   /* Linux's vmi_patch rewrites the site: call, jump or NOP per GetRelocationInfo */
    VMI_USE_LINUX_FILL,    /* Linux points the op at the ROM routine (para_fill): inlining or a direct
                            * call there goes beyond Linux, to the same routine */
    VMI_USE_LINUX_WRAP,    /* Linux calls the routine from a C wrapper (para_wrap): left as it is */
    VMI_USE_LINUX_GET,     /* Linux fetches the routine for its own code (vmi_get_function): left */
    VMI_USE_LINUX_NATIVE,  /* Linux runs the op natively under VMI, or it maps to no call: left */
    VMI_USE_COUNT
};

/* One site, decoded: addresses are absolute. */
struct vmi_site_info {
    uint32_t addr;          /* linear address of the site's first byte */
    uint32_t index;         /* record number in the table as read */
    uint32_t const_value;
    uint8_t  call;          /* VMI_CALL_*, or VMI_NO_CALL (only with VMI_SITE_ORIGINAL) */
    uint8_t  len;
    uint8_t  clobbers;      /* VMI_CLOBBER_* the site allows */
    uint8_t  flags;         /* VMI_SITE_*, VMI_SITE_ORIGINAL */
    uint8_t  use;           /* enum vmi_site_use */
};

struct vmi_site_table {
    struct vmi_site_info *sites;   /* caller's array, cap entries; sorted by address after read */
    uint32_t count;
    uint32_t cap;
};

/* Decodes `bytes` of records found at host `records`, which live at linear address records_addr,
 * checks each (call defined, len >= native length, the site does not run past 4 GiB
 * (VMI_E_SITE_RANGE), flags agree with the call), sorts the sites by address and checks that
 * none overlap. */
vmi_status vmi_sites_read(struct vmi_site_table *table, const void *records, uint32_t records_addr,
                          uint32_t bytes, struct vmi_error *err);

struct vmi_text;

/* Copies every site's current bytes from the text into buf (cap bytes; the sum of the site
 * lengths, VMI_E_CAPACITY otherwise), one after another in table order (site i at the sum of the
 * lengths of sites 0..i-1: the layout of a plan's code), and sets *len.  These are the original
 * bytes of VMI_SITE_ORIGINAL sites read from an image that holds them unpatched; give them to the
 * plan with vmi_plan_set_original.  VMI_E_SITE_RANGE (nothing copied) when a site lies outside
 * the text. */
vmi_status vmi_sites_capture(const struct vmi_site_table *table, const struct vmi_text *text,
                             uint8_t *buf, uint32_t cap, uint32_t *len, struct vmi_error *err);

/* ---- NOP fill and native bytes ---- */

/* Fills len bytes with the fewest NOPs of vmi_nops[]: as many 9-byte NOPs as fit, then one NOP
 * for the rest.  Returns the number of NOP instructions written. */
uint32_t vmi_nop_fill(uint8_t *dst, uint32_t len);

/* What an unpatched site holds: the call's native bytes, NOP-filled to len.  Returns the number
 * of NOPs, or VMI_NO_SITE if the call is undefined or len is shorter than the native bytes. */
uint32_t vmi_render_native(uint8_t call, uint32_t len, uint8_t *dst);

/* ---- rel32 branches: the call / jmp a plan writes at a site (CALL, JUMP) or a thunk ---- */

#define VMI_OP_CALL_REL32 0xe8u    /* call rel32 */
#define VMI_OP_JMP_REL32  0xe9u    /* jmp rel32 */
#define VMI_BRANCH_LEN    5u       /* opcode + rel32 */

/* Writes the 5 bytes `opcode rel32` at out, for an instruction at linear address `at` that
 * reaches `target` (rel32 = target - (at + 5), 32-bit wrap-around).  Returns VMI_BRANCH_LEN. */
uint32_t vmi_write_rel32_branch(uint8_t *out, uint8_t opcode, uint32_t at, uint32_t target);

/* Rewrites the rel32 field at `field` that was computed for a field ending at old_end so that it
 * reaches the same target from a field ending at new_end (new = old target - new_end). */
void vmi_rel32_move(uint8_t *field, uint32_t old_end, uint32_t new_end);

/* ---- the plan ---- */

enum vmi_policy {
    VMI_POLICY_AUTO = 0,    /* inline where a body fits, else what GetRelocationInfo says */
    VMI_POLICY_CALL_ONLY,   /* what GetRelocationInfo says, never inline (Linux 2.6.21) */
    VMI_POLICY_NATIVE_ONLY, /* every site native */
    VMI_POLICY_INLINE_ONLY, /* inline where a body fits, else native */
    VMI_POLICY_COUNT
};

enum vmi_decision {
    VMI_DECISION_NATIVE = 0,
    VMI_DECISION_INLINE,
    VMI_DECISION_CALL,
    VMI_DECISION_JUMP,
    VMI_DECISION_NOP,
    VMI_DECISION_COUNT
};

/* Why a site got its decision. */
enum vmi_reason {
    VMI_REASON_INLINE = 0,       /* INLINE: the call's body fits and clobbers no more than allowed */
    VMI_REASON_INLINE_VARIANT,   /* INLINE: the body for the site's constant argument */
    VMI_REASON_CALL_REL,         /* CALL: CALL_REL */
    VMI_REASON_JUMP_REL,         /* JUMP: JUMP_REL at a jump site */
    VMI_REASON_NOP_REL,          /* NOP: the ROM says the call is a no-op */
    VMI_REASON_RELOC_NONE,       /* NATIVE: the ROM provides no routine */
    VMI_REASON_NO_ROM,           /* NATIVE: no ROM (the native plan) */
    VMI_REASON_POLICY,           /* NATIVE: the policy forbids what the ROM offers */
    VMI_REASON_SITE_TOO_SHORT,   /* NATIVE: CALL_REL or JUMP_REL needs 5 bytes */
    VMI_REASON_CALL_CLOBBERS,    /* NATIVE: the routine clobbers more than the site allows */
    VMI_REASON_JUMP_AT_CALL_SITE,/* NATIVE: JUMP_REL at a site that is not a jump site */
    VMI_REASON_LINUX_KEEP,       /* NATIVE: Linux reaches this op through a wrapper, a fetched
                                  * pointer or natively (VMI_USE_LINUX_WRAP/GET/NATIVE): kept */
    VMI_REASON_FILL_NOP,         /* NATIVE: a para_fill op the ROM answers NOP: Linux points it
                                  * at an empty function, and the call through it stays */
    VMI_REASON_COUNT
};

/* Why a site was not inlined (VMI_NOINLINE_INLINED when it was). */
enum vmi_noinline {
    VMI_NOINLINE_INLINED = 0,
    VMI_NOINLINE_POLICY,         /* the policy does not inline */
    VMI_NOINLINE_NO_EXTENSION,   /* the ROM has no inline extension (or there is no ROM) */
    VMI_NOINLINE_NO_BODY,        /* the ROM has no body for the call */
    VMI_NOINLINE_TOO_LONG,       /* the body is longer than the site */
    VMI_NOINLINE_CLOBBERS,       /* the body clobbers registers or flags the site keeps */
    VMI_NOINLINE_LINUX_USE,      /* a Linux site whose op Linux does not route to the call */
    VMI_NOINLINE_COUNT
};

/* The plan for one site.  Its new bytes are plan->code[code_offs .. code_offs + len). */
struct vmi_site_plan {
    uint32_t addr;
    uint32_t index;          /* record number, as in vmi_site_info */
    uint32_t target;         /* CALL/JUMP: the routine; INLINE: the body's ROM address; else 0 */
    uint32_t code_offs;
    uint8_t  call;
    uint8_t  len;
    uint8_t  decision;       /* enum vmi_decision */
    uint8_t  reason;         /* enum vmi_reason */
    uint8_t  noinline;       /* enum vmi_noinline */
    uint8_t  used;           /* bytes before the NOP fill */
    uint8_t  nops;           /* NOP instructions in the fill */
    uint8_t  relocs;         /* rel32 fields moved (INLINE) */
    uint8_t  flags;          /* the site's flags (VMI_SITE_ORIGINAL: native = original bytes) */
    uint8_t  use;            /* the site's enum vmi_site_use */
};

struct vmi_plan {
    struct vmi_site_plan *sites;   /* caller's array, cap entries */
    uint32_t count, cap;
    uint8_t *code;                 /* caller's buffer: the sum of the site lengths */
    uint32_t code_len, code_cap;
    uint32_t rom_base;             /* the ROM planned against (0: none) */
    uint8_t  policy;
    /* the original bytes of VMI_SITE_ORIGINAL sites, in the layout of code (vmi_sites_capture):
     * the caller's buffer, which must outlive the plan; NULL when no site needs them */
    const uint8_t *original;
    uint32_t original_len;
};

#define VMI_PLAN_ANY_TARGET 0x01u  /* accept CALL_REL / JUMP_REL targets outside the ROM */

struct vmi_plan_options {
    enum vmi_policy policy;
    uint32_t flags;                /* VMI_PLAN_* */
};

/* What the caller's arrays must hold for a table: plan sites (= sites), code bytes (the sum of
 * the site lengths: a plan's code, a save area, vmi_sites_capture's buffer) and the thunk bytes of
 * a counting plan (vmi_plan_count: per site 7 + at most its length + 5). */
struct vmi_plan_size {
    uint32_t sites;
    uint32_t code;
    uint32_t thunks;
};
#define VMI_COUNT_THUNK_FIXED 12u   /* lock incl counter (7) + jmp back (5) */
void vmi_plan_size_for(const struct vmi_site_table *table, struct vmi_plan_size *size);
/* The same for static arrays: n sites of at most max_len bytes each (e.g. VMI_RESERVE_MAX). */
#define VMI_PLAN_CODE_BYTES(n, max_len)   ((uint32_t)(n) * (uint32_t)(max_len))
#define VMI_COUNT_THUNK_BYTES(n, max_len) ((uint32_t)(n) * (VMI_COUNT_THUNK_FIXED + (uint32_t)(max_len)))

void vmi_plan_init(struct vmi_plan *plan, struct vmi_site_plan *sites, uint32_t cap,
                   uint8_t *code, uint32_t code_cap);

/* Gives the plan the original bytes of the table's VMI_SITE_ORIGINAL sites (after vmi_plan_init,
 * before vmi_plan_build): len bytes in the layout of code, e.g. from vmi_sites_capture or from
 * where a specialized image keeps them (docs/aot.md, .vmi_aot). */
void vmi_plan_set_original(struct vmi_plan *plan, const uint8_t *bytes, uint32_t len);

/* Decides every site of the table against the ROM and the relocation answers, and renders the
 * new bytes.  rom == NULL (or opt->policy NATIVE_ONLY) gives the native plan: exactly what an
 * unpatched text holds.  relocs may be NULL only then.  opt may be NULL (AUTO, no flags).
 * A VMI_SITE_ORIGINAL site's native bytes are the plan's original bytes (vmi_plan_set_original;
 * VMI_E_ARG when they do not cover the site).  A Linux site is changed only where Linux
 * routes the op to the call (VMI_USE_LINUX_PATCH, _FILL; docs/linux.md). */
vmi_status vmi_plan_build(struct vmi_plan *plan, const struct vmi_site_table *sites,
                          const struct vmi_rom *rom, const struct vmi_reloc_table *relocs,
                          const struct vmi_plan_options *opt, struct vmi_error *err);

/* ---- the text, applying, verifying, reverting ---- */

/* Writes len bytes at linear address addr; returns 0 on success.  A kernel passes its text_poke. */
typedef int (*vmi_poke_fn)(void *ctx, uint32_t addr, const uint8_t *src, uint32_t len);

struct vmi_text {
    uint8_t    *bytes;     /* host view of the text: bytes[0] is at linear address base */
    uint32_t    base;
    uint32_t    size;
    vmi_poke_fn poke;      /* NULL: plain stores through bytes */
    void       *poke_ctx;
};

/* The bytes the sites held before the first vmi_apply, for vmi_revert. */
struct vmi_save {
    uint8_t *bytes;        /* caller's buffer: the sum of the site lengths */
    uint32_t cap;
    uint32_t len;          /* bytes saved */
    uint32_t count;        /* sites saved */
};

/* Checks that every site of the plan lies in the text and holds the plan's bytes. */
vmi_status vmi_verify(const struct vmi_text *text, const struct vmi_plan *plan,
                      struct vmi_error *err);

/* Writes the plan.  Before writing anything it checks that every site lies inside the text, that
 * no two overlap, that `expected` (NULL: the native bytes + NOP fill, or for a VMI_SITE_ORIGINAL
 * site the plan's original bytes) describes the same sites, and
 * that every site holds expected's bytes; on any error nothing is written.  If save is not NULL
 * the bytes found are saved there first.  After writing, every site is read back and compared
 * (VMI_E_VERIFY: the text was written and differs; revert it). */
vmi_status vmi_apply(struct vmi_text *text, const struct vmi_plan *plan,
                     const struct vmi_plan *expected, struct vmi_save *save,
                     struct vmi_error *err);

/* vmi_apply with flags.  VMI_APPLY_TRUST_TEXT skips the expected-bytes check: for a caller that
 * has checked the sites another way (docs/aot.md: a kernel that verified the sites' hash reverts a
 * pre-specialized image to native).  Every other check still runs. */
#define VMI_APPLY_TRUST_TEXT 0x01u
vmi_status vmi_apply_ex(struct vmi_text *text, const struct vmi_plan *plan,
                        const struct vmi_plan *expected, struct vmi_save *save, uint32_t flags,
                        struct vmi_error *err);

/* Restores the saved bytes of every site, after checking that the text holds `applied`'s bytes
 * (the plan last written), and reads them back. */
vmi_status vmi_revert(struct vmi_text *text, const struct vmi_plan *applied,
                      const struct vmi_save *save, struct vmi_error *err);

/* ---- counting: per-site execution profiles (docs/specializer.md) ---- */

/* Where the thunks of a counting plan go (caller's executable memory, host view `thunks` at linear
 * address thunks_addr) and the counters they increment (one uint32_t per site, in plan order, at
 * linear address counters_addr; the caller zeroes them). */
struct vmi_count_area {
    uint8_t *thunks;
    uint32_t thunks_addr;
    uint32_t thunks_cap;
    uint32_t thunks_len;     /* bytes used, set by vmi_plan_count */
    uint32_t counters_addr;
};

/* Builds in `out` (initialized with vmi_plan_init, arrays at least base's) a counting version of
 * `base`: every site becomes a jmp to its thunk, and thunk i does `lock incl counters[i]`, runs the
 * bytes base put at the site (a call or jmp into the ROM, an inlined body with its relocations
 * fixed, or the native sequence) and jumps back to the site's end.  rom is the ROM base was
 * planned against (needed for inlined bodies; may be NULL for a native plan).  Applying `out`
 * over `base` (or the native text) profiles the program without changing what it does.
 * Thunk size per site: 7 + the bytes base uses + 5. */
vmi_status vmi_plan_count(struct vmi_plan *out, const struct vmi_plan *base,
                          const struct vmi_rom *rom, struct vmi_count_area *area,
                          struct vmi_error *err);

/* ---- statistics and reports ---- */

struct vmi_stats {
    uint32_t sites;
    uint32_t decision[VMI_DECISION_COUNT];
    uint32_t reason[VMI_REASON_COUNT];
    uint32_t noinline[VMI_NOINLINE_COUNT];
    uint32_t call_sites[VMI_NUM_CALLS];
    uint32_t call_decision[VMI_NUM_CALLS][VMI_DECISION_COUNT];
    uint32_t bytes_total;     /* sum of site lengths */
    uint32_t bytes_inlined;   /* inline body bytes */
    uint32_t bytes_native;    /* native bytes kept */
    uint32_t bytes_branch;    /* call / jmp instructions */
    uint32_t bytes_nop;       /* NOP fill */
    uint32_t nop_count;       /* NOP instructions */
    uint32_t relocs;          /* rel32 fields moved */
};

void vmi_plan_stats(const struct vmi_plan *plan, struct vmi_stats *stats);

const char *vmi_status_name(vmi_status status);
const char *vmi_decision_name(unsigned decision);
const char *vmi_reason_name(unsigned reason);
const char *vmi_noinline_name(unsigned why);
const char *vmi_policy_name(unsigned policy);
const char *vmi_call_name(unsigned call);      /* "?" for an undefined number, "none" for VMI_NO_CALL */

/* Each writes one NUL-terminated line, without newline, into buf (cap bytes, truncated to fit)
 * and returns its length before truncation.  Formats (key=value, space-separated):
 *   site index=N addr=0xXXXXXXXX call=NAME len=N decision=D reason=R noinline=W used=N nops=N
 *        target=0xXXXXXXXX
 *   error status=S site=N addr=0x... offset=N expected=0x... actual=0x... reason="..."  */
uint32_t vmi_report_site(const struct vmi_site_plan *sp, char *buf, uint32_t cap);
uint32_t vmi_error_format(const struct vmi_error *err, char *buf, uint32_t cap);

/* Writes a whole report, line by line (NUL-terminated, no newline), to sink:
 *   stats policy=P rom=0x... sites=N native=N inline=N call=N jump=N nop=N bytes=N inlined=N
 *         native_bytes=N branch_bytes=N nop_bytes=N nop_count=N relocs=N
 *   reason name=R sites=N                         (one per reason that occurs)
 *   call name=NAME sites=N native=N inline=N call=N jump=N nop=N   (one per call with sites)
 *   site ...                                      (one per site, if per_site)
 * stats comes from vmi_plan_stats (the caller's memory: it is too large for a kernel stack). */
typedef void (*vmi_sink_fn)(void *ctx, const char *line, uint32_t len);
void vmi_report(const struct vmi_plan *plan, const struct vmi_stats *stats, int per_site,
                vmi_sink_fn sink, void *ctx);

#endif /* VMI_INLINER_H */
/* SPDX-License-Identifier: GPL-2.0-only */
