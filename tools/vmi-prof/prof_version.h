/* vmi-prof's name and JSON layout; its version is the project's (include/vmi_version.h). */
#ifndef VMI_PROF_VERSION_H
#define VMI_PROF_VERSION_H

#include "vmi_version.h"

#define PROF_TOOL    "vmi-prof"
/* the JSON layout's name; a new layout gets a new number */
#define PROF_SCHEMA  "vmi-prof.result/2"

#endif
/* SPDX-License-Identifier: GPL-2.0-only */
