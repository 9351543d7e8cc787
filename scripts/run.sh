#!/usr/bin/env bash
# The main job: install what is missing, build scour, index the home corpus and search it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target scour_cli
SCOUR=build/release/cli/scour
INDEX=build/release/home-index
rm -rf "$INDEX"
"$SCOUR" index --index "$INDEX" corpus/party_state.jsonl
"$SCOUR" stats --index "$INDEX"
for q in '"united front"' 'party committee 2008'; do
  echo
  echo "\$ scour search --index $INDEX --fields company -k 5 '$q'"
  "$SCOUR" search --index "$INDEX" --fields company -k 5 "$q"
done
