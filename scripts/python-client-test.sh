#!/usr/bin/env bash
# The Python client (clients/python): installed into a fresh virtual environment as a user
# would, checked with mypy --strict, and tested with pytest against the built server binary
# (target/debug/strongbox, which the Rust tests build; STRONGBOX_BIN overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv=target/python-client-venv
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "./clients/python[test]"
export STRONGBOX_BIN=${STRONGBOX_BIN:-$root/target/debug/strongbox}
cd clients/python
"$root/$venv/bin/mypy" --strict src/strongbox tests
# The tests import the installed package, not src/.
"$root/$venv/bin/pytest" -q -p no:cacheprovider
