#!/usr/bin/env bash
# One command for the demo: installs the tools, builds everything, seeds the reference portal
# (a new database only: one with data is served as it is) and serves it with the widget on
# http://127.0.0.1:8080 (printable stamps at /stamps/).
# TEM_ADDR and TEM_BASE_URL override the address and the URL the stamps point at
# (e.g. TEM_ADDR=0.0.0.0:8080 TEM_BASE_URL=http://192.168.1.20:8080 to scan from a phone).
# The demo shop (/shop/) is a retailer's page: opened under the port's other loopback name
# (http://localhost:8080/shop/) it is another origin, allowed to embed the widget.
set -euo pipefail
cd "$(dirname "$0")/.."

addr="${TEM_ADDR:-127.0.0.1:8080}"
base_url="${TEM_BASE_URL:-http://$addr}"
shop="http://localhost:${addr##*:}"
# EPCIS capture checks documents against the official schema, in the shared corpus ($TEM_SHARED,
# else beside the checkout); without it the portal serves everything but capture.
schema="${TEM_SHARED:-../shared}/corpus/epcis/EPCIS-JSON-Schema.json"
capture=()
if [ -f "$schema" ]; then capture=(--epcis-schema "$schema"); fi

scripts/setup.sh
scripts/build.sh
echo
echo "tem demo: http://$addr/   printable stamps: http://$addr/stamps/   demo shop: $shop/shop/   (Ctrl-C to stop)"
exec target/release/tem-portal --addr "$addr" --base-url "$base_url" \
  --db var/portal.sqlite --seed demo --www www --pkg pkg --stamps var/stamps --embed-origin "$shop" \
  "${capture[@]}"
