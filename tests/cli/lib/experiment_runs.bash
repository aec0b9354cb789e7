# Shell helpers for the experiment tests (sourced; not a test itself).

# Every complete run of an experiment results file as one line, sorted by run
# key: the key, then the run group as h5dump prints it at full precision
# (%.17g) with every attribute and dataset, timings (*_seconds) left out. Two
# files with the same lines hold bit-identical results, whatever their group
# names or the order in which their runs finished.
run_results() {
  local file=$1 g key
  for g in $(h5ls "$file/runs" | awk '{print $1}'); do
    key=$(h5dump -a "/runs/$g/key" "$file" | sed -n 's/.*(0): "\(.*\)".*/\1/p')
    echo "$key | $(h5dump -m %.17g -y -w 0 -g "/runs/$g" "$file" | awk '
      NR <= 2 { next }                                  # file and group names
      skip != "" { if ($0 == skip) skip = ""; next }
      /^ *ATTRIBUTE "[a-z_]*_seconds" [{]$/ { match($0, /^ */); skip = substr($0, 1, RLENGTH) "}"; next }
      { gsub(/^ +/, ""); printf "%s ", $0 }')"
  done | sort
}

runs_in() { h5ls "$1/runs" | wc -l; }

# The miniature job of the gather and Slurm tests in the working directory: a
# small network (small.h5) and a 6-run job file (mini.ini: 2 feature sets x
# perfect + 2 random splits).
make_mini_job() {
  "$netinfer" train --architecture "input 1x28x28; conv 3 5 ramp; maxpool 4; linear 10 softmax" \
    --epochs 1 --out small.h5 > train.txt
  write_mini_job_file
}

# The 6-run job file alone (mini.ini).
write_mini_job_file() {
  cat > mini.ini << 'INI'
[experiment]
name = mini
feature-set = GAUSSIAN
feature-set = IMPULSE
split = perfect
split = random*2
images = 300
eigenvectors = 6
trees = 20
INI
}
