/* vmi-prof's name, version (the project's, include/vmi_version.h) and JSON layout. */
#ifndef VMI_PROF_VERSION_H
#define VMI_PROF_VERSION_H

#define PROF_TOOL    "vmi-prof"
#include "vmi_version.h"

#define PROF_VERSION VMI_VERSION
/* the JSON layout's name; a new layout gets a new number */
#define PROF_SCHEMA  "vmi-prof.result/2"

#endif
