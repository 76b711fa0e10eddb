#!/bin/bash
# Installs every Debian 12 package Tollgate needs to build, test, benchmark and run.
# Runs apt-get as root, through sudo when called by a user.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
PACKAGES=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  clang clang-format libclang-rt-14-dev
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev libqt6sql6-sqlite qt6-svg-dev libxkbcommon-dev
  libcurl4-openssl-dev libssl-dev libasio-dev libyaml-cpp-dev libsqlite3-dev nlohmann-json3-dev libdtl-dev
  xvfb xauth fonts-dejavu-core
  nginx-light wrk curl procps python3
  # the Debian package and its test: dpkg-shlibdeps, desktop-file-validate, appstreamcli, file
  dpkg-dev desktop-file-utils appstream file
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
