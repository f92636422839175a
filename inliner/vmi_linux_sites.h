/* vmi_linux_sites.h: Linux 2.6.32's paravirt patch sites (section .parainstructions) read into
 * the inliner's site table, so that the planner (vmi_plan_build), vmi_apply, vmi_verify and
 * vmi_revert work on a real VMI kernel as on the glue's sites.  docs/linux.md.
 *
 * The kernel's record (arch/x86/include/asm/paravirt_types.h, i386; 8 bytes, 4-byte aligned;
 * struct vmi_linux_patch_site in include/vmi_abi.h, from spec/ext.vmi):
 *
 *     struct paravirt_patch_site {
 *         u8 *instr;          // the site's address (absolute, not self-relative)
 *         u8 instrtype;       // the op: its word index in struct paravirt_patch_template
 *         u8 len;             // bytes at the site
 *         u16 clobbers;       // CLBR_* the code around the site lets the op change
 *     };
 *
 * What a type means (which op, which VMI call, how Linux's VMI backend uses it) depends on the
 * kernel's configuration (the template's layout differs under PAE), so the reader takes it from
 * the caller as a table indexed by type, built from the spec's Linux profile (one source: the
 * op -> call mapping exists only there).
 *
 * Freestanding, like the rest of the core: no allocation, no libc. */
#ifndef VMI_LINUX_SITES_H
#define VMI_LINUX_SITES_H

#include <stdint.h>
#include "vmi_inliner.h"

#define VMI_LINUX_SITE_SIZE ((uint32_t)sizeof(struct vmi_linux_patch_site))  /* 8 on i386 */

/* Linux's CLBR_* bits, i386 (paravirt_types.h). */
#define VMI_LINUX_CLBR_EAX 0x1u
#define VMI_LINUX_CLBR_ECX 0x2u
#define VMI_LINUX_CLBR_EDX 0x4u
#define VMI_LINUX_CLBR_EDI 0x8u
#define VMI_LINUX_CLBR_ANY 0xfu     /* (1 << 4) - 1: every bit i386 defines */

/* What one site type means, for this kernel. */
struct vmi_linux_type {
    uint8_t defined;    /* 1: an op of the template occupies this word; 0: a hole (unknown type) */
    uint8_t use;        /* enum vmi_site_use: VMI_USE_LINUX_PATCH .. VMI_USE_LINUX_NATIVE */
    uint8_t call;       /* the VMI_CALL_* the op maps to, or VMI_NO_CALL */
};

/* Indexed by instrtype; count = the words of struct paravirt_patch_template. */
struct vmi_linux_types {
    const struct vmi_linux_type *type;
    uint32_t count;
};

/* An address range sites may lie in (the kernel's text sections). */
struct vmi_text_range {
    uint32_t base;
    uint32_t size;
};

/* Fills out (cap entries; at least vmi_linux_template_words(config), which is at most
 * VMI_LINUX_NUM_OPS) with what each type means in a kernel built with config (VMI_LINUX_CFG_*
 * bits, include/vmi_linux.h), from the spec's Linux profile, and points *types at it.  An op's
 * use: PATCH when vmi_patch rewrites its sites (it wins over para_fill for the irq ops), else
 * FILL, WRAP, GET (vmi_get_function, or probed only), else NATIVE.  A word inside a multi-word
 * member is not defined. */
vmi_status vmi_linux_types_for(struct vmi_linux_type *out, uint32_t cap, unsigned config,
                               struct vmi_linux_types *types, struct vmi_error *err);

/* Linux's CLBR_* mask as VMI_CLOBBER_*: eax, ecx and edx keep their bits; the flags are always
 * clobberable (every pv site's asm declares "cc"); CLBR_EDI is dropped, because i386's C sites
 * with CLBR_ANY do not declare edi clobbered (only the x86-64 convention lets a call change it),
 * so a body that writes edi is never allowed at a Linux site. */
uint8_t vmi_linux_clobbers(uint16_t clbr);

/* Decodes `bytes` of records at host `records` into table (caller's array, cap entries), checks
 * each, sorts the sites by address and refuses overlaps.  Per record, in order:
 *   type < types->count and defined                          VMI_E_SITE_TYPE
 *   the type's call defined (or VMI_NO_CALL), its use known  VMI_E_SITE_CALL, VMI_E_SITE_TYPE
 *   clobbers inside CLBR_ANY                                 VMI_E_SITE_FLAGS
 *   len >= 1, and >= 5 for a PATCH site (vmi_patch BUG()s)   VMI_E_SITE_LEN
 *   [instr, instr + len) inside one of the ntext ranges      VMI_E_SITE_RANGE
 * then no two sites share a byte (VMI_E_SITE_OVERLAP); a size that is not a whole number of
 * records is VMI_E_SITE_TABLE, too small an array VMI_E_CAPACITY.  The error's offset is the
 * byte offset of the bad field in the records.
 * Each site: addr = instr, index = record number, call and use from the type, len, clobbers
 * (vmi_linux_clobbers), flags = VMI_SITE_ORIGINAL, plus VMI_SITE_JUMP when the call is a jump
 * call (IRET, SYSEXIT: Linux enters them by jmp).  Then capture the sites' original bytes
 * (vmi_sites_capture, from the unpatched text) and give them to each plan
 * (vmi_plan_set_original). */
vmi_status vmi_linux_sites_read(struct vmi_site_table *table, const void *records, uint32_t bytes,
                                const struct vmi_linux_types *types,
                                const struct vmi_text_range *text, uint32_t ntext,
                                struct vmi_error *err);

#endif /* VMI_LINUX_SITES_H */
/* SPDX-License-Identifier: GPL-2.0-only */
