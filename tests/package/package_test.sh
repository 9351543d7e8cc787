#!/usr/bin/env bash
# Installs a built scour to a staging prefix and checks the package from there, as a user would
# see it: installed files, header hygiene, exported symbols, find_package(scour) + the example,
# pkg-config + the example, and a link check of the whole public API.
# Usage: package_test.sh <build dir> <source dir> <work dir> <CMAKE_INSTALL_LIBDIR> <cmake> <c++>
#        <config>
set -euo pipefail

build=$1 src=$2 work=$3 libdir=$4 cmake=$5 cxx=$6 config=${7:-Release}
stage=$work/stage
lib=$stage/$libdir
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
step() { echo "== $*"; }

rm -rf "$work"
mkdir -p "$work"

step "install the library components to $stage"
for component in scour_runtime scour_development; do
  "$cmake" --install "$build" --prefix "$stage" --config "$config" --component "$component" \
    >"$work/install-$component.log"
done

step "installed files"
for f in "$libdir/cmake/scour/scourConfig.cmake" "$libdir/cmake/scour/scourConfigVersion.cmake" \
  "$libdir/cmake/scour/scourTargets.cmake" "$libdir/pkgconfig/scour.pc"; do
  [[ -f $stage/$f ]] || fail "missing $f"
done
for h in "$src"/include/scour/*.h; do
  cmp -s "$h" "$stage/include/scour/$(basename "$h")" || fail "header $(basename "$h") not installed"
done
[[ -L $lib/libscour.so ]] || fail "no libscour.so namelink"
soname=$(readelf -d "$lib/libscour.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')
[[ $soname =~ ^libscour\.so\.[0-9]+$ ]] || fail "unexpected SONAME '$soname'"
[[ -e $lib/$soname ]] || fail "SONAME link $soname missing"
[[ ! -e $stage/bin ]] || fail "library components installed bin/ (the CLI belongs elsewhere)"

step "installed headers include only scour/ (installed), absl/ and the standard library"
while IFS= read -r line; do
  file=${line%%:*}
  inc=$(sed -E 's/^[^:]*:[[:space:]]*#[[:space:]]*include[[:space:]]*//' <<<"$line")
  name=${inc:1:${#inc}-2}
  case "$inc" in
    \"scour/*\") [[ -f $stage/include/$name ]] || fail "$(basename "$file") includes uninstalled $inc" ;;
    \"absl/*\" | \<absl/*\>) ;;
    \<*/*\>) fail "$(basename "$file") includes non-standard $inc" ;;
    \<*\>) ;;
    *) fail "$(basename "$file") includes $inc (not installed)" ;;
  esac
done < <(grep -H -E '^[[:space:]]*#[[:space:]]*include' "$stage"/include/scour/*.h)

step "installed headers name no internal module"
# The API is the installed headers: an internal namespace (index::Directory, tokenizer::...) or a
# public accessor to an Impl there would be a type or function programs cannot use.
if grep -nE '\b(base|tokenizer|index|ingest|engine|eval)::|\bimpl\(\)' "$stage"/include/scour/*.h; then
  fail "installed headers name internal types (above)"
fi

step "exported symbols"
nm -D --defined-only "$lib/libscour.so" | c++filt | cut -d' ' -f3- >"$work/exports.txt"
for api in 'scour::IndexWriter::Open(' 'scour::IndexReader::Open(' 'scour::Analyzer::Create('; do
  grep -qF "$api" "$work/exports.txt" || fail "$api is not exported"
done
# Internal modules and absl must stay hidden (-fvisibility=hidden, SCOUR_EXPORT only on the API).
if grep -E '^((typeinfo( name)?|vtable|VTT|guard variable) for )?(scour::(base|tokenizer|index|ingest|engine|eval)::|absl::)' \
  "$work/exports.txt" >"$work/internal-exports.txt"; then
  fail "internal symbols exported: $(head -5 "$work/internal-exports.txt" | tr '\n' ';')"
fi
echo "$(wc -l <"$work/exports.txt") exported symbols, $(grep -c '^scour::' "$work/exports.txt") in scour::"

# The example prints the stored fields of fable-1 after a second session replaced it; what it must
# print follows from the documents it adds, not from the library.
check_output() {
  local out=$1 what=$2
  grep -qx 'documents: 3' "$out" || fail "$what: expected 3 documents (fable-1 replaced, not added)"
  grep -qx 'fable-1 title: The Fox and the Sour Grapes' "$out" || fail "$what: wrong stored title"
  grep -qx '  source = Aesop' "$out" || fail "$what: stored-only field missing"
  for f in title body source; do
    grep -qE "^fields:.* $f( |\$)" "$out" || fail "$what: field $f not listed"
  done
  # Snowball English stems of "Hungry foxes boasting".
  grep -qx 'query terms: hungri fox boast' "$out" || fail "$what: unexpected query analysis"
  # Only the revised fable-1 holds "fox" or "grapes" (the first version is deleted).
  [[ $(grep -c '^hit ' "$out") == 1 ]] || fail "$what: expected one search hit"
  grep -qx 'hit fable-1: The Fox and the Sour Grapes' "$out" || fail "$what: wrong search hit"
}

step "find_package(scour) + examples/"
"$cmake" -S "$src/examples" -B "$work/cmake-example" -DCMAKE_PREFIX_PATH="$stage" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" \
  >"$work/cmake-example.log"
found=$(sed -n 's/^scour_DIR:PATH=//p' "$work/cmake-example/CMakeCache.txt")
[[ $found -ef $lib/cmake/scour ]] || fail "find_package found scour in '$found', not the stage"
"$cmake" --build "$work/cmake-example" -j2 >>"$work/cmake-example.log" 2>&1 ||
  { cat "$work/cmake-example.log"; fail "the example did not build with CMake"; }
if [[ -x $work/cmake-example/search_example ]]; then
  # ldd's output captured first: `ldd | grep -q` under pipefail fails whenever grep exits at
  # the match before ldd has written its last line (SIGPIPE): this test was flaky.
  libs=$(ldd "$work/cmake-example/search_example")
  grep -q "libscour.so.* => $lib/" <<<"$libs" ||
    fail "the example does not load libscour from the stage"
  "$work/cmake-example/search_example" >"$work/cmake-example.out" ||
    fail "the CMake-built example failed: $(cat "$work/cmake-example.out")"
  cat "$work/cmake-example.out"
  check_output "$work/cmake-example.out" "CMake example"
fi
if [[ -x $work/cmake-example/custom_scorer ]]; then
  "$work/cmake-example/custom_scorer" >"$work/custom_scorer.out" ||
    fail "examples/custom_scorer failed: $(cat "$work/custom_scorer.out")"
  cat "$work/custom_scorer.out"
  # Its tf-idf by hand: 4 documents, "fox" in 2 (idf 1 + ln(5/3), squared); fox-2 holds it twice
  # in 14 tokens, fox-1 once in 13; "thirsty" stems to a term no document has.
  awk 'BEGIN { w = (1 + log(5 / 3)) ^ 2
               printf "1 Q0 fox-2 1 %.5f tfidf\n1 Q0 fox-1 2 %.5f tfidf\n2 Q0 crow 1 tfidf\n",
                      w * sqrt(2) / sqrt(14), w / sqrt(13) }' >"$work/custom_scorer.want"
  awk 'NF == 6 { if ($1 == 2) print $1, $2, $3, $4, $6; else printf "%s %s %s %s %.5f %s\n", $1, $2, $3, $4, $5, $6 }' \
    "$work/custom_scorer.out" >"$work/custom_scorer.got"
  cmp -s "$work/custom_scorer.got" "$work/custom_scorer.want" ||
    fail "examples/custom_scorer's run is not its model's: $(diff "$work/custom_scorer.want" "$work/custom_scorer.got")"
else
  fail "examples/custom_scorer was not built"
fi

step "pkg-config + examples/search_example.cc and the API link check"
export PKG_CONFIG_PATH=$lib/pkgconfig
flags=$(pkg-config --cflags --libs scour) || fail "pkg-config --cflags --libs scour failed"
echo "pkg-config: $flags"
[[ $(pkg-config --variable=prefix scour) -ef $stage ]] || fail "scour.pc prefix is not the stage"
[[ $(pkg-config --modversion scour) =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "bad version"
# shellcheck disable=SC2086  # $flags is a list of words
if "$cxx" -std=c++20 -O1 -Wall -Wextra -Werror "$src/examples/search_example.cc" $flags \
  -Wl,-rpath,"$lib" -o "$work/pc_example"; then
  "$work/pc_example" >"$work/pc_example.out" || fail "the pkg-config example failed"
  check_output "$work/pc_example.out" "pkg-config example"
else
  fail "the example did not build with pkg-config flags"
fi
# shellcheck disable=SC2086
"$cxx" -std=c++20 -O2 -Wall -Wextra -Werror "$src/tests/package/api_link_check.cc" $flags \
  -o "$work/api_link_check" || fail "public API functions are declared but not exported (above)"

if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "package OK"
