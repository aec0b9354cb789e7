#!/usr/bin/env bash
# End-to-end test of `netinfer spectral` on a synthetic responses file (two
# image sets of 240 neurons x 300 images with spatially local structure and
# silent neurons, written with h5import): every solver at 1, 2 and 4 ranks
# gives the same eigenpairs (h5diff; lanczos the same bits at 1, 2 and 4
# ranks for one block size), silent neurons have zero entries, single
# precision agrees to single accuracy, options come from a job file, and bad
# input gives one clear line and a non-zero exit.
# usage: bash spectral_cli.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch
run() { timeout 300 mpirun -np "$1" "$netinfer" spectral "${@:2}" > /dev/null; }
same() {  # same <tolerance> <a.h5> <b.h5> <dataset>
  h5diff -d "$1" "$2" "$3" "$4" "$4" > diff.txt || { head diff.txt >&2; fail "$2 and $3 differ in $4"; }
}

# Responses [neuron][image]: neuron i is a ramp (odd i) or linear (even i)
# mix of 4 neighbouring "pixels" of 16 per image; neurons 5 and 17 are silent.
# make_set NAME SEED [IMAGES [FILE]]
make_set() {
  local m=${3:-300} file=${4:-responses.h5}
  awk -v seed="$2" -v n=240 -v m="$m" 'BEGIN {
    srand(seed)
    for (j = 0; j < m; ++j) for (p = 0; p < 16; ++p)
      px[j, p] = sqrt(-2 * log(1 - rand())) * cos(6.283185307179586 * rand())
    for (i = 0; i < n; ++i) {
      for (t = 0; t < 4; ++t) w[t] = rand() - 0.3
      line = ""
      for (j = 0; j < m; ++j) {
        v = 0
        for (t = 0; t < 4; ++t) v += w[t] * px[j, (i + t) % 16]
        if (i % 2 == 1 && v < 0) v = 0
        if (i == 5 || i == 17) v = 0
        line = line sprintf("%.17g ", v)
      }
      print line
    }
  }' > "$1.txt"
  cat > "$1.cfg" <<CFG
PATH /responses/$1/matrix
INPUT-CLASS TEXTFP
RANK 2
DIMENSION-SIZES 240 $m
OUTPUT-CLASS FP
OUTPUT-SIZE 64
OUTPUT-ARCHITECTURE NATIVE
CFG
  h5import "$1.txt" -c "$1.cfg" -o "$file"
}
make_set GAUSSIAN 11
make_set IMPULSE 12

# Every solver, several rank counts and block sizes: the same eigenpairs.
run 2 --responses responses.h5 --k 6 --out lanczos2.h5
run 1 --responses responses.h5 --k 6 --block 7 --out lanczos1.h5
run 4 --responses responses.h5 --k 6 --block 16 --out lanczos4.h5
run 2 --responses responses.h5 --k 6 --solver elpa2 --block 16 --out elpa2.h5
run 4 --responses responses.h5 --k 6 --solver elpa1 --out elpa1.h5
run 1 --responses responses.h5 --k 6 --solver scalapack --block 5 --out scalapack.h5
for set in GAUSSIAN IMPULSE; do
  for other in lanczos1 lanczos4 elpa1 scalapack lanczos2; do
    same 1e-9 elpa2.h5 $other.h5 /spectral/$set/eigenvalues
    same 1e-6 elpa2.h5 $other.h5 /spectral/$set/eigenvectors
  done
done

