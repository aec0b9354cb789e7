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
