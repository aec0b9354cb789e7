#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang 14 with AddressSanitizer) into
# build-fuzz/ and runs each for RUNS executions (default 1,000,000), starting
# from the seeds in fuzz/seeds/ (one input per line; "\n" in a line is a
# newline). A crash stops the script with the fuzzer's report and leaves the
# input as build-fuzz/findings/<target>/crash-*. A job, not part of CI; see
# docs/fuzzing.md. usage: bash jobs/fuzz.sh [RUNS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000000}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(idx architecture feature_set image_set generator job_file)
build=build-fuzz
NETINFER_WITH_FUZZ=1 bash cmake/install-deps.sh
CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNETINFER_FUZZ=ON -DBUILD_TESTING=OFF > /dev/null
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

# Seeds: the lines of fuzz/seeds/<target>.txt; for the IDX reader, a valid
# image file (two 2x3 images), a label file and a gzip-compressed image file.
seed_corpus() {
  local target=$1 dir=$build/corpus/$1 i=0 line
  mkdir -p "$dir"
  if [[ $target == idx ]]; then
    printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x03abcdefghijkl' > "$dir/images"
    printf '\x00\x00\x08\x01\x00\x00\x00\x03\x01\x02\x09' > "$dir/labels"
    gzip -c "$dir/images" > "$dir/images.gz"
    return
  fi
  while IFS= read -r line; do
    printf '%b' "$line" > "$dir/seed$((i++))"
  done < "fuzz/seeds/$target.txt"
}

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Open MPI's allocations at exit (fuzz_job_file) are not netinfer's leaks; its
# plugins stay loaded so that the suppressions can name them.
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0"
export OMPI_MCA_mca_base_component_disable_dlclose=1 PMIX_MCA_mca_base_component_disable_dlclose=1
for target in "${targets[@]}"; do
  seed_corpus "$target"
  mkdir -p "$build/findings/$target"
  echo "== fuzz_$target: $runs executions"
  start=$SECONDS
  # -rss_limit_mb/-malloc_limit_mb: an input that makes a parser allocate
  # gigabytes is a finding too; -timeout: so is one that takes 10 s.
  "$build/fuzz/fuzz_$target" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$build/findings/$target/" \
    "$build/corpus/$target" 2>&1 | tee "$build/findings/$target/log.txt" |
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|SUMMARY" || true
  grep -q "^Done $runs runs" "$build/findings/$target/log.txt" ||
    { echo "fuzz_$target did not complete $runs runs: see $build/findings/$target/" >&2; exit 1; }
  echo "   $((SECONDS - start)) s"
done
