#!/usr/bin/env bash
# The bad-input battery: every command refuses bad options, job files and
# input files: 89 cases (90 for a user other than root), 39 of them at 1 rank
# (run directly) and at 2 ranks (mpirun), 128 runs in all, each with
#   - a non-zero exit within 60 s (a timeout is a hang, not a refusal),
#   - exactly one line on stderr, "netinfer: error: ..." holding the expected
#     words (no MPI banner, no second rank repeating it),
#   - no file under the output's finished name and no *.partial anywhere.
# usage: bash bad_inputs.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
enter_scratch
cases=0

# refused_at RANKS FRAGMENT OUTPUT ARGS...: `netinfer ARGS...` at RANKS ranks
# is refused as above; OUTPUT ("-" for none) must not exist afterwards. Each
# case runs in its own directory (links to the fixtures), up to 6 at once:
# a case spends most of its time waiting for MPI to start.
fixtures=(small.h5 resp.h5 spikes.h5 model.h5 text.h5 truncated.h5 ro nan.h5 flat.h5
  typo.ini other.ini section.ini toplevel.ini syntax.ini placeholder.ini)
check_refusal() {
  local ranks=$1 fragment=$2 output=$3 rc=0
  shift 3
  # One rank runs without mpirun, as an isolated singleton (no runtime
  # daemon: half the start-up time).
  local launch=(env OMPI_MCA_ess_singleton_isolated=1 "$netinfer")
  [[ $ranks == 1 ]] || launch=(mpirun -np "$ranks" "$netinfer")
  echo "at $ranks rank(s): netinfer $*"
  local start=$SECONDS
  timeout -k 5 60 "${launch[@]}" "$@" > out.txt 2> err.txt || rc=$?
  echo "exit $rc after $((SECONDS - start)) s"
  [[ $rc != 0 ]] || fail "no error"
  [[ $rc != 124 && $rc != 137 ]] || fail "still running after 60 s"
  [[ $(grep -c '' err.txt) == 1 ]] || { cat err.txt; fail "stderr is not one line"; }
  grep -qE '^netinfer: error( \(rank [0-9]+\))?: ' err.txt || { cat err.txt; fail "not an error line"; }
  grep -qF -- "$fragment" err.txt || { cat err.txt; fail "expected '$fragment'"; }
  [[ $output == - || ! -e $output ]] || fail "$output exists"
  [[ -z $(find . -name '*.partial') ]] || { find . -name '*.partial'; fail ".partial left"; }
  touch passed
}
refused_at() {
  cases=$((cases + 1))
  mkdir -p "case$cases/tmp"
  for f in "${fixtures[@]}"; do ln -s "../$f" "case$cases/$f"; done
  # Its own TMPDIR: Open MPI singletons started at once share the session
  # directory /tmp/ompi.<host>.<uid>/jf.0, and one that ends removes it under
  # another that is starting ("orte_session_dir failed").
  (cd "case$cases" && TMPDIR="$PWD/tmp" check_refusal "$@") > "case$cases/log" 2>&1 &
  while (($(jobs -rp | wc -l) >= 6)); do wait -n || true; done
}
# refused FRAGMENT OUTPUT ARGS...: refused_at 1 rank and at 2 ranks. (Every
# MPI start costs about 0.5 s of CPU: ranges that only the parsing checks run
# at 1 rank alone.)
refused() {
  refused_at 1 "$@"
  refused_at 2 "$@"
}

# Fixtures: a small network, its responses to 40 images, a spike file and a
# reconstruction model, and files that are not what they claim to be.
arch="input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax"
"$netinfer" train --architecture "$arch" --epochs 1 --out small.h5 > /dev/null
"$netinfer" respond --weights small.h5 --sets GAUSSIAN --images 40 --out resp.h5 > /dev/null
"$netinfer" simulate --generators chain3 --simulations 30 --steps 10 --output spikes.h5 > /dev/null
"$netinfer" reconstruct train --train-data spikes.h5 --model model.h5 --steps 4 \
  --train-samples 20 --validation-samples 4 --validate-every 2 > /dev/null
