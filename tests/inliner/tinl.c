/* Shared helpers of the inliner's unit tests. */
#include "tinl.h"

struct tsite tsite_std(uint32_t addr, uint8_t call)
{
    struct tsite s = { addr, call, vmi_call_table[call].reserve, vmi_call_table[call].clobbers,
                       (vmi_call_table[call].flags & VMI_CALL_F_JUMP) ? VMI_SITE_JUMP : 0, 0 };
    return s;
}

uint32_t trecords(uint8_t *buf, const struct tsite *s, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t *r = buf + 12 * i;
        uint32_t off = s[i].addr - (T_REC_ADDR + 12u * (uint32_t)i);
        memcpy(r, &off, 4);
        r[4] = s[i].call;
        r[5] = s[i].len;
        r[6] = s[i].clobbers;
        r[7] = s[i].flags;
        memcpy(r + 8, &s[i].cv, 4);
    }
    return 12u * (uint32_t)n;
}

void tread(struct vmi_site_table *table, const struct tsite *s, int n)
{
    static struct vmi_site_info infos[T_MAX_SITES];
    uint8_t buf[12 * T_MAX_SITES];
    struct vmi_error err;
    uint32_t bytes = trecords(buf, s, n);

    table->sites = infos;
    table->cap = T_MAX_SITES;
    assert_int_equal(vmi_sites_read(table, buf, T_REC_ADDR, bytes, &err), VMI_OK);
}

void tmkrom(struct vmi_rom *rom, uint8_t *img, const struct romgen_body *b, int n)
{
    struct romgen_spec spec = { 1, 0, b, n };
    struct vmi_error err;
    romgen_build(img, T_ROM_BASE, &spec);
    assert_int_equal(vmi_rom_probe(rom, img, ROMGEN_SIZE, T_ROM_BASE, 0, &err), VMI_OK);
}

void ttext(struct vmi_text *text, uint8_t *buf, const struct vmi_site_table *table)
{
    memset(buf, 0xcc, T_TEXT_SIZE);
    for (uint32_t i = 0; i < table->count; i++) {
        const struct vmi_site_info *s = &table->sites[i];
        assert_true(s->addr >= T_TEXT_BASE && s->addr + s->len <= T_TEXT_BASE + T_TEXT_SIZE);
        assert_int_not_equal(vmi_render_native(s->call, s->len, buf + (s->addr - T_TEXT_BASE)),
                             VMI_NO_SITE);
    }
    memset(text, 0, sizeof(*text));
    text->bytes = buf;
    text->base = T_TEXT_BASE;
    text->size = T_TEXT_SIZE;
}
/* SPDX-License-Identifier: GPL-2.0-only */
