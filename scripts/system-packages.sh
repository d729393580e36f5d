#!/usr/bin/env bash
# Install the Debian packages the project needs, when missing. Usage: system-packages.sh CMD...
# Each argument is a command (or an executable's absolute path); its package is looked up below. Needs root (CI and our machines
# run as root); elsewhere it prints the apt-get line to run.
set -euo pipefail

declare -A PACKAGE=(
  [chromium]=chromium
  [wrk]=wrk
  [espeak-ng]=espeak-ng
  [lame]=lame
  [msgfmt]=gettext
  [pg_ctlcluster]=postgresql-common
  [nginx]=nginx
  [spawn-fcgi]=spawn-fcgi
  [/usr/lib/iipimage-server/iipsrv.fcgi]=iipimage-server
  # WeasyPrint (printed labels) loads Pango and needs a font.
  [/usr/lib/x86_64-linux-gnu/libpango-1.0.so.0]=libpango-1.0-0
  [/usr/lib/x86_64-linux-gnu/libpangoft2-1.0.so.0]=libpangoft2-1.0-0
  [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]=fonts-dejavu-core
  # Search: the Swedish dictionary that compound words are split with.
  [/usr/share/hunspell/sv_SE.dic]=hunspell-sv
)

missing=()
for command in "$@"; do
  # An absolute path may name a library or data file, which is present but not executable.
  if [[ $command == /* && -e $command ]]; then continue; fi
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