echo "not an HDF5 file" > text.h5
head -c 3000 small.h5 > truncated.h5
mkdir ro && chmod 0555 ro
# A responses file with a NaN response, and one whose matrix is 1-D.
printf '1 2 3 4\n5 nan 7 8\n1 0 1 0\n' > nan.txt
printf 'PATH /responses/GAUSSIAN/matrix\nINPUT-CLASS TEXTFP\nRANK 2\nDIMENSION-SIZES 3 4\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > nan.cfg
h5import nan.txt -c nan.cfg -o nan.h5
printf '1 2 3 4\n' > flat.txt
printf 'PATH /responses/GAUSSIAN/matrix\nINPUT-CLASS TEXTFP\nRANK 1\nDIMENSION-SIZES 4\nOUTPUT-CLASS FP\nOUTPUT-SIZE 64\n' > flat.cfg
h5import flat.txt -c flat.cfg -o flat.h5
# Job files: a typo in a command's section, a key of another command, an
# unknown section, a key no command takes, a line that is no option.
printf '[respond]\nsets = GAUSSIAN\nimagez = 0\n' > typo.ini
printf '# the paper job\n[experiment]\neigenvector = 3\n' > other.ini
printf '[respnd]\nimages = 10\n' > section.ini
printf 'imagess = 10\n' > toplevel.ini
printf '[respond]\nimages\n' > syntax.ini
printf '[train]\nmomentum = %%value%%\n' > placeholder.ini  # made Boost's error message loop

# The command line and job files.
refused "unknown command 'frobnicate'" - frobnicate
refused_at 1 "unrecognised option '--imagez'" o.h5 respond --weights small.h5 --imagez 3 --out o.h5
refused_at 1 "the argument ('many') for option '--images' is invalid" o.h5 respond --images many --out o.h5
refused_at 1 "cannot open job file missing.ini" o.h5 respond --config missing.ini --out o.h5
refused_at 1 "'%value%' is not allowed" w.h5 train --config placeholder.ini --out w.h5
refused_at 1 "'%value%' is not allowed" w.h5 train --momentum %value% --out w.h5
refused "typo.ini:3: unknown key 'imagez' in [respond]" o.h5 respond --config typo.ini --out o.h5
refused_at 1 "(closest: images)" o.h5 respond --config typo.ini --out o.h5
refused "other.ini:3: unknown key 'eigenvector' in [experiment]" o.h5 respond --config other.ini --out o.h5
refused_at 1 "(closest: eigenvectors)" o.h5 experiment --config other.ini --out o.h5
refused "section.ini:1: unknown section [respnd]" o.h5 respond --config section.ini --out o.h5
refused "toplevel.ini:1: unknown key 'imagess': no command takes it (closest: images)" o.h5 \
  respond --config toplevel.ini --out o.h5
refused_at 1 "images" o.h5 respond --config syntax.ini --out o.h5

# train
refused "--out /nonexistent-dir/w.h5: directory /nonexistent-dir does not exist" - \
  train --architecture "$arch" --out /nonexistent-dir/w.h5
refused "--out is empty" - train --architecture "$arch" --out ''
refused_at 1 "--out .: is a directory" - train --architecture "$arch" --out .
refused "output file small.h5 exists (use --force" - train --architecture "$arch" --out small.h5
refused "--epochs must be at least 1" w.h5 train --epochs 0 --out w.h5
refused_at 1 "--batch must be at least 1" w.h5 train --batch 0 --out w.h5
refused_at 1 "--learning-rate must be a positive number" w.h5 train --learning-rate -1 --out w.h5
refused_at 1 "--momentum must be in [0, 1)" w.h5 train --momentum 1 --out w.h5
refused_at 1 "--optimizer must be sgd or adam" w.h5 train --optimizer rmsprop --out w.h5
refused_at 1 "--seed must be non-negative" w.h5 train --seed -2 --out w.h5
refused_at 1 "frob" w.h5 train --architecture "input 1x28x28; frob 3; linear 10 softmax" --out w.h5
refused_at 1 "/nonexistent-data" w.h5 train --architecture "$arch" --data-dir /nonexistent-data --out w.h5
refused_at 1 "but the images of" w.h5 train --architecture "input 1x32x32; linear 10 softmax" --out w.h5

