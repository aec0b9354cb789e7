#!/usr/bin/env bash
# End-to-end test of `netinfer experiment` on a small network: a job of 9 runs
# (3 feature sets x perfect + 2 random splits). The same results come from an
# uninterrupted run at 1 rank, a run stopped after 4 runs and resumed at 2
# ranks, a run killed after its first run and resumed, and 4 ranks in groups of
# 2; finished runs are never repeated; the report and its figures are made;
# bad input gives one line and no finished-looking file.
# usage: bash experiment_resume.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
source "$source_dir/tests/cli/lib/experiment_runs.bash"
enter_scratch
# "key | assigned locations | layer errors" per stored run whose key matches
# the optional extended regex, sorted by key: the results whatever order the
# runs finished in.
results() {
  local file=$1 pattern=${2:-.} g key
  for g in $(h5ls "$file/runs" | awk '{print $1}'); do
    key="$(h5dump -a "/runs/$g/key" "$file" | sed -n 's/.*(0): "\(.*\)".*/\1/p')"
    grep -qE "$pattern" <<< "$key" || continue
    echo "$key |" \
      "$(h5dump -d "/runs/$g/assigned" -y -w 0 "$file" | sed -n '/DATA {/,/}/p' | tr -d ' \n')" \
      "$(h5dump -d "/runs/$g/layer_error" -y -w 0 "$file" | sed -n '/DATA {/,/}/p' | tr -d ' \n')"
  done | sort
}

make_mini_job
echo "feature-set = BOTH=GAUSSIAN,IMPULSE" >> mini.ini

# Uninterrupted, one rank, with the report's figures.
"$netinfer" experiment --config mini.ini --weights small.h5 --out full.h5 --plots figs > full.txt
[[ -f full.h5 && ! -e full.h5.partial ]] || fail "no finished full.h5"
[[ $(runs_in full.h5) == 9 ]] || fail "full.h5 holds $(runs_in full.h5) runs, expected 9"
grep -q "^BOTH " full.txt || { cat full.txt; fail "no BOTH row in the job's table"; }
grep -q "silent-only floor" full.txt || fail "no per-layer table with floors"
grep -q "stage times" full.txt || fail "no stage times"
grep -q "^memory per rank: responses .*, correlation .*, eigensolver " full.txt || fail "no memory plan"
for png in fig14 fig15 fig18; do [[ -s figs/$png.png ]] || fail "no figs/$png.png"; done
check_layout full.h5 1 network
results full.h5 > full.res
# Fig. 17's grid of training x test fractions and its heat map.
"$netinfer" experiment --config mini.ini --weights small.h5 --out grid.h5 --feature-set IMPULSE \
  --split 'random:0.3:0.3' --split 'random:0.5:0.3' --plots grid-figs > grid.txt
[[ -s grid-figs/fig17.png ]] || fail "no grid-figs/fig17.png"
[[ $(wc -l < full.res) == 9 ]] || fail "results listing has $(wc -l < full.res) lines"

# Stopped after 4 runs (2 ranks), then resumed: the same results, no run twice.
mpirun -np 2 "$netinfer" experiment --config mini.ini --weights small.h5 --out part.h5 \
  --max-runs 4 > part1.txt
[[ -f part.h5.partial && ! -e part.h5 ]] || fail "a stopped job must leave only part.h5.partial"
[[ $(runs_in part.h5.partial) == 4 ]] || fail "stopped job holds $(runs_in part.h5.partial) runs"
# (to a file: under pipefail, grep -q closing the pipe early would fail the writer)
"$netinfer" report part.h5.partial > part_report.txt
grep -q "incomplete" part_report.txt || fail "report does not say incomplete"
mpirun -np 2 "$netinfer" experiment --config mini.ini --weights small.h5 --out part.h5 > part2.txt
grep -q "4 already in" part2.txt || { cat part2.txt; fail "resume did not find the 4 runs"; }
grep -q "responses of" part2.txt && fail "resume recomputed responses"
[[ $(runs_in part.h5) == 9 ]] || fail "resumed job holds $(runs_in part.h5) runs, expected 9"
results part.h5 > part.res
cmp -s full.res part.res || { diff full.res part.res | head; fail "stopped+resumed results differ"; }

# Killed (SIGTERM to mpirun) right after its first run was recorded, then
# resumed. This job has 101 runs so that it is still going when the kill lands
# (a run of this small network takes a few milliseconds); the runs it shares with the 9-run job (IMPULSE on the
# perfect split and random splits 1 and 2) must come out identical.
mpirun -np 2 "$netinfer" experiment --config mini.ini --weights small.h5 --out kill.h5 \
  --feature-set IMPULSE --split perfect --split 'random*100' > kill1.txt 2>&1 &
pid=$!
for _ in $(seq 6000); do
  grep -q "run 1/" kill1.txt 2>/dev/null && break
  sleep 0.01
done
kill -TERM $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[[ ! -e kill.h5 ]] || fail "the job was not killed part way (kill.h5 is finished)"
kill_job=(--config mini.ini --weights small.h5 --out kill.h5 --feature-set IMPULSE
  --split perfect --split 'random*100')
