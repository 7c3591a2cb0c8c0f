#!/bin/sh
# Build the crate into a target folder outside the checkout and run it: the --impl command
#     pytest tests/spec --impl "cmd:sh examples/starters/rust/run.sh"
# The harness runs it in its box, which shows only the system's folders: this needs a cargo there
# (Debian's, /usr/bin/cargo). With rustup's cargo in your home, build first and name the binary:
#     cargo build --release --manifest-path examples/starters/rust/Cargo.toml --target-dir /tmp/nn-rust
#     pytest tests/spec --impl "cmd:/tmp/nn-rust/release/nn"
set -e
here=$(dirname "$0")
command -v cargo >/dev/null 2>&1 || { echo "run.sh: no cargo in the box's view (see the comment in $0)" >&2; exit 1; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/nn-rust-target}"
cargo build --release --quiet --offline --manifest-path "$here/Cargo.toml" >&2
exec "$CARGO_TARGET_DIR/release/nn"
