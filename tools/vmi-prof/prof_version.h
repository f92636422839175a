/* vmi-prof's version: the one place it is set (--version, the JSON's "version"). */
#ifndef VMI_PROF_VERSION_H
#define VMI_PROF_VERSION_H

#define PROF_TOOL    "vmi-prof"
#define PROF_VERSION "1.1.0"
/* the JSON layout's name; a new layout gets a new number */
#define PROF_SCHEMA  "vmi-prof.result/2"

#endif
