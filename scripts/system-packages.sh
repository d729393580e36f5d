#!/usr/bin/env bash
# Install the Debian packages the project needs, when missing. Usage: system-packages.sh CMD...
# Each argument is a command; its package is looked up below. Needs root (CI and our machines
# run as root); elsewhere it prints the apt-get line to run.
set -euo pipefail

declare -A PACKAGE=(
  [chromium]=chromium
  [wrk]=wrk
  [msgfmt]=gettext
  [pg_ctlcluster]=postgresql-common
)

missing=()
for command in "$@"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${PACKAGE[$command]:-$command}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Not root: run 'sudo apt-get install -y ${missing[*]}' and try again." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
