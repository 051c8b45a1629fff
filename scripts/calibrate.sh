#!/usr/bin/env bash
# Time a real Nix on this machine and print the medians (YAML) on stdout, for
# `rootrace calibrate --timings`, which turns them into a cost file:
#   bash scripts/calibrate.sh > timings.yaml && rootrace calibrate --timings timings.yaml > costs.yaml
#   rootrace run race-a --costs costs.yaml
# It times the commands of shared/real-nix-2.8.md (median of N runs each); the arithmetic from
# timings to costs is src/scenarios/calibrate.ts, the one that gives the defaults. It needs a
# working Nix (nix-instantiate, nix-store) and a writable store; it adds a few tiny derivations
# and GCs them. With a writable store of its own (root), it also times NIX_REMOTE=local.
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
localv=""
if [ -w /nix/var/nix/db ]; then
  localv=$(for i in $(seq "$N"); do NIX_REMOTE=local ms nix-instantiate "$work/a.nix" --argstr n fixed; done | median)
fi
echo "# measured by scripts/calibrate.sh on $(hostname) with $(nix-store --version | head -1), medians of $N (ms)"
echo "timings:"
echo "  instantiateFresh: $fresh"
echo "  instantiateValid: $valid"
[ -n "$localv" ] && echo "  localInstantiateValid: $localv"
echo "  realise: $build"
echo "  gcEmpty: $gc0"
echo "  gc20: $gc20"
