/* The project's version: the one place it is set.  Every installed program's --version, every JSON
 * document's "version", the pkg-config files and the man pages take it from here (the Makefile
 * reads VMI_VERSION out of this file). */
#ifndef VMI_VERSION_H
#define VMI_VERSION_H

#define VMI_VERSION "1.1.0"

#endif