# respond
refused "file not found: missing.h5" o.h5 respond --weights missing.h5 --out o.h5
refused "text.h5" o.h5 respond --weights text.h5 --out o.h5
refused "truncated.h5" o.h5 respond --weights truncated.h5 --out o.h5
refused "resp.h5" o.h5 respond --weights resp.h5 --out o.h5
refused "unknown name" o.h5 respond --weights small.h5 --sets GAUSSIAN,BOGUS --out o.h5
refused_at 1 "unknown name" o.h5 respond --weights small.h5 --sets "MIXED(GAUSSIAN+BOGUS)" --out o.h5
refused_at 1 "--sets names GAUSSIAN twice" o.h5 respond --weights small.h5 --sets GAUSSIAN,GAUSSIAN --out o.h5
refused_at 1 "image set list ',': empty item" o.h5 respond --weights small.h5 --sets , --out o.h5
refused_at 1 "--images must be positive" o.h5 respond --weights small.h5 --images 0 --out o.h5
refused_at 1 "--seed must be non-negative" o.h5 respond --weights small.h5 --seed -1 --out o.h5
refused "--out is empty" - respond --weights small.h5 --sets GAUSSIAN --images 20 --out ''
# (root may write anywhere)
[[ $(id -u) == 0 ]] || refused "cannot write in ro" ro/o.h5 respond --weights small.h5 --out ro/o.h5
refused "/nonexistent-data" o.h5 respond --weights small.h5 --sets MNIST --data-dir /nonexistent-data --out o.h5

# simulate
refused_at 1 "--generators is required" s.h5 simulate --output s.h5
refused_at 1 "--output is required" - simulate --generators chain3
refused "unknown family" s.h5 simulate --generators chain3,ring:n=4 --output s.h5
refused_at 1 "n=50505 is not a number in [2, 20000]" s.h5 simulate --generators er:n=50505:p=0 \
  --output s.h5
refused "--spike-rate 2 is not in [0, 1]" s.h5 simulate --generators chain3 --spike-rate 2 --output s.h5
refused_at 1 "--steps must be positive" s.h5 simulate --generators chain3 --steps 0 --output s.h5
refused_at 1 "--simulations must be positive" s.h5 simulate --generators chain3 --simulations 0 --output s.h5
refused_at 1 "--seed must be non-negative" s.h5 simulate --generators chain3 --seed -1 --output s.h5
refused_at 1 "directory /nonexistent-dir does not exist" - simulate --generators chain3 --output /nonexistent-dir/s.h5
refused "missing.txt" s.h5 simulate --generators file:path=missing.txt --output s.h5

# spectral
refused_at 1 "the option '--responses' is required" sp.h5 spectral --out sp.h5
refused_at 1 "file not found: missing.h5" sp.h5 spectral --responses missing.h5 --out sp.h5
refused "no /responses group" sp.h5 spectral --responses small.h5 --out sp.h5
refused_at 1 "text.h5" sp.h5 spectral --responses text.h5 --out sp.h5
refused "no image set 'MNIST'" sp.h5 spectral --responses resp.h5 --sets MNIST --out sp.h5
refused_at 1 "--k 0: must be at least 1" sp.h5 spectral --responses resp.h5 --k 0 --out sp.h5
refused "solver lanczos delivers at most 39 eigenpairs" sp.h5 spectral --responses resp.h5 --k 400 --out sp.h5
refused_at 1 "--solver: unknown solver 'qr'" sp.h5 spectral --responses resp.h5 --solver qr --out sp.h5
refused_at 1 "--transform: unknown transform" sp.h5 spectral --responses resp.h5 --transform log --out sp.h5
refused_at 1 "--precision: unknown precision 'half'" sp.h5 spectral --responses resp.h5 --precision half --out sp.h5
refused_at 1 "--silent: unknown handling" sp.h5 spectral --responses resp.h5 --silent drop --out sp.h5
refused_at 1 "--tolerance 2: must be in [0, 1)" sp.h5 spectral --responses resp.h5 --tolerance 2 --out sp.h5
refused "directory /nonexistent-dir does not exist" - spectral --responses resp.h5 --out /nonexistent-dir/sp.h5
refused "is not a finite number" sp.h5 spectral --responses nan.h5 --k 1 --out sp.h5
refused "expected [neurons, images], found 1 dimensions" sp.h5 spectral --responses flat.h5 --out sp.h5

# graph
refused "frob" - graph --architecture "input 1x28x28; frob 3"
refused_at 1 "unrecognised option '--neurons'" - graph --neurons 3

# gather (one process only)
refused_at 1 "which files?" g.h5 gather --out g.h5
refused_at 1 "file not found: missing.h5" g.h5 gather --out g.h5 missing.h5
refused_at 1 "small.h5: not an experiment results file" g.h5 gather --out g.h5 small.h5
refused_at 1 "--out is empty" - gather --out '' small.h5
refused_at 2 "run it as one process" g.h5 gather --out g.h5 small.h5

