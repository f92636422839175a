/* <sys/mman.h> for the hosted programs that map a ROM or a stand-in for RAM at a fixed address
 * (the harness and its monitor, the live re-patching test, the ROM relocation test, vmi-prof's
 * engine, the hosted loader): MAP_FIXED_NOREPLACE maps only where nothing is mapped yet, so a
 * clash is an error instead of a silent overwrite.  Linux has the flag since 4.17; older C
 * libraries' headers lack it, and this is the one place that supplies its value. */
#ifndef VMI_HOST_MMAN_H
#define VMI_HOST_MMAN_H

#include <sys/mman.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#endif /* VMI_HOST_MMAN_H */
/* SPDX-License-Identifier: GPL-2.0-only */
