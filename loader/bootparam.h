/* struct boot_params ("the zero page") of the Linux x86 boot protocol, version 2.10 (Linux
 * 2.6.32): the fields the loader fills, at the offsets the protocol defines (docs/loader.md lists
 * them); everything else stays zero.  The offsets are asserted below. */
#ifndef LOADER_BOOTPARAM_H
#define LOADER_BOOTPARAM_H

#include <stdint.h>

#define E820_MAX      128
#define E820_RAM      1
#define E820_RESERVED_TYPE 2

#define BOOT_FLAG     0xaa55
#define BOOT_HDRS     0x53726448u   /* "HdrS" */
#define BOOT_VERSION  0x020a        /* protocol 2.10, what 2.6.32's header.S announces */
#define LOADER_TYPE_UNDEFINED 0xff  /* type_of_loader: a boot loader without an assigned id */
#define LOADED_HIGH   0x01          /* loadflags: the protected-mode kernel is at 0x100000+ */
#define INITRD_ADDR_MAX_DEFAULT 0x37ffffffu  /* protocol < 2.03's limit; header.S says 0x7fffffff */

struct e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

struct setup_header {
    uint8_t  setup_sects;           /* 0x1f1 */
    uint16_t root_flags;
    uint32_t syssize;
    uint16_t ram_size;
    uint16_t vid_mode;
    uint16_t root_dev;
    uint16_t boot_flag;             /* 0x1fe */
    uint16_t jump;
    uint32_t header;                /* 0x202 */
    uint16_t version;               /* 0x206 */
    uint32_t realmode_swtch;
    uint16_t start_sys;
    uint16_t kernel_version;
    uint8_t  type_of_loader;        /* 0x210 */
    uint8_t  loadflags;             /* 0x211 */
    uint16_t setup_move_size;
    uint32_t code32_start;          /* 0x214 */
    uint32_t ramdisk_image;         /* 0x218 */
    uint32_t ramdisk_size;          /* 0x21c */
    uint32_t bootsect_kludge;
    uint16_t heap_end_ptr;
    uint16_t pad1;
    uint32_t cmd_line_ptr;          /* 0x228 */
    uint32_t initrd_addr_max;       /* 0x22c */
    uint32_t kernel_alignment;
    uint8_t  relocatable_kernel;
    uint8_t  pad2[3];
    uint32_t cmdline_size;          /* 0x238 */
    uint32_t hardware_subarch;      /* 0x23c */
    uint64_t hardware_subarch_data;
    uint32_t payload_offset;
    uint32_t payload_length;
    uint64_t setup_data;            /* 0x250 */
} __attribute__((packed));

struct boot_params {
    uint8_t  screen_info[0x40];     /* 0x000 */
    uint8_t  apm_bios_info[0x14];   /* 0x040 */
    uint8_t  pad2[4];
    uint64_t tboot_addr;            /* 0x058 */
    uint8_t  ist_info[0x10];        /* 0x060 */
    uint8_t  pad3[16];
    uint8_t  hd0_info[16];          /* 0x080 */
    uint8_t  hd1_info[16];
    uint8_t  sys_desc_table[0x10];  /* 0x0a0 */
    uint8_t  pad4[144];
    uint8_t  edid_info[0x80];       /* 0x140 */
    uint8_t  efi_info[0x20];        /* 0x1c0 */
    uint32_t alt_mem_k;             /* 0x1e0 */
    uint32_t scratch;
    uint8_t  e820_entries;          /* 0x1e8 */
    uint8_t  eddbuf_entries;
    uint8_t  edd_mbr_sig_buf_entries;
    uint8_t  pad6[6];
    struct setup_header hdr;        /* 0x1f1 */
    uint8_t  pad7[0x290 - 0x1f1 - sizeof(struct setup_header)];
    uint32_t edd_mbr_sig_buffer[16];/* 0x290 */
    struct e820_entry e820_map[E820_MAX]; /* 0x2d0 */
    uint8_t  pad8[48];              /* 0xcd0 */
    uint8_t  eddbuf[0x1ec];         /* 0xd00 */
    uint8_t  pad9[276];             /* 0xeec */
} __attribute__((packed));

_Static_assert(sizeof(struct e820_entry) == 20, "e820 entry");
_Static_assert(__builtin_offsetof(struct boot_params, alt_mem_k) == 0x1e0, "alt_mem_k");
_Static_assert(__builtin_offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(__builtin_offsetof(struct boot_params, hdr) == 0x1f1, "hdr");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.boot_flag) == 0x1fe, "boot_flag");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.header) == 0x202, "header");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.version) == 0x206, "version");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.type_of_loader) == 0x210, "type_of_loader");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.loadflags) == 0x211, "loadflags");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.code32_start) == 0x214, "code32_start");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.cmdline_size) == 0x238, "cmdline_size");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.hardware_subarch) == 0x23c, "hardware_subarch");
_Static_assert(__builtin_offsetof(struct boot_params, hdr.setup_data) == 0x250, "setup_data");
_Static_assert(__builtin_offsetof(struct boot_params, edd_mbr_sig_buffer) == 0x290, "edd_mbr_sig_buffer");
_Static_assert(__builtin_offsetof(struct boot_params, e820_map) == 0x2d0, "e820_map");
_Static_assert(__builtin_offsetof(struct boot_params, eddbuf) == 0xd00, "eddbuf");
_Static_assert(sizeof(struct boot_params) == 4096, "the zero page is one page");

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
