/* Disassembly of site bytes with Zydis 4, 32-bit legacy mode, Intel syntax (objdump -M intel
 * style: destination first, "dword ptr" on every memory operand, lower-case hex; relative branch
 * targets as absolute addresses).  Intel rather than AT&T because Zydis 4's AT&T formatter
 * prints no operand-size suffixes ("nop %eax, (%eax)" for nopl), which is ambiguous; its Intel
 * output states every size. */
#ifndef VMI_AOT_DISASM_H
#define VMI_AOT_DISASM_H

#include <stddef.h>
#include <stdint.h>

#include <Zydis/Zydis.h>

struct aot_disasm {
    ZydisDecoder dec;
    ZydisFormatter fmt;
};

struct aot_insn {
    uint8_t len;            /* bytes; 0 when nothing decodes within the bytes given */
    uint8_t relative;       /* a relative branch or call: target is set */
    uint8_t is_ret;         /* ret, iret, sysexit and the like (ZYDIS_CATEGORY_RET / system) */
    uint8_t is_branch;      /* a jump or call of any kind */
    uint32_t target;        /* absolute target of a relative branch */
    ZydisMnemonic mnemonic;
    char text[96];          /* formatted, when asked for */
};

/* 0, or -1 when Zydis refuses (only on a broken build). */
int aot_disasm_init(struct aot_disasm *d);

/* Decodes one instruction from b[0..len) at address addr; with want_text also formats it.
 * Returns 0, or -1 when no instruction decodes within len bytes (out->len = 0). */
int aot_disasm_one(const struct aot_disasm *d, const uint8_t *b, size_t len, uint32_t addr,
                   struct aot_insn *out, int want_text);

/* Formats b[0..len) as instructions joined by "; ", bytes that don't decode as whole
 * instructions inside len as ".byte 0x.., 0x..".  Returns how many bytes decoded as whole
 * instructions from the start (len when the bytes end on an instruction boundary).  buf is
 * always NUL-terminated; text is cut at bufsz. */
size_t aot_disasm_text(const struct aot_disasm *d, const uint8_t *b, size_t len, uint32_t addr,
                       char *buf, size_t bufsz);

/* A memo of formatted sites keyed by their bytes, for listings of many sites: most sites of a
 * kernel repeat a few dozen byte patterns (the native sequences).  Sites with a relative branch
 * format differently at every address and are not memoized.  Fixed size; when full, further
 * patterns are formatted each time. */
#define AOT_DISASM_MEMO_SLOTS 4096
struct aot_disasm_memo_slot {
    uint8_t len;            /* 0: empty */
    uint8_t whole;
    uint8_t bytes[255];
    char *text;
};
struct aot_disasm_memo {
    struct aot_disasm_memo_slot *slots;     /* AOT_DISASM_MEMO_SLOTS, or NULL: no memo */
    size_t used;
    char buf[1024];                         /* the answer for an unmemoized site */
};

void aot_disasm_memo_init(struct aot_disasm_memo *m);
void aot_disasm_memo_free(struct aot_disasm_memo *m);

/* As aot_disasm_text (len <= 255); the text stays valid until the next call or the memo's free.
 * *whole gets the number of bytes that decoded as whole instructions. */
const char *aot_disasm_memo_text(struct aot_disasm_memo *m, const struct aot_disasm *d,
                                 const uint8_t *b, size_t len, uint32_t addr, size_t *whole);

#endif /* VMI_AOT_DISASM_H */
/* SPDX-License-Identifier: GPL-2.0-only */
