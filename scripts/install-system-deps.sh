#!/usr/bin/env bash
# Installs the Debian packages medscale's tests and benchmarks use as real peers and fixtures:
# dcmtk (storescu, dcmdump), dcm2niix (NIfTI reference), python3-pydicom (its real DICOM test
# files in every transfer syntax). Skips what is already installed; uses sudo when not root.
set -euo pipefail
packages=(dcmtk dcm2niix python3-pydicom)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
