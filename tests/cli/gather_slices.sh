#!/usr/bin/env bash
# End-to-end test of run slicing and `netinfer gather` on a small network: a
# job of 6 runs split into 3 slices (one at 2 ranks, one stopped and resumed)
# gathers into a file whose runs are bit-identical to the unsliced job's and
# whose report is the same; a slice takes the same runs at any rank count; and
# gather refuses what does not belong together (another job or other weights,
# a duplicate run that differs, a file that is no results file), lists missing
# runs and leaves only <out>.partial then.
# usage: bash gather_slices.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
source "$source_dir/tests/cli/lib/experiment_runs.bash"
enter_scratch
# The report without its timings and the file names (identical for equal results).
report() { "$netinfer" report "$1" | grep -v "^Times\|^netinfer\|^Experiment\|= " > "$2"; }

make_mini_job
job=(--config mini.ini --weights small.h5)

"$netinfer" experiment "${job[@]}" --out full.h5 > full.txt
[[ $(runs_in full.h5) == 6 ]] || fail "full.h5 holds $(runs_in full.h5) runs, expected 6"

# Three slices: 0 at one rank, 1 at two ranks, 2 stopped after one run and resumed.
"$netinfer" experiment "${job[@]}" --slice 0/3 --out s0.h5 > s0.txt
mpirun -np 2 "$netinfer" experiment "${job[@]}" --slice 1/3 --out s1.h5 > s1.txt
"$netinfer" experiment "${job[@]}" --slice 2/3 --out s2.h5 --max-runs 1 > s2a.txt
[[ -f s2.h5.partial && ! -e s2.h5 ]] || fail "a stopped slice must leave only s2.h5.partial"
grep -q "slice 2/3 incomplete: 1 of 2 runs" s2a.txt || { cat s2a.txt; fail "no incomplete-slice line"; }
"$netinfer" experiment "${job[@]}" --slice 2/3 --out s2.h5 > s2b.txt
grep -q "slice 2/3 of 2, 1 already in s2.h5, 1 to do now" s2b.txt ||
  { cat s2b.txt; fail "the resumed slice did not skip its finished run"; }
for s in s0 s1 s2; do
  [[ -f $s.h5 && ! -e $s.h5.partial && $(runs_in $s.h5) == 2 ]] || fail "$s.h5: not 2 runs, finished"
  run_results $s.h5 > $s.res
done
"$netinfer" report s0.h5 > s0_report.txt
grep -q "2 runs of 6, slice 0/3 (slice complete" s0_report.txt ||
  { cat s0_report.txt; fail "the report does not name the slice"; }
# Slices are disjoint and cover the job, with the unsliced job's results.
sort -m s0.res s1.res s2.res | cmp -s - <(run_results full.h5) ||
  fail "the slices' runs are not the unsliced job's"
# A slice is the same runs at any rank count.
"$netinfer" experiment "${job[@]}" --slice 1/3 --out s1_np1.h5 > s1_np1.txt
run_results s1_np1.h5 | cmp -s - s1.res || fail "slice 1/3 differs between 1 and 2 ranks"

# Gather: the unsliced job's runs, bit for bit, and its report.
"$netinfer" gather --out merged.h5 s2.h5 s0.h5 s1.h5 > gather.txt
[[ -f merged.h5 && ! -e merged.h5.partial ]] || fail "no finished merged.h5"
grep -q "gathered 6 of 6 runs from 3 files (0 duplicate" gather.txt || { cat gather.txt; fail "gather summary"; }
run_results merged.h5 | cmp -s - <(run_results full.h5) || fail "merged runs differ from the unsliced job's"
report full.h5 full_report.txt
report merged.h5 merged_report.txt
grep -q "^Experiment mini: 6 runs of 6 (complete)" <("$netinfer" report merged.h5) ||
  fail "the merged report does not say complete"
cmp -s full_report.txt merged_report.txt || { diff full_report.txt merged_report.txt; fail "reports differ"; }
# Runs in job order, as the unsliced job's report has them.
[[ $(h5ls merged.h5/runs | awk '{print $1}' | tr '\n' ' ') == "000000 000001 000002 000003 000004 000005 " ]] ||
  fail "merged groups are not named by job index"
