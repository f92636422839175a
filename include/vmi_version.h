/* The project's version: the one place it is set.  vmi-prof's --version and its JSON's "version"
 * take it from here; every other program's --version, the pkg-config files and the man pages are
 * to take it from here too when they are added. */
#ifndef VMI_VERSION_H
#define VMI_VERSION_H

#define VMI_VERSION "1.1.0"

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
