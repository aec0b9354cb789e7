#!/usr/bin/env bash
# End-to-end test of the reconstruction workflow: simulate -> reconstruct
# train -> infer -> evaluate -> report on a tiny 3-neuron job, the same spike
# file from 1 and 2 ranks, and one-line errors (non-zero exit, no hang) for bad input.
# usage: bash reconstruct_workflow.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch

"$netinfer" simulate --generators chain3 --simulations 200 --steps 16 --output train.h5 > /dev/null
"$netinfer" simulate --generators "chain3, cyclic3" --simulations 100 --steps 16 --seed 2 \
  --output test.h5 > /dev/null
cat > job.ini <<'INI'
[reconstruct]
train-data = train.h5
data = test.h5
model = model.h5
predictions = predictions.h5
results = results.h5
steps = 300
learning-rate = 0.01
train-samples = 300
validation-samples = 100
validate-every = 100
windows = 2
INI
"$netinfer" reconstruct train --config job.ini > train.txt
grep -q "trained 300 steps" train.txt || fail "train summary missing"
"$netinfer" reconstruct infer --config job.ini > /dev/null
"$netinfer" reconstruct evaluate --config job.ini > /dev/null
"$netinfer" report results.h5 > report.txt
grep -q "AUROC" report.txt || fail "report has no AUROC table"
[[ $(grep -cE '^  (chain3|cyclic3) ' report.txt) == 2 ]] || { cat report.txt; fail "report rows"; }
# The lag-1 baselines orient every chain edge: their AUROC columns (the first
# column of each name) read 1.000. (In awk, `exit` in a rule still runs END,
# so the verdict is decided there.)
for method in lagged var glm te; do
  awk -v method="$method" '
    $1 == "generator" { for (k = NF; k > 0; k--) if ($k == method) col = k }
    $1 == "chain3" { found = 1; if (!col || $col != "1.000") bad = 1 }
    END { exit !(found && !bad) }' <(sed 's/|/ /g' report.txt) ||
    { cat report.txt; fail "$method AUROC of chain3 is not 1"; }
done
"$netinfer" report model.h5 > model.txt
grep -q "300 steps" model.txt || fail "model report"
"$netinfer" reconstruct --action infer --config job.ini --predictions p2.h5 > /dev/null
h5dump -d /reconstruct/predictions/g0000/mean_output predictions.h5 | tail -n +3 > a.txt
h5dump -d /reconstruct/predictions/g0000/mean_output p2.h5 | tail -n +3 > b.txt
cmp -s a.txt b.txt || fail "--action infer differs from the positional form"

# The spike file does not depend on the number of ranks.
mpirun -np 2 "$netinfer" simulate --generators "er:n=9:p=0.3:count=2" --simulations 7 \
  --output two.h5 > /dev/null
"$netinfer" simulate --generators "er:n=9:p=0.3:count=2" --simulations 7 --output one.h5 > /dev/null
for g in g0000 g0001; do
  h5dump -d /reconstruct/generators/$g/spikes one.h5 | tail -n +3 > one.txt
  h5dump -d /reconstruct/generators/$g/spikes two.h5 | tail -n +3 > two.txt
  cmp -s one.txt two.txt || fail "spikes of $g differ between 1 and 2 ranks"
done
check_layout two.h5 2
check_layout predictions.h5 1
check_layout model.h5 1
check_layout results.h5 1

# Bad input: one line naming the problem, non-zero exit, on 1 and 2 ranks.
expect_error "unknown family" "$netinfer" simulate --generators ring:n=4 --output x.h5
expect_error "unknown family" mpirun -np 2 "$netinfer" simulate --generators ring:n=4 --output x.h5
expect_error "exists (use --force" "$netinfer" simulate --generators chain3 --output train.h5
expect_error "--generators is required" "$netinfer" simulate --output x.h5
expect_error "--recorded 0 is not in (0, 1]" "$netinfer" simulate --generators chain3 --recorded 0 \
  --output x.h5
expect_error "leaves 1 recorded; at least 2 are needed" "$netinfer" simulate --generators chain3 \
  --recorded 0.4 --output x.h5
expect_error "--missed-spikes 1.5 is not in [0, 1]" mpirun -np 2 "$netinfer" simulate \
  --generators chain3 --missed-spikes 1.5 --output x.h5
expect_error "--false-spikes -0.1 is not in [0, 1]" "$netinfer" simulate --generators chain3 \
  --false-spikes -0.1 --output x.h5
expect_error "file not found: missing.h5" "$netinfer" reconstruct train --config job.ini \
  --train-data missing.h5 --model m2.h5
expect_error "not a spike file" "$netinfer" reconstruct train --config job.ini \
  --train-data model.h5 --model m2.h5
expect_error "not a model file" "$netinfer" reconstruct infer --config job.ini \
  --model test.h5 --predictions p3.h5
expect_error "samples, --train-samples 5000" "$netinfer" reconstruct train --config job.ini \
  --train-samples 5000 --model m2.h5
expect_error "action must be train, infer or evaluate" "$netinfer" reconstruct fit --config job.ini
"$netinfer" simulate --generators "chain3, er:n=5:p=0.3" --simulations 5 --output mixed.h5 > /dev/null
expect_error "the dense model needs one network size" "$netinfer" reconstruct train \
  --config job.ini --train-data mixed.h5 --kind dense --model m2.h5 --train-samples 10 \
  --validation-samples 0
expect_error "not an HDF5 file" "$netinfer" report job.ini
expect_error "was it inferred from this file" "$netinfer" reconstruct evaluate --config job.ini --data train.h5 \
  --results r2.h5
[[ ! -e m2.h5 && ! -e r2.h5 ]] || fail "a failed stage left an output file"
echo "reconstruct workflow: ok"
