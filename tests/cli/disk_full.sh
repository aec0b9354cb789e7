#!/usr/bin/env bash
# A full disk, for real (issue 18, item 1): the outputs of train, respond,
# localize, simulate and experiment go to a small tmpfs that cannot hold them.
# Each command, at 1 and 2 ranks, must fail with the system's reason ("No space
# left on device"), without a crash, leaving no file under the finished name and
# no .partial (experiment keeps its .partial: it holds the runs already done).
# After space is freed, the same experiment command resumes and its results
# equal those of a run on a roomy disk. Needs root (to mount the tmpfs):
# skipped with a message otherwise.
# usage: bash disk_full.sh <path-to-netinfer>
source "$(dirname "$0")/lib/common.bash" "$1"
source "$source_dir/tests/cli/lib/experiment_runs.bash"
enter_scratch
disk=$work/disk
mkdir "$disk"
if [[ $(id -u) != 0 ]] || ! mount -t tmpfs -o size=1m tmpfs "$disk" 2> /dev/null; then
  echo "SKIPPED: disk_full.sh needs root to mount a small tmpfs"
  exit 0
fi
trap 'umount "$disk"; rm -rf "$work"' EXIT

# Leaves about $1 KiB free on the tmpfs (a filler file takes the rest).
leave_free() {
  rm -f "$disk/filler"
  local avail
  avail=$(df --output=avail -k "$disk" | tail -1)
  if ((avail > $1)); then fallocate -l $(((avail - $1) * 1024)) "$disk/filler"; fi
}

# A tiny IDX data set (200 training and 50 test images of noise), so that
# training takes a second.
be32() {
  local h
  h=$(printf '%08x' "$1")
  printf "\\x${h:0:2}\\x${h:2:2}\\x${h:4:2}\\x${h:6:2}"
}
idx() {
  local name=$1 n=$2 i
  { printf '\x00\x00\x08\x03'; be32 "$n"; be32 28; be32 28; head -c $((n * 784)) /dev/urandom; } \
    > data/$name-images-idx3-ubyte
  { printf '\x00\x00\x08\x01'; be32 "$n"; for ((i = 0; i < n; i++)); do printf "\\x0$((i % 10))"; done; } \
    > data/$name-labels-idx1-ubyte
}
mkdir data
idx train 200
idx t10k 50
arch="input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax"
"$netinfer" train --data-dir data --architecture "$arch" --epochs 1 --out small.h5 > train.txt

# expect_full NAME NP COMMAND...: fails on the full disk with the reason, no
# crash, no $disk/NAME, and no $disk/NAME.partial unless KEEP_PARTIAL=1.
expect_full() {
  local name=$1 np=$2
  shift 2
  local rc=0 launch=(mpirun -np "$np")
  ((np > 1)) || launch=()  # one rank: no launcher, whose exit banner is not ours
  timeout 120 "${launch[@]}" "$@" > out.txt 2> err.txt || rc=$?
  ((rc != 0)) || fail "no error from a full disk: $*"
  ((rc != 124 && rc != 137)) || fail "timed out on a full disk: $*"
  if grep -qiE "segmentation|signal 11|core dumped" err.txt; then
    cat err.txt >&2
    fail "crashed on a full disk ($np rank(s)): $*"
  fi
  grep -q "^netinfer: error.*No space left on device" err.txt ||
    { cat err.txt >&2; fail "no 'No space left on device' line ($np rank(s)): $*"; }
  if ((np == 1)); then
    [[ $(wc -l < err.txt) == 1 ]] || { cat err.txt >&2; fail "more than one error line: $*"; }
  fi
  [[ ! -e $disk/$name ]] || fail "$name exists after a failed write ($np rank(s))"
  if [[ ${KEEP_PARTIAL:-0} != 1 && -e $disk/$name.partial ]]; then
    fail "$name.partial left behind ($np rank(s))"
  fi
}

cat > small.ini << 'INI'
[localize]
feature-set = GAUSSIAN
images = 300
eigenvectors = 6
trees = 20
INI
for np in 1 2; do
  for free in 8 16; do
    leave_free $free
    expect_full w.h5 $np "$netinfer" train --data-dir data --architecture "$arch" --epochs 1 \
      --out "$disk/w.h5"
  done
  leave_free 16
  expect_full r.h5 $np "$netinfer" respond --weights small.h5 --sets GAUSSIAN --images 300 \
    --out "$disk/r.h5"
  expect_full s.h5 $np "$netinfer" simulate --generators chain3,er:n=20:p=0.2 --simulations 200 \
    --output "$disk/s.h5"
  # localize keeps the responses in memory; its image-set cache (about
  # 250 KiB here) and its results do not fit.
  leave_free 100
  expect_full l.h5 $np "$netinfer" localize --config small.ini --weights small.h5 \
    --out "$disk/l.h5"
done
umount "$disk"
mount -t tmpfs -o size=4m tmpfs "$disk"

# experiment: the results file fills the disk after its first runs. The
# .partial keeps the runs written so far; freeing space and running the same
# command again finishes the job, with the results of an unhindered run.
write_mini_job_file
"$netinfer" experiment --config mini.ini --weights small.h5 --out ref.h5 --scratch scratch \
  > ref.txt
run_results ref.h5 > ref.res
[[ $(wc -l < ref.res) == 6 ]] || fail "the reference job holds $(wc -l < ref.res) runs"
for np in 1 2; do
  rm -f "$disk"/e.h5*
  leave_free 250  # the new file and two runs (about 50 KiB each) fit, with 64 KiB to spare
  KEEP_PARTIAL=1 expect_full e.h5 $np "$netinfer" experiment --config mini.ini \
    --weights small.h5 --out "$disk/e.h5" --scratch scratch
  [[ -e $disk/e.h5.partial ]] || fail "experiment lost its .partial on a full disk"
  done_before=$(runs_in "$disk/e.h5.partial")
  ((done_before < 6)) || fail "all 6 runs fitted: the disk was not full enough"
  rm "$disk/filler"
  mpirun -np $np "$netinfer" experiment --config mini.ini --weights small.h5 \
    --out "$disk/e.h5" --scratch scratch > resumed.txt
  grep -q "job mini: 6 runs, $done_before already in" resumed.txt ||
    { cat resumed.txt >&2; fail "the rerun did not resume from $done_before runs"; }
  [[ -f $disk/e.h5 && ! -e $disk/e.h5.partial ]] || fail "the resumed job did not finish"
  run_results "$disk/e.h5" > e.res
  cmp -s ref.res e.res || { diff ref.res e.res | head >&2; fail "resumed results differ"; }
done
echo "disk_full: ok"
