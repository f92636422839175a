/* The records a specialized image carries (docs/aot.md, "What OUT records"): the identity record
 * (struct vmi_aot_identity, filled in place in .vmi_aot_id) and the non-allocated section .vmi_aot
 * with a copy of that identity and the original bytes of every site.  Written by `specialize`,
 * read by `verify`.  Little-endian and packed: the generated structs are the layout. */
#ifndef VMI_AOT_RECORD_H
#define VMI_AOT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"
#include "vmi_abi.h"

/* The layout is the spec's (struct vmi_aot_record, struct vmi_aot_record_entry, spec/ext.vmi):
 * these names are the generated ones, kept for vmi-aot's code. */
#define AOT_SECTION_NAME    VMI_AOT_SECTION_NAME
#define AOT_REC_VERSION     VMI_AOT_REC_VERSION
#define AOT_REC_HEADER      ((uint32_t)sizeof(struct vmi_aot_record))
#define AOT_REC_ENTRY       ((uint32_t)sizeof(struct vmi_aot_record_entry))
#define AOT_REC_ALIGN       8u
#define AOT_REC_F_IDENTITY  VMI_AOT_REC_F_IDENTITY  /* the image's vmi_aot_identity was filled */
#define AOT_REC_F_LINUX     VMI_AOT_REC_F_LINUX     /* the sites are a Linux kernel's
                                           * .parainstructions records; the kept original bytes
                                           * are the image's, not derivable from the spec
                                           * (docs/linux.md) */

#define AOT_ID_SIZE         ((uint32_t)sizeof(struct vmi_aot_identity))

/* One site's entry: where it is and what it held before. */
struct aot_rec_site {
    uint32_t addr;
    uint32_t record;        /* index of its record in vmi_sites */
    uint32_t bytes_off;     /* offset of its original bytes in the bytes area */
    uint8_t call, len, decision, reason;
};

struct aot_rec {
    uint32_t flags;                     /* AOT_REC_F_* */
    struct vmi_aot_identity id;         /* as written into the image (or as it would have been) */
    uint32_t count;
    uint32_t bytes_size;
    const struct aot_rec_site *sites;   /* parse: decoded into an array the parser allocates */
    const uint8_t *bytes;               /* parse: points into the section's data */
};

/* Identity record <-> 40 bytes. */
void aot_id_encode(const struct vmi_aot_identity *id, uint8_t out[AOT_ID_SIZE]);
void aot_id_decode(const uint8_t in[AOT_ID_SIZE], struct vmi_aot_identity *id);

/* The section's size for count sites of bytes_size bytes in all. */
size_t aot_rec_size(uint32_t count, uint32_t bytes_size);

/* Serializes into buf (aot_rec_size bytes): header, entries, the bytes (orig: bytes_size bytes). */
void aot_rec_encode(uint8_t *buf, const struct aot_rec *rec, const struct aot_rec_site *sites,
                    const uint8_t *orig);

/* Parses and checks the section's data with the core's vmi_aot_record_decode (magic, version,
 * sizes, every entry's bytes inside the bytes area, addresses ascending).  rec->sites is allocated (free it); rec->bytes points into
 * data.  0, or -1 with err naming path and the offset in the section. */
int aot_rec_parse(struct aot_rec *rec, const uint8_t *data, size_t len, const char *path,
                  struct aot_err *err);

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