# report
refused_at 1 "which file?" - report
refused "file not found: missing.h5" - report missing.h5
refused_at 1 "text.h5" - report text.h5
refused "no groups that netinfer report knows" - report small.h5

# reconstruct
refused_at 1 "action must be train, infer or evaluate, got ''" - reconstruct
refused "action must be train, infer or evaluate, got 'fit'" - reconstruct fit
refused_at 1 "--train-data is required" m.h5 reconstruct train --model m.h5
refused "file not found: missing.h5" m.h5 reconstruct train --train-data missing.h5 --model m.h5
refused "--b must be at least 1" m.h5 reconstruct train --train-data spikes.h5 --model m.h5 --b 0
refused_at 1 "--learning-rate must be a positive number" m.h5 reconstruct train --train-data spikes.h5 \
  --model m.h5 --learning-rate 0
refused_at 1 "--kind must be 'locality' or 'dense'" m.h5 reconstruct train --train-data spikes.h5 \
  --model m.h5 --kind cnn
refused "directory /nonexistent-dir does not exist" - reconstruct train --train-data spikes.h5 \
  --model /nonexistent-dir/m.h5
refused "file not found: missing.h5" p.h5 reconstruct infer --model missing.h5 --data spikes.h5 \
  --predictions p.h5
refused_at 1 "--predictions is required" r.h5 reconstruct evaluate --data spikes.h5 --results r.h5

# localize, experiment and search (their checks are the lead's; these hold)
refused "file not found: missing.h5" l.h5 localize --weights missing.h5 --images 40 --out l.h5
refused "unknown name" l.h5 localize --weights small.h5 --feature-set BOGUS --images 40 --out l.h5
refused "unknown split" l.h5 localize --weights small.h5 --feature-set GAUSSIAN --split diagonal \
  --images 40 --out l.h5
refused_at 1 "file not found: missing.h5" e.h5 experiment --weights missing.h5 --feature-set GAUSSIAN \
  --images 40 --out e.h5
refused "unknown name" e.h5 experiment --weights small.h5 --feature-set BOGUS --images 40 --out e.h5
refused "unknown split" e.h5 experiment --weights small.h5 --feature-set GAUSSIAN --split diagonal \
  --images 40 --out e.h5
refused "missing.h5" s.h5 search --networks missing.h5 --budget 1 --out s.h5
refused_at 1 "directory /nonexistent-dir does not exist" - experiment --weights small.h5 \
  --feature-set GAUSSIAN --images 40 --out /nonexistent-dir/e.h5
refused_at 1 "--out is empty" - search --networks small.h5 --budget 1 --out ''
# --record
refused_at 1 "fraction 1.5 exceeds 1" l.h5 localize --weights small.h5 --feature-set GAUSSIAN \
  --images 40 --record 1.5 --out l.h5
refused "no layer CONV7" l.h5 localize --weights small.h5 --feature-set GAUSSIAN --images 40 \
  --record 0.5,CONV7=3 --out l.h5
refused_at 1 "neither a count, a fraction nor a readable file" r.h5 respond --weights small.h5 \
  --sets GAUSSIAN --images 40 --record half --out r.h5
refused_at 1 "a responses file holds its own" l.h5 localize --responses resp.h5 \
  --feature-set GAUSSIAN --record 0.5 --out l.h5

wait
for ((c = 1; c <= cases; ++c)); do
  [[ -e case$c/passed ]] || { cat "case$c/log" >&2; fail "case $c"; }
done

# Ranks started with different arguments stop at once with one line.
rc=0
timeout -k 5 60 mpirun -np 1 "$netinfer" respond --weights small.h5 --sets GAUSSIAN --images 30 \
  --out m.h5 : -np 1 "$netinfer" respond --weights small.h5 --sets GAUSSIAN --images 60 \
  --out m.h5 > out.txt 2> err.txt || rc=$?
[[ $rc != 0 && $rc != 124 && $rc != 137 ]] || fail "ranks with different arguments: rc $rc"
[[ $(grep -c '' err.txt) == 1 ]] && grep -q "^netinfer: error: MPI rank 1 was started with other arguments than rank 0" err.txt ||
  { cat err.txt >&2; fail "ranks with different arguments: not one line"; }
[[ ! -e m.h5 && -z $(find . -name '*.partial') ]] || fail "ranks with different arguments left a file"
cases=$((cases + 1))

echo "bad_inputs: $cases refusals checked"
