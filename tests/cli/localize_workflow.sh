#!/usr/bin/env bash
# End-to-end test of the localisation workflow on a small network: train ->
# respond -> localize (spectra, bank, assignment, score) with identical
# assignments at 1, 2 and 4 ranks, responses kept only when asked, localize
# from a responses file, --forest-seed changing the classifiers alone, a run
# killed after its image sets resumed from its scratch cache, and one-line
# errors (non-zero exit, no hang, no finished-looking file) for bad input.
# usage: bash localize_workflow.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch
# Prints a dataset of an HDF5 file as text (values only).
values() { h5dump -d "$2" -y -w 0 "$1" | sed -n '/DATA {/,/}/p'; }

"$netinfer" train --architecture "input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax" \
  --epochs 1 --out small.h5 > train.txt
cat > small.ini <<'INI'
[localize]
feature-set = GAUSSIAN
feature-set = IMPULSE
feature-set = BOTH=GAUSSIAN,IMPULSE
images = 300
eigenvectors = 6
trees = 20
INI
keep=(--keep-responses kept.h5)
for np in 1 2 4; do
  mpirun -np $np "$netinfer" localize --config small.ini --weights small.h5 --out r$np.h5 \
    "${keep[@]}" > l$np.txt
  keep=()
  grep -q "^BOTH " l$np.txt || { cat l$np.txt; fail "no BOTH row in the table at $np ranks"; }
  grep -q "^measured peak resident memory per rank: " l$np.txt || fail "no measured peak at $np"
done
for fs in GAUSSIAN IMPULSE BOTH; do
  values r1.h5 /localize/perfect/$fs/assigned > a1.txt
  [[ -s a1.txt ]] || fail "no assignment for $fs"
  for np in 2 4; do
    values r$np.h5 /localize/perfect/$fs/assigned > a$np.txt
    cmp -s a1.txt a$np.txt || fail "$fs: assignment at $np ranks differs from 1 rank"
  done
done
# Every output carries the run's provenance and the network's locations.
check_layout small.h5 1
check_layout r4.h5 4 network
check_layout kept.h5 1 network
# Responses stay in memory unless asked for; no scratch is left behind.
ls r2.h5* > left.txt
[[ $(cat left.txt) == r2.h5 ]] || fail "localize left files behind: $(cat left.txt)"
[[ $(h5ls kept.h5/responses/GAUSSIAN | grep -c "matrix *Dataset {2630, 300}") == 1 ]] ||
  fail "--keep-responses did not write the GAUSSIAN matrix"
# The kept responses are reusable; the result is the same.
"$netinfer" localize --config small.ini --responses kept.h5 --out again.h5 > /dev/null
values again.h5 /localize/perfect/BOTH/assigned > again.txt
values r1.h5 /localize/perfect/BOTH/assigned > a1.txt
cmp -s a1.txt again.txt || fail "localize from a responses file differs"

# --forest-seed reseeds the classifier bank alone: its default is --seed (so
# results made before it existed stay as they were), and another forest seed
# keeps the spectra, features and test shuffle and changes the assignments.
"$netinfer" localize --config small.ini --responses kept.h5 --forest-seed 1 --out f1.h5 > /dev/null
"$netinfer" localize --config small.ini --responses kept.h5 --forest-seed 2 --out f2.h5 > /dev/null
values f1.h5 /localize/perfect/BOTH/assigned > f1.txt
cmp -s a1.txt f1.txt || fail "--forest-seed 1 (= --seed) differs from the default"
for d in /spectral/GAUSSIAN/eigenvectors /spectral/IMPULSE/eigenvectors \
  /localize/perfect/BOTH/features /localize/perfect/BOTH/tests; do
  values r1.h5 $d > x1.txt
  values f2.h5 $d > x2.txt
  [[ -s x1.txt ]] && cmp -s x1.txt x2.txt || fail "--forest-seed 2 changed $d"
done
differ=0
for fs in GAUSSIAN IMPULSE BOTH; do
  values r1.h5 /localize/perfect/$fs/assigned > x1.txt
  values f2.h5 /localize/perfect/$fs/assigned > x2.txt
  cmp -s x1.txt x2.txt || differ=$((differ + 1))
done
[[ $differ -ge 2 ]] || fail "--forest-seed 2 changed the assignment of only $differ feature sets"

# A run that fails after its image sets (here: its output cannot be created)
# leaves them in <out>.scratch; the same command then takes them from there
# and gives the same results, and the scratch is removed.
mkdir killed.h5.partial
expect_error "killed.h5.partial" mpirun -np 2 "$netinfer" localize --config small.ini \
  --weights small.h5 --out killed.h5