"$netinfer" experiment "${kill_job[@]}" > kill2.txt
grep -qE "([1-9]|[1-9][0-9]|100) already in" kill2.txt || { cat kill2.txt; fail "resume after kill found no runs"; }
[[ $(runs_in kill.h5) == 101 ]] || fail "resumed killed job holds $(runs_in kill.h5) runs, expected 101"
shared='^feature-set=IMPULSE; split=(perfect|random); split-seed=[12];'
results kill.h5 "$shared" > kill.res
grep -E "$shared" full.res > impulse.res
[[ $(wc -l < impulse.res) == 3 ]] || fail "expected 3 IMPULSE runs in full.res"
cmp -s impulse.res kill.res ||
  fail "killed+resumed results differ from the uninterrupted job's"
# A finished job rerun does nothing and keeps its results.
"$netinfer" experiment "${kill_job[@]}" > again.txt
grep -q "101 already in" again.txt || fail "rerunning a finished job did not find its runs"
grep -q "responses of\|spectrum of" again.txt && fail "rerunning a finished job recomputed"

# Four ranks in two groups of two.
mpirun -np 4 "$netinfer" experiment --config mini.ini --weights small.h5 --out four.h5 \
  --group-size 2 > four.txt
results four.h5 > four.res
cmp -s full.res four.res || { diff full.res four.res | head; fail "4 ranks differ from 1 rank"; }

# Jobs sharing a scratch directory compute each shared input once.
"$netinfer" experiment --config mini.ini --weights small.h5 --feature-set GAUSSIAN \
  --split perfect --out s1.h5 --scratch shared > s1.txt
"$netinfer" experiment --config mini.ini --weights small.h5 --feature-set GAUSSIAN \
  --split random --out s2.h5 --scratch shared > s2.txt
grep -q "spectrum of GAUSSIAN" s1.txt || fail "the first job did not compute its spectrum"
grep -q "responses of\|spectrum of" s2.txt && fail "a job sharing a scratch recomputed inputs"

# Forest seeds: one spectrum for all (taken from the shared scratch), the same
# test neurons, other forests; the report shows their spread. A file made
# without the axis is refused by a job with it, and the other way round.
"$netinfer" experiment --config mini.ini --weights small.h5 --feature-set GAUSSIAN \
  --split perfect --forest-seed 1..2 --out fs.h5 --scratch shared > fs.txt
grep -q "responses of\|spectrum of" fs.txt && fail "forest seeds recomputed the spectrum"
grep -q "^Spread over forest seeds" fs.txt || { cat fs.txt; fail "no forest-seed spread table"; }
results fs.h5 > fs.res
[[ $(wc -l < fs.res) == 2 ]] || fail "the forest-seed job holds $(wc -l < fs.res) runs, expected 2"
[[ $(cut -d'|' -f2 fs.res | sort -u | wc -l) == 2 ]] || fail "two forest seeds, same assignment"
for g in $(h5ls fs.h5/runs | awk '{print $1}'); do
  h5dump -d "/runs/$g/tests" -y -w 0 fs.h5 | sed -n '/DATA {/,/}/p' > "tests-$g.txt"
done
cmp -s tests-000000.txt tests-000001.txt || fail "forest seeds changed the test shuffle"
expect_error "made by a job without a forest-seed axis" "$netinfer" experiment \
  --config mini.ini --weights small.h5 --out part.h5 --forest-seed 1
expect_error "made by a job with a forest-seed axis" "$netinfer" experiment \
  --config mini.ini --weights small.h5 --feature-set GAUSSIAN --split perfect --out fs.h5 \
  --scratch shared

# Bad input: one line, non-zero exit, nothing finished-looking.
expect_error "made with other settings (trees = 20, now trees = 5)" "$netinfer" experiment \
  --config mini.ini --weights small.h5 --out part.h5 --trees 5
[[ -f part.h5 && ! -e part.h5.partial ]] || fail "a refused rerun must leave part.h5 finished"
expect_error "unknown name" mpirun -np 2 "$netinfer" experiment --config mini.ini \
  --weights small.h5 --feature-set GAUSS --out bad.h5
expect_error "unknown split" "$netinfer" experiment --config mini.ini --weights small.h5 \
  --split diagonal --out bad.h5
expect_error "--moments" "$netinfer" experiment --config mini.ini --weights small.h5 \
  --moments 7 --out bad.h5
expect_error "file not found" "$netinfer" experiment --config mini.ini --weights missing.h5 \
  --out bad.h5
expect_error "node(s) like this one with 2 rank(s) each would hold it" mpirun -np 2 \
  "$netinfer" experiment --config mini.ini --weights small.h5 --images 50000000 --out huge.h5
[[ ! -e huge.h5 ]] || fail "huge.h5 written"
[[ ! -e bad.h5 && ! -e bad.h5.partial ]] || fail "bad.h5 written"
echo "experiment resume: ok"
