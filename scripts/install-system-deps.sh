#!/usr/bin/env bash
# Installs the Debian packages medscale's tests and benchmarks use as real peers and fixtures:
# dcmtk (storescu, dcmdump), dcm2niix (NIfTI reference), python3-pydicom (its real DICOM test
# files in every transfer syntax), orthanc + orthanc-dicomweb (a real DIMSE/DICOMweb peer, run only
# inside a private network namespace by test/support/orthanc.ts), redis-server (the BullMQ runner's
# tests start their own on a free loopback port), python3-meshio (an independent reader of the
# finite-element meshes medscale writes). Skips what is already installed;
# uses sudo when not root.
set -euo pipefail
packages=(dcmtk dcm2niix python3-pydicom orthanc orthanc-dicomweb redis-server python3-meshio)
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
# The orthanc package starts a system service on all interfaces (ports 4242, 8042); medscale's tests
# run their own Orthanc inside a private network namespace, so stop and disable the packaged one.
if dpkg-query -W -f='${Status}' orthanc 2>/dev/null | grep -q "install ok installed"; then
  { $SUDO systemctl disable --now orthanc || $SUDO service orthanc stop; } >/dev/null 2>&1 || true
fi
