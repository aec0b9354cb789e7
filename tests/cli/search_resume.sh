#!/usr/bin/env bash
# End-to-end test of `netinfer search` on a small network: a search stopped by
# its budget and resumed with a larger one, and a search killed after its
# first candidate and resumed, both store the same records as an uninterrupted
# search and never evaluate a candidate twice; a target error stops the search
# at the first candidate within it; the spectral cache is reused and
# can be switched off without changing results; two networks give one error
# per network; bad input gives one line, a non-zero exit and no finished file.
# usage: bash search_resume.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch
# expect_error, and exactly one error line.
expect_one_error() {
  expect_error "$@"
  [[ $(grep -c "netinfer: error" err.txt) == 1 ]] || { cat err.txt >&2; fail "not one line: ${*:2}"; }
}
# The values of one dataset, full precision, on one line.
values() { h5dump -d "$2" -y -w 0 -m %.17g "$1" | sed -n '/DATA {/,/}/{p;/}/q}' | tr -d ' \n'; }
# "index | key | overall | up to symmetry | layer errors" per stored candidate.
records() {
  local file=$1 g at
  for g in $(h5ls "$file/search/candidates" | awk '{print $1}'); do
    at="/search/candidates/$g"
    echo "$g | $(h5dump -a "$at/key" "$file" | sed -n 's/.*(0): "\(.*\)".*/\1/p') |" \
      "$(values "$file" "$at/overall") | $(values "$file" "$at/overall_symmetric") |" \
      "$(values "$file" "$at/layer_error")"
  done
}
# Indices of the table rows a search printed (candidates it evaluated).
rows() { grep -E '^ +[0-9]+ +[0-9.]+ +[0-9.]+ ' "$1" | awk '{print $1}' | tr '\n' ' '; }

arch="input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax"
"$netinfer" train --architecture "$arch" --epochs 1 --out small.h5 > train.txt
cat > search.ini <<'INI'
[search]
networks = small.h5
pool = 2
max-width = 6
width-probability = 0.3
max-eigenvectors = 6
trees = 10
scratch = cache
INI

# Uninterrupted: 5 candidates, one rank, filling the cache that later searches share.
"$netinfer" search --config search.ini --budget 5 --out full.h5 > full.txt
check_layout full.h5 1 network
[[ -f full.h5 && ! -e full.h5.partial ]] || fail "no finished full.h5"
grep -q "search stopped: the budget of 5 candidates" full.txt || { cat full.txt; fail "no stop line"; }
records full.h5 > full.res
[[ $(wc -l < full.res) == 5 ]] || fail "full.h5 holds $(wc -l < full.res) candidates, expected 5"
[[ $(rows full.txt) == "$(cut -d' ' -f1 full.res | sed 's/^0*\([0-9]\)/\1/' | tr '\n' ' ')" ]] ||
  fail "printed rows $(rows full.txt) differ from the stored candidates"
# The pool of 2 width subsets spans 8 image sets: later candidates reuse spectra.
grep -qE "spectra computed [0-9]+, reused from the cache [1-9]" full.txt ||
  { cat full.txt; fail "no spectrum reused"; }
computed=$(sed -n 's/.*spectra computed \([0-9]*\),.*/\1/p' full.txt)
[[ $(grep -c "^spectrum of PATCH" full.txt) == "$computed" ]] || fail "spectra computed twice"
grep -qE "^(best|perfect) candidate #[0-9]+: PATCH" full.txt || fail "no best candidate"

# Stopped by a budget of 2 at 2 ranks, resumed with 5: the same records, no repeats.
mpirun -np 2 "$netinfer" search --config search.ini --budget 2 --out part.h5 > part1.txt
[[ -f part.h5 && ! -e part.h5.partial ]] || fail "a budget-stopped search is complete"
mpirun -np 2 "$netinfer" search --config search.ini --budget 5 --out part.h5 > part2.txt
grep -q "2 candidates already in part.h5" part2.txt || { cat part2.txt; fail "resume found not 2"; }
[[ "$(rows part1.txt)$(rows part2.txt)" == "$(rows full.txt)" ]] ||
  fail "evaluated $(rows part1.txt) then $(rows part2.txt), expected $(rows full.txt) once"
records part.h5 > part.res
cmp -s full.res part.res || { diff full.res part.res | head; fail "stopped+resumed records differ"; }

# Killed right after its first candidate was recorded, then resumed.
"$netinfer" search --config search.ini --budget 40 --out kill.h5 > kill1.txt 2>&1 &
pid=$!
for _ in $(seq 300); do
  [[ -n "$(rows kill1.txt)" ]] && break
  kill -0 "$pid" 2> /dev/null || break
  sleep 0.1
