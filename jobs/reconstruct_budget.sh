#!/usr/bin/env bash
# Data-budget curves: AUROC and AUPRC of the model trained on n = 10
# (jobs/reconstruct_small_large.ini) and of every baseline against the
# number of observed transitions, 31 (1 simulation of 32 steps) to 31,000
# (1,000 simulations), on the networks of jobs/simulate_budget.ini (three
# families at n = 100 and 300). Writes budget.tsv (one line per network,
# budget and method), budget.md (the table) and budget.png (gnuplot).
# usage: bash jobs/reconstruct_budget.sh [K ...]   (default K = 1 3 10 30 100 300 1000)
source "$(dirname "$0")/reconstruct_lib.sh"
budgets=("$@")
[[ ${#budgets[@]} -gt 0 ]] || budgets=(1 3 10 30 100 300 1000)
start=$SECONDS
small_model
tsv=budget.tsv
printf 'network\tn\ttransitions\tmethod\tauroc\tauprc\n' > "$tsv.partial"
for k in "${budgets[@]}"; do
  make_file "budget_$k.h5" mpi simulate --config "$jobs/simulate_budget.ini" --simulations "$k" \
    --output "budget_$k.h5"
  apply_small_model "budget_$k.h5" "budget_$k"
  echo "== $k simulations ($((k * 31)) transitions): $((SECONDS - start)) s"
  report_file "budget_${k}_results.h5" | sed 's/|/ /g' | awk -v t=$((k * 31)) '
    $1 == "generator" { m = (NF - 9) / 2; for (k = 0; k < m; k++) name[k] = $(10 + k); next }
    m && NF == 9 + 2 * m { split($1, f, ":")
      for (k = 0; k < m; k++) printf "%s\t%s\t%d\t%s\t%s\t%s\n", f[1], $2, t, name[k], $(10 + k), $(10 + m + k) }' \
    >> "$tsv.partial"
done
mv "$tsv.partial" "$tsv"

# The table: one row per network and budget, AUROC / AUPRC per method.
awk -F'\t' 'NR == 1 { next }
  { key = $1 " | " $2 " | " $3; if (!(key in seen)) { seen[key] = 1; order[++rows] = key }
    if (!($4 in col)) { col[$4] = ++cols; name[cols] = $4 }
    cell[key, $4] = sprintf("%.3f / %.3f", $5, $6) }
  END { printf "| network | n | transitions |"; for (c = 1; c <= cols; c++) printf " %s |", name[c]
        printf "\n|---|---|---|"; for (c = 1; c <= cols; c++) printf "---|"; printf "\n"
        for (r = 1; r <= rows; r++) { printf "| %s |", order[r]
          for (c = 1; c <= cols; c++) printf " %s |", cell[order[r], name[c]]; printf "\n" } }' \
  "$tsv" > budget.md
cat budget.md

# The plot: AUPRC against transitions (log scale), a panel per network, a
# line per method (data in budget.d/<family>_<n>_<method>.dat).
rm -rf budget.d && mkdir budget.d
awk -F'\t' 'NR > 1 { print $3, $5, $6 > ("budget.d/" $1 "_" $2 "_" $4 ".dat") }' "$tsv"
methods=$(awk -F'\t' 'NR > 1 && !seen[$4]++ { print $4 }' "$tsv")
{
  echo "set terminal pngcairo size 1500,850 font 'sans,10' noenhanced"
  echo "set output 'budget.png'"
  echo "set multiplot layout 2,3 title 'AUPRC against observed transitions (model trained on n = 10; baselines from the same data)'"
  echo "set logscale x; set xrange [20:50000]; set yrange [0:1.02]; set grid; set key bottom right font ',8'"
  echo "set xlabel 'transitions'; set ylabel 'AUPRC'"
  for n in 100 300; do
    for family in er dag smallworld; do
      echo "set title '$family n = $n'"
      plot="plot"
      for method in $methods; do
        plot+=" 'budget.d/${family}_${n}_$method.dat' using 1:3 with linespoints title '$method',"
      done
      echo "${plot%,}"
    done
  done
  echo "unset multiplot"
} > budget.gp
gnuplot budget.gp
echo "data-budget curves: $((SECONDS - start)) s; $out/budget.md, $out/budget.png"
