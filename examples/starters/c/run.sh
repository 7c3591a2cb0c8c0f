#!/bin/sh
# Build nn.c into a folder of its own (never beside the source) and run it: the --impl command
#     pytest tests/spec --impl "cmd:sh examples/starters/c/run.sh"
set -e
here=$(dirname "$0")
out=$(mktemp -d "${TMPDIR:-/tmp}/nn-c.XXXXXX")
gcc -O2 -std=c99 -Wall -o "$out/nn" "$here/nn.c" -lm >&2
exec "$out/nn"
