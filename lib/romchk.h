/* vmi-aot check-rom: the deep checker of a VMI option ROM (docs/rom-format.md, "Checking a ROM").
 * romchk_layout.c checks the bytes' structure, romchk_emu.c executes GetRelocationInfo on a copy,
 * romchk_code.c decodes and analyses routines and inline bodies, cmd_check_rom.c runs them all and
 * reports.  Findings are values collected in struct romchk; nothing here prints or exits. */
#ifndef VMI_AOT_ROMCHK_H
#define VMI_AOT_ROMCHK_H

#include <stddef.h>
#include <stdint.h>

#include "aot_err.h"
#include "vmi_abi.h"

#define ROMCHK_MAX_FINDINGS 256
#define ROMCHK_MAX_ROUTINES 400

struct romchk_finding {
    long off;                  /* ROM offset the finding is about, or -1 */
    char where[48];            /* routine or structure, "" when none */
    char msg[480];
};

enum romchk_kind { RK_ENTRY, RK_ROUTINE, RK_HELPER, RK_INLINE, RK_VARIANT };

/* One line of the report. */
struct romchk_routine {
    enum romchk_kind kind;
    int call;                  /* -1 for the fixed entries and helpers */
    char name[48];
    uint32_t off;
    uint32_t len;              /* bytes decoded (routine) or body length (inline) */
    uint8_t reloc_type;        /* GetRelocationInfo's answer for a routine */
    uint8_t writes;            /* VMI_CLOBBER_* the code changes */
    uint8_t declared;          /* inline: the entry's clobbers; routine: the call's */
    uint8_t nrelocs;
    uint32_t variant_value;
    unsigned findings;
};

struct romchk_summary {
    uint8_t writes;            /* registers changed at return (or at the body's end) */
    int returns;
    unsigned pops;             /* bytes the ret imm16 drops beyond the return address */
    uint32_t extent;           /* bytes of instructions decoded */
};

#define ROMCHK_MAX_HELPERS 64

struct romchk {
    const char *file;
    const uint8_t *img;
    uint32_t size;             /* bytes in the file */
    uint32_t rom_size;         /* rom_length * 512, once checked */
    uint32_t virtual_top;
    int native;                /* privileged instructions allowed */
    int flavor_forced;         /* --flavor given */
    uint32_t gate_addr;        /* virtual_top + offsetof(struct vmi_pv_state, gate) */
    /* GetRelocationInfo's answers, executed at two bases */
    int reloc_done;
    uint8_t reloc_type[256];
    uint32_t reloc_off[256];
    /* the inline table, when present and sound */
    int has_table;
    uint32_t table_off;
    unsigned entries, relocs;
    struct romchk_finding findings[ROMCHK_MAX_FINDINGS];
    unsigned nfindings;
    unsigned dropped;
    struct romchk_routine routines[ROMCHK_MAX_ROUTINES];
    unsigned nroutines;
    /* summaries of the code that routines call, analysed once */
    struct { uint32_t off; int busy; struct romchk_summary s; } helpers[ROMCHK_MAX_HELPERS];
    unsigned nhelpers;
};

/* romchk_util.c */
void romchk_add(struct romchk *c, long off, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
uint32_t romchk_rd16(const struct romchk *c, uint32_t off);
uint32_t romchk_rd32(const struct romchk *c, uint32_t off);
void romchk_clobber_text(uint8_t mask, char *buf, size_t cap);
struct romchk_routine *romchk_routine_add(struct romchk *c, enum romchk_kind kind, int call,
                                          const char *name, uint32_t off);

/* romchk_layout.c: header, checksum, signatures, license, PCI and PnP structures, the 16-bit
 * init entry, the inline table's own structure.  Returns -1 when the image is too broken to look
 * at its code. */
int romchk_layout(struct romchk *c);

/* romchk_emu.c: runs the 32-bit code at entry (a ROM offset) with the image placed at base, EAX =
 * eax_in, until it returns; *eax, *edx receive the registers.  Returns -1 with err set (the reason
 * alone, no file: a caller words it into a finding or an error) when the code leaves the small
 * instruction subset the emulator knows, or the image. */
int romchk_emu_call(const uint8_t *img, uint32_t size, uint32_t base, uint32_t entry,
                    uint32_t eax_in, uint32_t *eax, uint32_t *edx, struct aot_err *err);

/* romchk_code.c */
struct romchk_body {
    int is_inline;             /* an inline body: [off, off + len), ends at its end, no ret */
    uint32_t len;
    uint32_t rel_fields[16];   /* inline: offsets (from off) of rel32 fields leaving the body */
    unsigned nrel;
};

/* Decodes and analyses the code at off: clean decoding, control flow inside the image, push/pop
 * balance, registers written (a pushed register popped back is preserved), privileged
 * instructions when !c->native, stack accesses of an inline body.  Findings name `where`. */
int romchk_code(struct romchk *c, uint32_t off, struct romchk_body *body, const char *where,
                struct romchk_summary *out);

/* The privileged or IOPL-sensitive instruction test used for the pv flavor (Zydis mnemonic and
 * attributes). */
int romchk_is_sensitive(unsigned mnemonic, uint64_t attributes);

#endif /* VMI_AOT_ROMCHK_H */
/* SPDX-License-Identifier: GPL-2.0-only */
