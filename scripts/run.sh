#!/usr/bin/env bash
# The main job: install what is missing, build scour, index the home corpus and search it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target scour_cli scour_python
# The Python module goes into Debian python3's site-packages, so `import scour` works anywhere
# (docs/PYTHON.md; PYTHONPATH=build/release/python uses the build tree instead).
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO cmake --install build/release --component scour_python >/dev/null
SCOUR=build/release/cli/scour
INDEX=build/release/home-index
rm -rf "$INDEX"
"$SCOUR" index --index "$INDEX" corpus/party_state.jsonl
# The home corpus's synonyms, mined and reviewed (docs/SYNONYMS.md): every query uses them.
"$SCOUR" synonyms set --index "$INDEX" corpus/synonyms.txt
"$SCOUR" stats --index "$INDEX"
for q in '"united front"' 'party committee 2008'; do
  echo
  echo "\$ scour search --index $INDEX --fields company -k 5 '$q'"
  "$SCOUR" search --index "$INDEX" --fields company -k 5 "$q"
done
echo
echo "\$ python3 -c 'import scour; ...search(\"united front\", k=3)...'"
(cd / && /usr/bin/python3 -c "
import scour
with scour.Searcher('$PWD/$INDEX') as s:
    for h in s.search('\"united front\"', k=3):
        print(f'{h.id:24} {h.score:.4f}  {h.fields[\"company\"]}')
")
