#!/usr/bin/env bash
# End-to-end test of ONNX networks: `graph --weights model.onnx` lists the
# layers of neurons; `respond` on the residual fixture gives the same
# responses at 1, 2 and 4 ranks, with FILE stimuli in a MIXED set; a small
# `localize` runs on it; an unsupported op and a non-model give one clear line
# and a non-zero exit (at 1 rank: under mpirun any failing `respond` still
# ends in Open MPI's abort banner, weights of any format).
# usage: bash onnx_workflow.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
fixtures="$source_dir/tests/data/onnx"
enter_scratch

"$netinfer" graph --weights "$fixtures/residual.onnx" --layers-only > graph.txt 2>&1
for line in "layers of neurons (4005 neurons)" "RESIDUAL1       4 x  16 x  16      1024 neurons" \
  "POOLING3        8 x   1 x   1         8 neurons" "LINEARSOFT      5 x   1 x   1         5 neurons"; do
  grep -qF "$line" graph.txt || { cat graph.txt >&2; fail "graph lacks '$line'"; }
done

# A user's stimuli: 7 images of 2x16x16 in HDF5.
awk 'BEGIN { for (i = 0; i < 7 * 512; ++i) printf "%.6f ", sin(i * 0.37) }' > mine.txt
printf 'PATH /images\nINPUT-CLASS TEXTFP\nRANK 4\nDIMENSION-SIZES 7 2 16 16\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\nOUTPUT-ARCHITECTURE NATIVE\n' > mine.cfg
h5import mine.txt -c mine.cfg -o mine.h5
sets="GAUSSIAN,IMPULSE,PATCH(w=3:16,f=1,b=0),MIXED(FILE(mine.h5:images)+CONSTANT)"
for np in 1 2 4; do
  timeout 300 mpirun -np $np "$netinfer" respond --weights "$fixtures/residual.onnx" \
    --sets "$sets" --images 150 --out r$np.h5 > /dev/null
done
for np in 2 4; do
  for set in GAUSSIAN IMPULSE "PATCH(w=3:16,f=1,b=0)" "MIXED(FILE(mine.h5:images)+CONSTANT)"; do
    h5diff -d 1e-12 r1.h5 r$np.h5 "/responses/$set/matrix" "/responses/$set/matrix" > diff.txt ||
      { head diff.txt >&2; fail "responses to $set differ at $np ranks"; }
  done
done

timeout 300 "$netinfer" localize --responses r1.h5 --feature-set GAUSSIAN --feature-set IMPULSE \
  --eigenvectors 6 --trees 10 --out loc.h5 > loc.txt 2>&1 || { tail loc.txt >&2; fail "localize"; }
grep -q "RESIDUAL1" loc.txt || fail "localize's table has no RESIDUAL1 column"

# torch.onnx.export of a sigmoid: refused with one line, exit 1, no output.
expect_error "node '/Sigmoid' (Sigmoid): operator not supported" \
  "$netinfer" respond --weights "$fixtures/sigmoid.onnx" --sets GAUSSIAN --out s.h5
[[ $(wc -l < err.txt) == 1 ]] || { cat err.txt >&2; fail "more than one line on an unsupported op"; }
[[ ! -e s.h5 ]] || fail "an output file after an error"
echo "not a model" > junk.onnx
expect_error "junk.onnx: not an ONNX model" "$netinfer" graph --weights junk.onnx
echo "onnx_workflow: ok"