done
kill -KILL "$pid" 2> /dev/null || fail "the search ended before the kill"
wait "$pid" 2> /dev/null || true
[[ -f kill.h5.partial && ! -e kill.h5 ]] || fail "a killed search must leave only kill.h5.partial"
"$netinfer" search --config search.ini --budget 3 --out kill.h5 > kill2.txt
done_before=$(sed -n 's/.* \([0-9]*\) candidates already in kill.h5.*/\1/p' kill2.txt)
[[ $done_before -ge 1 ]] || { cat kill2.txt; fail "the resumed search found nothing done"; }
for i in $(rows kill1.txt); do
  [[ " $(rows kill2.txt)" == *" $i "* ]] && fail "candidate $i evaluated again after the kill"
done
[[ -f kill.h5 ]] || fail "the resumed search did not finish"
records kill.h5 > kill.res
cmp -s kill.res <(head -3 full.res) || { diff kill.res <(head -3 full.res); fail "kill+resume differs"; }

# A target: the search stops at the first candidate within it (here at the
# best of the five), and a resumed search with the same target stops at once.
# The table prints 3 decimals, so a target half a unit above the best printed
# error admits exactly the candidates printed with it.
best=$(grep -E '^ +[0-9]+ +[0-9.]+ +[0-9.]+ ' full.txt | awk '{print $3}' | sort -n | head -1)
first=$(grep -E '^ +[0-9]+ +[0-9.]+ +[0-9.]+ ' full.txt | awk -v b="$best" '$3 == b { print $1; exit }')
target=$(awk -v b="$best" 'BEGIN { printf "%.4f", b + 0.0005 }')
"$netinfer" search --config search.ini --target "$target" --out target.h5 > target.txt
grep -q "^search stopped: a candidate within the target (error up to symmetry at most $target" \
  target.txt || { cat target.txt; fail "no stop at the target $target"; }
[[ "$(rows target.txt)" == "$(rows full.txt | tr ' ' '\n' | sed "/^$first\$/q" | tr '\n' ' ')" ]] ||
  fail "with target $target evaluated $(rows target.txt), expected up to candidate $first of $(rows full.txt)"
"$netinfer" search --config search.ini --target "$target" --out target.h5 > target2.txt
grep -q "^search stopped: a candidate within the target" target2.txt && [[ -z "$(rows target2.txt)" ]] ||
  { cat target2.txt; fail "a resumed search past its target evaluated more"; }

# Without the cache: every spectrum computed, nothing left behind, same records.
"$netinfer" search --config search.ini --budget 2 --cache false --out nocache.h5 > nocache.txt
grep -qE "reused from the cache 0$" nocache.txt || { cat nocache.txt; fail "cache not off"; }
[[ $(grep -c "^spectrum of PATCH" nocache.txt) == $(head -2 full.res | grep -o "PATCH" | wc -l) ]] ||
  fail "without the cache every set of every candidate is computed"
[[ -z "$(find cache -name uncached)" ]] || fail "uncached sets left behind"
cmp -s <(records nocache.h5) <(head -2 full.res) || fail "results without the cache differ"

# Two networks: a symmetric error per network; perfect only if zero on both.
"$netinfer" train --architecture "$arch" --epochs 1 --seed 2 --out small2.h5 > train2.txt
"$netinfer" search --config search.ini --networks small.h5,small2.h5 --budget 1 --out two.h5 \
  > two.txt
grep -q "sym.err per network" two.txt || fail "no per-network column"
[[ $(h5dump -d /search/candidates/00000000/overall_symmetric two.h5 | grep -c "(0): .*, ") == 1 ]] ||
  fail "two.h5 does not hold two errors"
[[ "$(records two.h5 | cut -d'|' -f3 | sed 's/,.*/}/' | tr -d ' ')" == \
   "$(head -1 full.res | cut -d'|' -f3 | tr -d ' ')" ]] ||
  fail "network 1's error changed with a second network"

# Bad input: one line, non-zero exit, no finished file.
expect_one_error "--stream must lie in [0, 1]" "$netinfer" search --config search.ini --stream 2 \
  --streams 2 --out bad.h5
expect_one_error "--width-probability must lie in (0, 1]" "$netinfer" search --config search.ini \
  --width-probability 1.5 --out bad.h5
expect_one_error "missing.h5" "$netinfer" search --networks missing.h5 --out bad.h5
expect_one_error "made with other settings (was seed = 1, now seed = 2)" "$netinfer" search \
  --config search.ini --seed 2 --out full.h5
expect_one_error "--target must be 0 (a perfect candidate) or more" "$netinfer" search \
  --config search.ini --target -0.5 --out bad.h5
expect_one_error "--budget must be 0 (no limit) or more" mpirun -np 2 "$netinfer" search \
  --config search.ini --budget -1 --out bad.h5
[[ ! -e bad.h5 ]] || fail "bad input left bad.h5"
[[ -f full.h5 ]] || fail "a refused resume must leave full.h5 as it was"
echo "search_resume: ok"