# A merged file is a finished job: running the job on it does nothing.
"$netinfer" experiment "${job[@]}" --out merged.h5 > rerun.txt
grep -q "6 already in merged.h5, 0 to do now" rerun.txt || { cat rerun.txt; fail "merged file not resumable"; }

# Duplicates that agree are taken once.
cp s0.h5 s0_copy.h5
"$netinfer" gather --out dup.h5 s0.h5 s1.h5 s2.h5 s0_copy.h5 full.h5 > dup.txt
grep -q "gathered 6 of 6 runs from 5 files (8 duplicate runs agreed)" dup.txt ||
  { cat dup.txt; fail "agreeing duplicates"; }

# Missing runs: listed, only merged2.h5.partial written, non-zero exit.
expect_error "2 of 6 runs are in no input; wrote few.h5.partial" "$netinfer" gather --out few.h5 s0.h5 s1.h5
[[ -f few.h5.partial && ! -e few.h5 ]] || fail "an incomplete gather must leave only few.h5.partial"
[[ $(grep -c "missing: feature-set=" out.txt) == 2 ]] || { cat out.txt; fail "missing runs not listed"; }
grep -q "runs of 6 (incomplete" <("$netinfer" report few.h5.partial) || fail "partial report"

# Refusals.
expect_error "exists" "$netinfer" gather --out merged.h5 s0.h5 s1.h5 s2.h5
"$netinfer" experiment "${job[@]}" --slice 0/3 --trees 5 --out t5.h5 > t5.txt
expect_error "t5.h5: another job than s1.h5 (trees = 20 there, trees = 5 here)" \
  "$netinfer" gather --out bad.h5 s1.h5 t5.h5
"$netinfer" experiment "${job[@]}" --slice 0/3 --split perfect --out p.h5 > p.txt
expect_error "p.h5: another job than s0.h5 (6 runs there, 2 here)" \
  "$netinfer" gather --out bad.h5 s0.h5 p.h5
"$netinfer" train --architecture "input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax" \
  --epochs 1 --seed 2 --out other.h5 > train2.txt
"$netinfer" experiment --config mini.ini --weights other.h5 --slice 2/3 --out w.h5 > w.txt
expect_error "w.h5: another job than s0.h5 (made from other weights)" \
  "$netinfer" gather --out bad.h5 s0.h5 s1.h5 w.h5
expect_error "s2.h5: made from other weights than other.h5" "$netinfer" experiment --config mini.ini \
  --weights other.h5 --slice 2/3 --out s2.h5
expect_error "small.h5: not an experiment results file" "$netinfer" gather --out bad.h5 s0.h5 small.h5
# A run of the same key with other results (trees 5) planted beside the real one.
cp s0.h5 planted.h5
h5copy -i t5.h5 -s /runs/000000 -o planted.h5 -d /runs/000099
expect_error "planted.h5:/runs/000099: run 'feature-set=" "$netinfer" gather --out bad.h5 planted.h5
grep -q "differs from planted.h5:/runs/000000 (" err.txt || { cat err.txt; fail "no differing run named"; }
expect_error "which files?" "$netinfer" gather --out bad.h5
expect_error "run it as one process" mpirun -np 2 "$netinfer" gather --out bad.h5 s0.h5
[[ ! -e bad.h5 && ! -e bad.h5.partial ]] || fail "a refused gather wrote bad.h5"

# Bad slices.
expect_error "--slice '3/3': needs 0 <= I < N" "$netinfer" experiment "${job[@]}" --slice 3/3 --out x.h5
expect_error "--slice 'half': expected I/N" "$netinfer" experiment "${job[@]}" --slice half --out x.h5
expect_error "s0.h5: holds slice 0/3 of its job, now 1/3" "$netinfer" experiment "${job[@]}" \
  --slice 1/3 --out s0.h5
[[ -f s0.h5 && ! -e s0.h5.partial ]] || fail "a refused slice must leave s0.h5 finished"
echo "gather slices: ok"