ls killed.h5.scratch/*/set-*.h5 > /dev/null || fail "no image sets kept for a rerun"
rmdir killed.h5.partial
mpirun -np 2 "$netinfer" localize --config small.ini --weights small.h5 --out killed.h5 > resumed.txt
[[ $(grep -c "from the cache" resumed.txt) == 2 ]] || fail "the rerun recomputed its image sets"
values killed.h5 /localize/perfect/BOTH/assigned > resumed.txt
cmp -s a1.txt resumed.txt || fail "the resumed run differs"
[[ ! -e killed.h5.scratch ]] || fail "scratch left behind after the rerun"

# A recording: respond --record writes only the recorded rows with their
# neurons; localize from that file equals localize --record from the
# network, identical at 1 and 2 ranks; the split and the assignment keep to
# recorded neurons.
record=(--record "0.2,LINEARSOFT=4" --record-seed 3)
mpirun -np 2 "$netinfer" respond --weights small.h5 --sets GAUSSIAN,IMPULSE --images 300 \
  "${record[@]}" --out rec-resp.h5 > /dev/null
rows=$(h5ls rec-resp.h5/network | sed -n 's/^recorded *Dataset {\([0-9]*\)}/\1/p')
[[ -n $rows && $rows -lt 2630 ]] || fail "respond --record: no /network/recorded ($rows)"
[[ $(h5ls rec-resp.h5/responses/GAUSSIAN | grep -c "matrix *Dataset {$rows, 300}") == 1 ]] ||
  fail "respond --record: the matrix does not have the $rows recorded rows"
for np in 1 2; do
  mpirun -np $np "$netinfer" localize --config small.ini --weights small.h5 "${record[@]}" \
    --out rec$np.h5 > rec$np.txt
  grep -q "^recording $rows of 2630 neurons" rec$np.txt || { cat rec$np.txt; fail "no recording line"; }
done
"$netinfer" localize --config small.ini --responses rec-resp.h5 --out rec-file.h5 > /dev/null
values rec1.h5 /localize/perfect/BOTH/assigned > rec1.txt
values rec2.h5 /localize/perfect/BOTH/assigned > rec2.txt
values rec-file.h5 /localize/perfect/BOTH/assigned > rec-file.txt
cmp -s rec1.txt rec2.txt || fail "recorded: 2 ranks differ from 1"
cmp -s rec1.txt rec-file.txt || fail "recorded: from the responses file differs"
values rec1.h5 /network/recorded | tr -c '0-9\n' '\n' | grep . | sort > recorded.txt
values rec1.h5 /splits/perfect/test | tr -c '0-9\n' '\n' | grep . | sort > tests.txt
[[ -s tests.txt && -z $(comm -13 recorded.txt tests.txt) ]] || fail "a test neuron is not recorded"
[[ $(grep -c '' tests.txt) -lt 1315 ]] || fail "the split did not shrink with the recording"

# The memory plan alone, from the architecture: nothing computed or written;
# a run too large for this node is refused on every rank with the number of
# such nodes that would hold it.
layers="input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax"
mpirun -np 2 "$netinfer" localize --config small.ini --plan --architecture "$layers" \
  --out plan.h5 > plan.txt
grep -q "^memory per rank: responses" plan.txt || fail "--plan printed no plan"
grep -q "the plan fits 2 rank(s)" plan.txt || fail "--plan did not report that the run fits"
[[ ! -e plan.h5 && ! -e plan.h5.partial && ! -e plan.h5.scratch ]] || fail "--plan wrote a file"
expect_error "node(s) like this one with 2 rank(s) each would hold it" mpirun -np 2 "$netinfer" \
  localize --config small.ini --plan --architecture "$layers" --images 50000000 --out plan.h5
expect_error "is for --plan" "$netinfer" localize --config small.ini --architecture "$layers"

# Bad input: one line, non-zero exit, nothing that looks finished.
expect_error "unknown split" mpirun -np 2 "$netinfer" localize --config small.ini --weights small.h5 --split diagonal --out bad.h5
[[ ! -e bad.h5 ]] || fail "bad.h5 written"
expect_error "exists" "$netinfer" localize --config small.ini --weights small.h5 --out r1.h5
expect_error "no responses for image set 'MNIST'" "$netinfer" localize --responses kept.h5 --feature-set MNIST --out bad.h5
expect_error "--moments must be 0..4" "$netinfer" localize --config small.ini --weights small.h5 --moments 7 --out bad.h5
expect_error "(k) 5000: must be between 1 and the 2630 neurons" "$netinfer" localize --config small.ini --weights small.h5 --eigenvectors 5000 --out bad.h5
[[ ! -e bad.h5 && ! -e bad.h5.partial && ! -e bad.h5.scratch ]] || fail "a refused run left files"
expect_error "file not found" "$netinfer" respond --weights missing.h5 --out bad.h5
expect_error "unknown name" mpirun -np 2 "$netinfer" respond --weights small.h5 --sets GAUSS --out bad.h5
[[ ! -e bad.h5 ]] || fail "bad.h5 written"
echo "localize workflow: ok"
