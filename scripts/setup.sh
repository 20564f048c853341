#!/bin/sh
# Installs every Debian package wafer needs. Idempotent: when everything is
# already installed it does nothing (no apt-get update, no network).
set -eu
PKGS="llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools libonnx-dev \
libprotobuf-dev protobuf-compiler libabsl-dev libgtest-dev libgmock-dev \
libbenchmark-dev pybind11-dev python3-numpy python3-onnx python3-pytest \
libonnx-testdata ninja-build cmake g++ zlib1g-dev libzstd-dev libcurl4-openssl-dev libedit-dev libxml2-dev libffi-dev"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  exit 0
fi
echo "wafer setup: installing$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
