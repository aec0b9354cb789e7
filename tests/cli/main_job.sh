#!/usr/bin/env bash
# The README's first command resumes: jobs/main.sh skips the stages whose
# output exists. With the weights in place it trains nothing and runs the
# localisation (made small by extra options, which go to `localize`); run
# again, it runs nothing.
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch
mkdir out
"$netinfer" train --architecture "input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax" \
  --epochs 1 --out out/lenet.h5 > train.txt
cp out/lenet.h5 weights.h5
small=(--feature-set GAUSSIAN --images 300 --eigenvectors 4 --trees 5)
export NETINFER_OUT=$work/out NETINFER_BUILD=$(dirname "$netinfer")
timeout 300 bash "$source_dir/jobs/main.sh" "${small[@]}" > first.txt 2>&1 ||
  { cat first.txt; fail "jobs/main.sh failed"; }
cmp -s out/lenet.h5 weights.h5 || fail "jobs/main.sh replaced the existing weights"
grep -q "^GAUSSIAN " first.txt || { cat first.txt; fail "no GAUSSIAN row from the localisation"; }
[[ -f out/results.h5 && ! -e out/results.h5.partial ]] || fail "no finished out/results.h5"
cp out/results.h5 results.h5
timeout 300 bash "$source_dir/jobs/main.sh" "${small[@]}" > second.txt 2>&1 ||
  { cat second.txt; fail "jobs/main.sh failed when run again"; }
grep -q "^main job: .* s; results in $work/out/results.h5" second.txt || fail "no summary line"
! grep -q "^netinfer \|^GAUSSIAN " second.txt || { cat second.txt; fail "a finished stage ran again"; }
cmp -s out/results.h5 results.h5 || fail "the second run changed out/results.h5"
echo "main job resumes: ok"
