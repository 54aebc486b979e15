#!/usr/bin/env bash
# Fuzz tem-core's parsers and tem-scan's camera-frame pass for a bounded time per target.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# SECONDS_PER_TARGET defaults to 30; targets default to all of crates/*/fuzz. Needs the
# nightly toolchain; installs cargo-fuzz when it is missing. A crash fails the run and leaves
# its input in crates/<crate>/fuzz/artifacts/<target>/: keep it as a regression test.
set -euo pipefail

seconds="${1:-30}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: $0 [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

wanted() { [ "${#requested[@]}" -eq 0 ] || printf '%s\n' "${requested[@]}" | grep -qx "$1"; }
requested=("$@")

for crate in "$root"/crates/*/; do
  [ -d "$crate/fuzz" ] || continue
  cd "$crate"
  mapfile -t targets < <(cargo +nightly fuzz list)
  for target in "${targets[@]}"; do
    wanted "$target" || continue
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    seeds=()
    [ -d "fuzz/seeds/$target" ] && seeds+=("fuzz/seeds/$target")
    # Stamps fit in a QR code; EPCIS documents and images are larger. The shared EPCIS
    # examples, when the checkout sits next to them, seed the EPCIS target (read only: new
    # inputs go to $corpus).
    max_len=8192
    case "$target" in
      epcis)
        max_len=262144
        shared="${TEM_SHARED:-$root/../shared}"
        [ -d "$shared/corpus/epcis" ] && seeds+=("$shared/corpus/epcis")
        ;;
      frame) max_len=65536 ;;
    esac
    echo "fuzzing $target for ${seconds}s"
    cargo +nightly fuzz run "$target" "$corpus" "${seeds[@]}" -- \
      -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -print_final_stats=1
  done
done
