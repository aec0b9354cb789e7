# Sourced first by every end-to-end test script, with the netinfer binary as
# its argument: strict mode, $netinfer, $source_dir (the repository), the
# runtime environment (jobs/env.sh) and the checks the scripts share.
#   source "$(dirname "$0")/lib/common.bash" "$1"
set -euo pipefail
netinfer=$(realpath "$1")
source_dir=$(realpath "${NETINFER_SOURCE:-$(dirname "${BASH_SOURCE[0]}")/../../..}")
source "$source_dir/jobs/env.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }

# A scratch directory, removed on exit, as the working directory.
enter_scratch() {
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cd "$work"
  # Open MPI's session directories under the scratch too: singletons of
  # scripts that ctest runs at once would otherwise share
  # /tmp/ompi.<host>.<uid>/jf.0, which one removes under another.
  export TMPDIR="$work/tmp"
  mkdir "$TMPDIR"
}

# expect_error FRAGMENT COMMAND...: the command fails within 120 s (a timeout
# is a hang, not the expected failure) and its stderr contains FRAGMENT;
# stdout and stderr are left in out.txt and err.txt.
expect_error() {
  local fragment=$1 rc=0
  shift
  timeout -k 5 120 "$@" > out.txt 2> err.txt || rc=$?
  [[ $rc != 0 ]] || fail "no error from: $*"
  [[ $rc != 124 && $rc != 137 ]] || fail "still running after 120 s (rc $rc): $*"
  grep -qF -- "$fragment" err.txt || { cat err.txt >&2; fail "expected '$fragment' from: $*"; }
}

# check_layout FILE RANKS [network]: the README's "HDF5 layout" promises for
# one output: the root attributes of the run (mpi_ranks = RANKS), an `axes`
# attribute on every dataset of two or more axes, and with `network`
# /network/locations (neurons x 4) with the neuron count.
check_layout() {
  local file=$1 ranks=$2 attr d
  for attr in program version git_revision command options mpi_ranks start_time; do
    h5dump -a "/$attr" "$file" > /dev/null 2>&1 || fail "$file: no root attribute $attr"
  done
  h5dump -a /mpi_ranks "$file" | grep -q "(0): $ranks\$" || fail "$file: mpi_ranks is not $ranks"
  while read -r d; do
    h5dump -a "$d/axes" "$file" > /dev/null 2>&1 || fail "$file: dataset $d has no axes attribute"
  done < <(h5ls -r "$file" | awk '/Dataset \{[^}]*,/ { print $1 }')
  if [[ ${3:-} == network ]]; then
    local count
    count=$(h5dump -a /network/neuron_count "$file" 2> /dev/null | awk '/\(0\):/ { print $2 }' || true)
    [[ -n $count ]] || fail "$file: no /network/neuron_count"
    h5ls "$file/network/locations" | grep -q "{$count, 4}" ||
      fail "$file: /network/locations is not $count x 4"
  fi
}
