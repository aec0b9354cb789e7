#!/usr/bin/env bash
# Error against the recorded fraction on LeNet (issue: networks of any size):
# `netinfer localize` with --record 1.0 (every neuron), 0.5, 0.25 and 0.1 of
# every layer, each partial recording with three recording seeds, feature
# sets GAUSSIAN, IMPULSE and CONCAT (jobs/main.ini's settings otherwise: 10,000
# images, perfect split within the recorded neurons). Writes, in
# ${NETINFER_OUT:-out}/record: one results file and log per run (a finished
# run is skipped, so a killed job resumes), record_fraction.tsv (one line per
# run and feature set), record_fraction.md (mean and range over the seeds)
# and record_fraction.png (gnuplot).
# usage: bash jobs/record_fraction.sh [fraction ...]   (default 1.0 0.5 0.25 0.1)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/jobs/env.sh"
netinfer="$root/build/netinfer"
weights="${NETINFER_OUT:-$root/out}/lenet.h5"
[[ -f "$weights" ]] || { echo "no $weights: run bash jobs/main.sh first" >&2; exit 1; }
out="${NETINFER_OUT:-$root/out}/record"
mkdir -p "$out"
cd "$out"
fractions=("$@")
[[ ${#fractions[@]} -gt 0 ]] || fractions=(1.0 0.5 0.25 0.1)
ranks="${NETINFER_RANKS:-2}"
start=$SECONDS
tsv=record_fraction.tsv
printf 'fraction\tseed\trecorded\tfeature_set\terror\terror_symmetric\n' > "$tsv.partial"
for f in "${fractions[@]}"; do
  seeds=(1 2 3)
  [[ "$f" == "1.0" ]] && seeds=(1)  # every neuron: no choice to vary
  for seed in "${seeds[@]}"; do
    name="record-$f-seed$seed"
    if [[ ! -f "$name.h5" ]]; then
      # docs/recording.md's table was made in double precision.
      mpirun -np "$ranks" "$netinfer" localize --config "$root/jobs/main.ini" --weights "$weights" \
        --feature-set GAUSSIAN IMPULSE CONCAT=GAUSSIAN,MNIST,trMNIST,IMPULSE \
        --record "$f" --record-seed "$seed" --precision double --out "$name.h5" --force \
        > "$name.log" 2>&1 ||
        { echo "$name failed: $(grep -m1 error "$name.log")" >&2; exit 1; }
    fi
    recorded="$(sed -n 's/^recording \([0-9]*\) of.*/\1/p' "$name.log")"
    [[ -n "$recorded" ]] || recorded=19694  # every neuron of LeNet
    awk -v f="$f" -v s="$seed" -v r="$recorded" '
      ($1 == "GAUSSIAN" || $1 == "IMPULSE" || $1 == "CONCAT") && $2 ~ /^[0-9.]+$/ {
        printf "%s\t%s\t%s\t%s\t%s\t%s\n", f, s, r, $1, $2, $3 }' "$name.log" >> "$tsv.partial"
    echo "== $name: $(grep -m1 'done in' "$name.log") ($((SECONDS - start)) s so far)"
  done
done
mv "$tsv.partial" "$tsv"

# The table: per fraction and feature set, mean [min, max] over the seeds.
awk -F'\t' 'NR == 1 { next }
  { k = $1 SUBSEP $4; n[k]++; e[k] += $5; s[k] += $6; r[$1] = $3
    if (!(k in lo) || $5 < lo[k]) lo[k] = $5; if (!(k in hi) || $5 > hi[k]) hi[k] = $5
    if (!(k in slo) || $6 < slo[k]) slo[k] = $6; if (!(k in shi) || $6 > shi[k]) shi[k] = $6
    if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
  END {
    print "| recorded | neurons | seeds | GAUSSIAN | IMPULSE | CONCAT |"
    print "|---|---|---|---|---|---|"
    for (i = 1; i <= m; i++) {
      f = order[i]; line = sprintf("| %s | %s | %d |", f, r[f], n[f SUBSEP "GAUSSIAN"])
      split("GAUSSIAN IMPULSE CONCAT", fs, " ")
      for (j = 1; j <= 3; j++) {
        k = f SUBSEP fs[j]
        if (n[k] > 1)
          line = line sprintf(" %.3f [%.3f, %.3f] / %.3f [%.3f, %.3f] |", e[k] / n[k], lo[k], hi[k],
                              s[k] / n[k], slo[k], shi[k])
        else
          line = line sprintf(" %.3f / %.3f |", e[k], s[k])
      }
      print line
    }
  }' "$tsv" > record_fraction.md

# The plot: mean strict (solid) and up-to-symmetry (dashed) error per feature set.
awk -F'\t' 'NR > 1 { k = $4 "\t" $1; n[k]++; e[k] += $5; s[k] += $6 }
  END { for (k in n) { split(k, p, "\t"); printf "%s\t%s\t%.4f\t%.4f\n", p[1], p[2], e[k] / n[k], s[k] / n[k] } }' \
  "$tsv" | sort -k1,1 -k2,2g > record_fraction.dat
cat > record_fraction.gp <<'EOF'
set terminal pngcairo size 800,500
set output 'record_fraction.png'
set logscale x
set xlabel 'recorded fraction of every layer'
set ylabel 'error (mean RMS graph distance over layers)'
set key top right
set yrange [0:*]
set title 'LeNet (Fashion-MNIST): error against the recorded fraction (mean of 3 seeds)'
plot for [fs in "GAUSSIAN IMPULSE CONCAT"] \
  sprintf("< grep '^%s\t' record_fraction.dat", fs) using 2:3 with linespoints title fs, \
  for [fs in "GAUSSIAN IMPULSE CONCAT"] \
  sprintf("< grep '^%s\t' record_fraction.dat", fs) using 2:4 with linespoints dashtype 2 \
  title fs.' (up to symmetry)'
EOF
if command -v gnuplot > /dev/null; then gnuplot record_fraction.gp; fi
cat record_fraction.md
echo "error against recorded fraction: $((SECONDS - start)) s; $out/record_fraction.md"
