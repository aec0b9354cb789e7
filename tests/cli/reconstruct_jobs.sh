#!/usr/bin/env bash
# jobs/reconstruct.sh (the thesis's experiments) stays runnable: one empty-data
# session per model, the 3-neuron and train-small/apply-large tables, and a
# second run that finds every file and recomputes nothing.
# usage: bash reconstruct_jobs.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch

run() {
  NETINFER_BIN="$netinfer" NETINFER_OUT="$work" NETINFER_SESSIONS=1 \
    bash "$source_dir/jobs/reconstruct.sh" > "$1" 2>&1 || { cat "$1"; fail "jobs/reconstruct.sh failed"; }
}
run first.txt
# Empty data: the locality model settles on one value for every pair (loss 2/3
# or 1); the dense model's biases learn the constant target (loss 0).
grep -qE '^ +1 locality: loss (0\.667|1\.000)' first.txt || { cat first.txt; fail "locality on empty data"; }
grep -qE '^ +1 dense: loss 0\.000' first.txt || { cat first.txt; fail "dense on empty data"; }
# The 3-neuron model reconstructs the chain it was trained on (share of right pairs).
# (In awk, `exit` in a rule still runs END, so the verdict is decided there.)
awk '$1 == "chain3" && $4 == "0.250" { found = 1; if ($9 < 0.9) bad = 1 } END { exit !(found && !bad) }' \
  <(sed 's/|/ /g' first.txt) || { cat first.txt; fail "chain3 at rate 0.25"; }
[[ $(grep -cE '^  (er|dag|smallworld):n=' first.txt) == 12 ]] || { cat first.txt; fail "small-large rows"; }
# Every baseline has its AUROC and AUPRC columns in the train-small table.
grep -qE '^  generator .*\| +model +pearson +lagged +partial +var +glm +te +\| +model +pearson +lagged +partial +var +glm +te +\|$' \
  first.txt || { cat first.txt; fail "baseline columns"; }

model="$work/reconstruct/chain3_model.h5"
before=$(stat -c %Y "$model")
sleep 1
run second.txt
[[ $(stat -c %Y "$model") == "$before" ]] || fail "the second run retrained the model"
diff <(grep -v ' s;\| s$\|steps in' first.txt) <(grep -v ' s;\| s$\|steps in' second.txt) ||
  fail "the second run printed other tables"
echo "reconstruct_jobs: ok"
