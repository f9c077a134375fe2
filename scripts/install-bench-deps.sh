#!/usr/bin/env bash
# Installs the Debian packages the benchmarks compare against (not needed by the tests):
# python3-skimage (scikit-image's marching_cubes, the peer of bench/reconstruct-surface.bench.ts)
# and python3-vtk9 (VTK, an independent reader of every mesh format; the mesh read-back test uses
# it when present). Skips what is already installed; uses sudo when not root.
set -euo pipefail
packages=(python3-skimage python3-vtk9)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "bench packages present: ${packages[*]}"; exit 0; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
