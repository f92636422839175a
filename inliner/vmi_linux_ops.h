/* vmi_linux_ops.h: the Linux profile's layout questions, answered from the generated tables of
 * include/vmi_linux.h (spec/linux.vmi).  Freestanding, in libvmiinline; the loader agent and
 * vmi-aot call these instead of walking the tables themselves.
 *
 * config is a build's VMI_LINUX_CFG_* bits (e.g. VMI_LINUX_CFG_PAE for the PAE fixture); an op is
 * an index in vmi_linux_ops[]; a type is a .parainstructions record's instrtype, the word index
 * of the op in struct paravirt_patch_template (PARAVIRT_PATCH()). */
#ifndef VMI_LINUX_OPS_H
#define VMI_LINUX_OPS_H

#include "vmi_linux.h"

/* 1 when row op exists in a build of config, 0 when not or op is out of range. */
int vmi_linux_op_active(unsigned config, unsigned op);

/* The row whose member starts at word `type` of the template under config, or -1 (past the
 * template, or inside a multi-word member). */
int vmi_linux_op_at(unsigned config, unsigned type);

/* The type (template word index) of row op under config, or -1 when the row does not exist in
 * that build or lies outside the template (an extern block). */
int vmi_linux_op_type(unsigned config, unsigned op);

/* Words of group `group` under config (its ELF symbol's st_size / 4 for a template group), or
 * -1 for an unknown group. */
int vmi_linux_group_words(unsigned config, unsigned group);

/* Words of the whole template under config (the number of valid types). */
int vmi_linux_template_words(unsigned config);

/* The loader's layout check: group_bytes[g] is the ELF st_size of the kernel's symbol named
 * vmi_linux_groups[g].name, or -1 when the image has no such symbol (a kernel without
 * CONFIG_PARAVIRT_SPINLOCKS has no pv_lock_ops); extern groups are not looked at.  Returns the
 * first template group whose size is not its words * 4 under config, or -1 when all agree. */
int vmi_linux_size_mismatch(unsigned config, const int32_t group_bytes[VMI_LINUX_NUM_GROUPS]);

/* The group named name (e.g. "pv_mmu_ops"), or -1. */
int vmi_linux_group_find(const char *name);

/* The row named "group.member" that exists under config, or -1. */
int vmi_linux_op_find(unsigned config, const char *name);

#endif /* VMI_LINUX_OPS_H */
/* SPDX-License-Identifier: GPL-2.0-only */
