/* A session: the inliner's pipeline run ahead of time for one image and one ROM, as a kernel
 * runs it at boot -- the ROM loaded and passed by check-rom (aot_rom.h), the image opened
 * (elf_image.h; a Linux vmlinux's pv sites through linux_image.h), the ROM probed and its
 * GetRelocationInfo emulated at the base it will run at, the site table read by the core and
 * cross-checked with the ELF reader, the buffers sized by the core (vmi_plan_size_for), a plan
 * built, applied to a buffer spanning the sites at the image's addresses, and verified.
 *
 * The phases are separate calls, in this order, so that a tool can do its own work between them
 * (vmi-aot specialize looks up the ROM area and the identity record after opening):
 *   aot_session_open_image, aot_session_load_rom   (either order; each optional for a tool that
 *                                                    needs only one input)
 *   aot_session_place      the ROM's base: checked, the ROM probed there, relocations emulated
 *   aot_session_read_sites the core's site table and the sizes of the plan's buffers
 *   aot_session_plan       the span of the sites filled from the image, original bytes
 *                          captured, the plan built for a policy
 *   aot_session_apply      the plan written to the span (never to the image) and verified
 * Each returns 0, or -1 with one line in err naming the file (and the site, with the call or the
 * Linux op, when the core names one); nothing here prints.  aot_session_close releases whatever
 * the phases reached. */
#ifndef VMI_AOT_SESSION_H
#define VMI_AOT_SESSION_H

#include <stdint.h>

#include "aot_err.h"
#include "aot_rom.h"
#include "elf_image.h"
#include "vmi_inliner.h"

struct aot_session {
    struct aot_image img;               /* valid when have_img */
    struct aot_rom rom;                 /* valid when have_rom */
    int have_img, have_rom;
    uint32_t base;                      /* where the ROM runs (aot_session_place) */
    struct vmi_rom vrom;
    struct vmi_reloc_table relocs;
    struct vmi_site_table table;        /* the core's reading of the image's sites */
    struct vmi_plan_size need;          /* the core's sizing of the plan's buffers */
    struct vmi_plan plan;
    uint8_t *orig;                      /* the sites' bytes before the plan, in code's layout */
    uint32_t orig_len;
    uint8_t *span;                      /* the sites' bytes at span[addr - lo] */
    uint32_t lo;
    struct vmi_text text;               /* over span */
};

/* A zeroed session. */
void aot_session_init(struct aot_session *s);

/* aot_image_open(path, flags).  (A Linux kernel's op names against its DWARF are the caller's
 * choice: aot_linux_check_dwarf.) */
int aot_session_open_image(struct aot_session *s, const char *path, unsigned flags,
                           struct aot_err *err);

/* aot_rom_load(path): the ROM refused unless check-rom passes it. */
int aot_session_load_rom(struct aot_session *s, const char *path, struct aot_err *err);

/* The ROM at base: aot_rom_base_ok, vmi_rom_probe, aot_rom_relocs.  Needs the ROM. */
int aot_session_place(struct aot_session *s, uint32_t base, struct aot_err *err);

/* The site table as the core reads it (a Linux kernel's: as aot_linux_read read it), the plan's
 * buffers sized by vmi_plan_size_for; every site the ELF reader's too.  Needs the image. */
int aot_session_read_sites(struct aot_session *s, struct aot_err *err);

/* The span filled with the sites' bytes, their original bytes captured (a Linux site's native
 * form is what it holds), the plan built for policy against the placed ROM.  Needs the phases
 * above. */
int aot_session_plan(struct aot_session *s, enum vmi_policy policy, struct aot_err *err);

/* vmi_apply to the span (each site must hold its native bytes: "not the native bytes (already
 * patched?)" otherwise), then vmi_verify.  Needs aot_session_plan. */
int aot_session_apply(struct aot_session *s, struct aot_err *err);

/* The bytes of site i (image order) in the span: the plan's after aot_session_apply. */
static inline const uint8_t *aot_session_site_bytes(const struct aot_session *s, uint32_t i)
{
    return s->span + (s->img.sites[i].addr - s->lo);
}

/* vmi_aot_identity.sites_hash, by the core's vmi_sites_hash, of the span as it is now (after
 * aot_session_apply: what specialize writes).  Needs aot_session_plan. */
int aot_session_sites_hash(const struct aot_session *s, uint64_t *hash, struct aot_err *err);

/* The same hash of an image's sites as they are in the file (what verify compares with the
 * identity), by the same vmi_sites_hash over the ELF reader's sites. */
int aot_image_sites_hash(const struct aot_image *img, uint64_t *hash, struct aot_err *err);

/* The call (or for a Linux kernel's pv site its op) of the site at addr, or "?". */
const char *aot_session_site_name(const struct aot_session *s, uint32_t addr);

void aot_session_close(struct aot_session *s);

#endif /* VMI_AOT_SESSION_H */
/* SPDX-License-Identifier: GPL-2.0-only */
