#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make install / make uninstall (mk/install.mk, docs/install.md).
#
#   install.sh install DESTDIR MANIFEST [--subst NAME=VALUE]... ENTRY...
#   install.sh uninstall DESTDIR MANIFEST
#
# ENTRY is SRC:DIR:MODE[:NAME]: SRC installed as DESTDIR/DIR/NAME (NAME defaults to SRC's base
# name) with MODE.  A SRC ending in .in is installed with each @NAME@ of the --subst list replaced
# (the pkg-config files).  MANIFEST (a path without DESTDIR, under the data directory) records
# every file installed ("f PATH") and every directory install had to create ("d PATH"); it is
# merged with the manifest of an earlier install, so that uninstall, which reads it, removes
# exactly what the installs put there: the files, then the manifest, then those directories when
# they are empty.  Errors: one line naming the file, exit 1; bad arguments exit 2.
set -u
me=install.sh

die() { echo "$me: $*" >&2; exit 1; }
usage() { echo "usage: $me install DESTDIR MANIFEST [--subst NAME=VALUE]... ENTRY..." >&2
          echo "       $me uninstall DESTDIR MANIFEST" >&2; exit 2; }

[ $# -ge 3 ] || usage
cmd=$1 destdir=$2 manifest=$3
shift 3
case "$manifest" in /*) ;; *) echo "$me: manifest '$manifest': not an absolute path" >&2; exit 2 ;; esac

declare -a created=()       # directories this run created, parents first
tmp=""                      # the scratch file of install (removed at exit)
declare -A seen=()          # manifest lines already recorded

# Creates DESTDIR/DIR, noting each directory level that did not exist yet.
make_dir() {
    local dir=$1 path="" part
    local -a parts
    IFS=/ read -r -a parts <<< "${dir#/}"
    for part in "${parts[@]}"; do
        [ -n "$part" ] || continue
        path="$path/$part"
        if [ ! -d "$destdir$path" ]; then
            mkdir "$destdir$path" || die "$destdir$path: cannot create the directory"
            created+=("$path")
        fi
    done
}

# SRC with every @NAME@ of the substitutions replaced, into the file OUT.
substitute() {
    local src=$1 out=$2 sedargs=() pair name value
    for pair in "${substs[@]}"; do
        name=${pair%%=*} value=${pair#*=}
        value=${value//\\/\\\\}; value=${value//|/\\|}; value=${value//&/\\&}
        sedargs+=(-e "s|@${name}@|${value}|g")
    done
    sed "${sedargs[@]}" "$src" > "$out" || die "$src: cannot substitute into $out"
    if grep -q '@[a-z_]*@' "$out"; then
        die "$src: $(grep -o '@[a-z_]*@' "$out" | head -1) has no --subst value"
    fi
}

do_install() {
    local -a substs=() entries=()
    while [ $# -gt 0 ]; do
        case "$1" in
            --subst) [ $# -ge 2 ] || usage; substs+=("$2"); shift 2 ;;
            --subst=*) substs+=("${1#--subst=}"); shift ;;
            *) entries+=("$1"); shift ;;
        esac
    done
    local lines=() entry src dir mode name target n=0
    # DESTDIR is a staging root, not part of what is installed: made, never recorded.
    [ -z "$destdir" ] || mkdir -p "$destdir" || die "$destdir: cannot create DESTDIR"
    if [ -f "$destdir$manifest" ]; then
        while read -r line; do lines+=("$line"); seen[$line]=1; done < "$destdir$manifest"
    fi
    tmp=$(mktemp) || die "cannot create a temporary file"
    trap 'rm -f "$tmp"' EXIT
    for entry in "${entries[@]}"; do
        IFS=: read -r src dir mode name <<< "$entry"
        [ -n "$src" ] && [ -n "$dir" ] && [ -n "$mode" ] || die "entry '$entry': expected SRC:DIR:MODE[:NAME]"
        [ -f "$src" ] || die "$src: no such file (entry '$entry')"
        name=${name:-$(basename "$src")}
        make_dir "$dir"
        target="$dir/$name"
        if [ "${src%.in}" != "$src" ]; then
            substitute "$src" "$tmp"
            install -m "$mode" "$tmp" "$destdir$target" || die "$destdir$target: cannot install"
        else
            install -m "$mode" "$src" "$destdir$target" || die "$destdir$target: cannot install"
        fi
        [ -n "${seen["f $target"]:-}" ] || { lines+=("f $target"); seen["f $target"]=1; }
        n=$((n + 1))
    done
    make_dir "$(dirname "$manifest")"
    for d in "${created[@]}"; do
        [ -n "${seen["d $d"]:-}" ] || { lines+=("d $d"); seen["d $d"]=1; }
    done
    printf '%s\n' "${lines[@]}" > "$tmp" || die "$tmp: cannot write"
    install -m 644 "$tmp" "$destdir$manifest.tmp" && mv "$destdir$manifest.tmp" "$destdir$manifest" \
        || die "$destdir$manifest: cannot write the manifest"
    echo "installed $n files under ${destdir:-/} (manifest: $manifest)"
}

do_uninstall() {
    [ $# -eq 0 ] || usage
    [ -f "$destdir$manifest" ] || die "$destdir$manifest: no manifest (nothing installed there?)"
    local -a files=() dirs=()
    local kind path n=0 i
    while read -r kind path; do
        case "$kind" in
            f) files+=("$path") ;;
            d) dirs+=("$path") ;;
            *) die "$destdir$manifest: unexpected line '$kind $path'" ;;
        esac
    done < "$destdir$manifest"
    for path in "${files[@]}"; do
        if [ -e "$destdir$path" ] || [ -L "$destdir$path" ]; then
            rm -f "$destdir$path" || die "$destdir$path: cannot remove"
            n=$((n + 1))
        fi
    done
    rm -f "$destdir$manifest" || die "$destdir$manifest: cannot remove"
    # Deepest first: a directory's subdirectories go before it.
    for ((i = ${#dirs[@]} - 1; i >= 0; i--)); do
        path=${dirs[$i]}
        [ -d "$destdir$path" ] || continue
        if [ -n "$(ls -A "$destdir$path")" ]; then
            echo "$me: kept $destdir$path: it holds files not installed here"
        else
            rmdir "$destdir$path" || die "$destdir$path: cannot remove"
        fi
    done
    echo "removed $n files under ${destdir:-/}"
}

case "$cmd" in
    install) do_install "$@" ;;
    uninstall) do_uninstall "$@" ;;
    *) usage ;;
esac
