#!/bin/sh
# Build the crate into a target folder outside the checkout and run it: the --impl command
#     pytest tests/spec --impl "cmd:sh examples/starters/rust/run.sh"
set -e
here=$(dirname "$0")
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/nn-rust-target}"
cargo build --release --quiet --offline --manifest-path "$here/Cargo.toml" >&2
exec "$CARGO_TARGET_DIR/release/nn"
