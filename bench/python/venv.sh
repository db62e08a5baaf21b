#!/usr/bin/env bash
# Usage: bench/python/venv.sh DIR
# Creates (or reuses) a virtualenv in DIR with requirements.txt installed and prints the
# venv's python path as the LAST line of stdout. Everything else goes to stderr.
# Reuse is decided by a stamp file holding a hash of requirements.txt + the base interpreter
# version; delete DIR/.kvl-requirements.stamp (or set KVL_VENV_FORCE=1) to force a reinstall.
# Exit 0 when at least numpy and onnxruntime import; a package that fails to install is
# named on stderr (and again on every reuse) but does not fail the script.
set -uo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi
dir=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
req=$here/requirements.txt
stamp=$dir/.kvl-requirements.stamp

# Base interpreter: $PYTHON, else python3.11, else python3.
base=${PYTHON:-}
if [ -z "$base" ]; then
    base=$(command -v python3.11 || command -v python3 || true)
fi
if [ -z "$base" ]; then
    echo "venv.sh: no python3 interpreter found (set PYTHON=...)" >&2
    exit 1
fi
base_version=$("$base" -c 'import sys; print(sys.version.split()[0])') || {
    echo "venv.sh: $base does not run" >&2
    exit 1
}
hash=$( { cat "$req"; echo "python=$base_version"; } | sha256sum | cut -d' ' -f1)
py=$dir/bin/python

# Fast path: same requirements, same interpreter, venv still works.
if [ -z "${KVL_VENV_FORCE:-}" ] && [ -x "$py" ] && [ -f "$stamp" ] \
    && [ "$(head -n1 "$stamp")" = "$hash" ] && "$py" -c 'import numpy, onnxruntime' 2>/dev/null; then
    failed=$(sed -n 's/^failed=//p' "$stamp")
    if [ -n "$failed" ]; then
        echo "venv.sh: reusing $dir; these packages failed to install earlier: $failed" >&2
    fi
    echo "$py"
    exit 0
fi

echo "venv.sh: creating venv in $dir with $base ($base_version)" >&2
rm -f "$stamp"
# --clear only when the existing venv is of another Python version; otherwise upgrade in place.
clear=()
if [ -x "$py" ] && [ "$("$py" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null)" != "$base_version" ]; then
    clear=(--clear)
fi
"$base" -m venv "${clear[@]}" "$dir" >&2 || { echo "venv.sh: cannot create a venv in $dir" >&2; exit 1; }
pip=("$py" -m pip --disable-pip-version-check -q)

# One resolver run for everything; if that fails, one package at a time so the rest still land.
failed=()
if ! "${pip[@]}" install -r "$req" >&2; then
    echo "venv.sh: installing all requirements at once failed; trying one at a time" >&2
    while read -r line; do
        line=${line%%#*}
        line=$(echo "$line" | tr -d '[:space:]')
        [ -z "$line" ] && continue
        if ! "${pip[@]}" install "$line" >&2; then
            failed+=("$line")
        fi
    done <"$req"
fi

if [ ${#failed[@]} -gt 0 ]; then
    echo "venv.sh: could not install: ${failed[*]}" >&2
fi
if ! "$py" -c 'import numpy, onnxruntime' 2>/dev/null; then
    echo "venv.sh: numpy and onnxruntime are required but do not import in $dir; giving up" >&2
    exit 1
fi
{ echo "$hash"; echo "failed=${failed[*]}"; } >"$stamp"
echo "$py"
