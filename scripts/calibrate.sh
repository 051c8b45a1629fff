#!/usr/bin/env bash
# Measure a real Nix on this machine and print a rootrace cost file (YAML) on stdout:
#   bash scripts/calibrate.sh > my-costs.yaml && rootrace run race-a --costs my-costs.yaml
# It times the commands of shared/real-nix-2.8.md (median of N runs each) and derives every
# field of src/messages/costs.ts the same way DEFAULT_COSTS was derived. It needs a working Nix
# (nix-instantiate, nix-store) and a writable store; it adds a few tiny derivations and GCs them.
set -euo pipefail
N=${N:-21}
for c in nix-instantiate nix-store; do
  command -v "$c" >/dev/null || { echo "calibrate: '$c' not found: install Nix (or run where it is installed)" >&2; exit 2; }
done
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1000}'; }
cat > "$work/a.nix" <<'NIX'
{ n ? "0" }: derivation { name = "rootrace-cal-${n}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo ${n} > $out" ]; }
NIX
fresh=$(for i in $(seq "$N"); do ms nix-instantiate "$work/a.nix" --argstr n "$RANDOM$i"; done | median)
valid=$(for i in $(seq "$N"); do ms nix-instantiate "$work/a.nix" --argstr n fixed; done | median)
build=$(for i in $(seq "$N"); do d=$(nix-instantiate "$work/a.nix" --argstr n "b$RANDOM$i" 2>/dev/null); ms nix-store -r "$d"; done | median)
gc0=$(for i in $(seq "$N"); do ms nix-store --gc --max-freed 0; done | median)
gc20=$(for i in $(seq "$N"); do for j in $(seq 20); do nix-instantiate "$work/a.nix" --argstr n "g$i-$j" >/dev/null 2>&1; done; ms nix-store --gc; done | median)
# The same arithmetic as DEFAULT_COSTS (src/messages/costs.ts): start-up and connect from a valid
# instantiate, a write from fresh − valid, the builder from -r, the GC's scan and per-path cost.
awk -v f="$fresh" -v v="$valid" -v b="$build" -v g0="$gc0" -v g20="$gc20" 'BEGIN {
  op = 0.3; connect = 3; start = v - connect - 3 * op; write = (f - v) / 2; if (write < 0) write = 0;
  printf "# rootrace cost file, measured by scripts/calibrate.sh (medians in ms)\n";
  printf "# nix-instantiate fresh %.1f, valid %.1f; nix-store -r %.1f; --gc empty %.1f, 20 dead %.1f\n", f, v, b, g0, g20;
  printf "costs:\n  processStart: %.2f\n  daemonConnect: %.2f\n  op: %.2f\n  addToStore: %.2f\n", start, connect, op, write;
  printf "  build: %.2f\n  gcRoots: %.2f\n  gcVisit: 0.01\n  gcDelete: %.3f\n  jitter: 0.1\n", b - v, g0 - start - connect, (g20 - g0) / 20;
}'