# Bit-identical eigenpairs at 1 rank (with two OpenBLAS and OpenMP threads),
# 2 and 4 ranks for one block size, in double and single precision
# (docs/rank_invariance.md); 700 images make two blocks of images (512 each),
# so the moments are summed over blocks too. h5diff without -d is exact.
make_set BITS 13 700 bits.h5
for precision in double single; do
  options=(--responses bits.h5 --k 6 --block 16 --precision $precision)
  OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2 timeout 300 "$netinfer" spectral "${options[@]}" \
    --out $precision-1.h5 > /dev/null
  run 2 "${options[@]}" --out $precision-2.h5
  run 4 "${options[@]}" --out $precision-4.h5
  check_layout $precision-4.h5 4
  for ranks in 2 4; do
    for data in eigenvalues eigenvectors; do
      h5diff $precision-1.h5 $precision-$ranks.h5 /spectral/BITS/$data /spectral/BITS/$data \
        > diff.txt ||
        { head diff.txt >&2; fail "$precision: $data differ between 1 and $ranks ranks"; }
    done
  done
done

# Silent neurons 5 and 17 have exactly zero entries in every eigenvector.
for row in 5 17; do
  h5dump -d /spectral/GAUSSIAN/eigenvectors -s "$row,0" -c "1,6" -y -w 0 lanczos2.h5 |
    sed -n '/DATA {/,/}/{p;/}/q}' | tr -d ' \n' | grep -qx 'DATA{0,0,0,0,0,0}' ||
    fail "silent neuron $row has non-zero eigenvector entries"
done
h5dump -a /spectral/GAUSSIAN/silent_neurons lanczos2.h5 | grep -q "(0): 2" ||
  fail "silent_neurons is not 2"
for attr in transform solver sign_rule silent_handling precision k; do
  h5dump -a "/spectral/IMPULSE/$attr" lanczos2.h5 > /dev/null || fail "no attribute $attr"
done
h5dump -a /git_revision lanczos2.h5 > /dev/null || fail "no provenance"

# Single precision agrees to single accuracy; a job file supplies options;
# one set only; another transform.
run 2 --responses responses.h5 --k 6 --precision single --out single.h5
same 1e-4 elpa2.h5 single.h5 /spectral/GAUSSIAN/eigenvalues
same 1e-3 elpa2.h5 single.h5 /spectral/GAUSSIAN/eigenvectors
printf '[spectral]\nk = 3\nsets = IMPULSE\ntransform = cm^2\n' > job.ini
run 2 --config job.ini --responses responses.h5 --out job.h5
[[ $(h5ls -r job.h5 | grep -c eigenvalues) == 1 ]] || fail "--sets IMPULSE wrote other sets"
h5dump -a /spectral/IMPULSE/transform job.h5 | grep -q 'cm^2' || fail "transform not from job file"
[[ $(h5ls job.h5/spectral/IMPULSE/eigenvalues | grep -c '{3}') == 1 ]] || fail "k not from job file"

# Bad input: one clear line, non-zero exit, no output left looking finished.
echo "not hdf5" > text.h5
expect_error "no image set 'MNIST'" "$netinfer" spectral --responses responses.h5 --sets MNIST --out x.h5
expect_error "(k) 241: must be between 1 and the 240 neurons" \
  "$netinfer" spectral --responses responses.h5 --k 241 --out x.h5
expect_error "no /responses group" "$netinfer" spectral --responses elpa2.h5 --out x.h5
expect_error "not an HDF5 file" "$netinfer" spectral --responses text.h5 --out x.h5
expect_error "file not found" "$netinfer" spectral --responses missing.h5 --out x.h5
expect_error "exists (use --force" "$netinfer" spectral --responses responses.h5 --out elpa2.h5
expect_error "unknown solver 'arpack'" \
  "$netinfer" spectral --responses responses.h5 --solver arpack --out x.h5
expect_error "unknown transform 'cm^3'" \
  "$netinfer" spectral --responses responses.h5 --transform 'cm^3' --out x.h5
expect_error "no image set 'MNIST'" \
  mpirun -np 2 "$netinfer" spectral --responses responses.h5 --sets GAUSSIAN,MNIST --out x.h5
[[ ! -e x.h5 ]] || fail "a failed run left x.h5"
echo "spectral_cli: all checks passed"
