#!/usr/bin/env bash
# Writes a synthetic recording of N tracers (default 1,000,000) for measuring the sysdig-tracers tool:
# four threads, each running a span with two nested children (one with arguments), plus async spans with numeric
# ids that end on another thread. Usage: benchmarks/make-recording.sh [tracers] > big.rec
set -euo pipefail
awk -v n="${1:-1000000}" 'BEGIN {
  print "# sysdig-tracers recording 1"
  # Nanoseconds after a fixed second, printed after it: awk numbers are doubles, too short for 19 digits.
  t = 0; written = 0; id = 1000
  while (written < n) {
    for (thread = 1; thread <= 4 && written < n; thread++) {
      tid = 5000 + thread
      printf "176450000%010d 4200 %d >:t:Bench.Orders.Place:item=book,quantity=%d:\n", t += 900, tid, written % 7
      printf "176450000%010d 4200 %d >:t:Bench.Orders.Price:item=book:\n", t += 300, tid
      printf "176450000%010d 4200 %d <:t:Bench.Orders.Price:return=12.5:\n", t += 1500 + written % 1000, tid
      printf "176450000%010d 4200 %d >:t:Bench.Billing.Invoice::\n", t += 200, tid
      printf "176450000%010d 4200 %d <:t:Bench.Billing.Invoice::\n", t += 800, tid
      printf "176450000%010d 4200 %d <:t:Bench.Orders.Place:return=25.0:\n", t += 400, tid
      printf "176450000%010d 4200 %d >:%d:Bench.Shipping.DaysAsync::\n", t += 100, tid, ++id
      printf "176450000%010d 4200 %d <:%d:Bench.Shipping.DaysAsync:return=2:\n", t += 5000, 5010, id
      written += 8
    }
  }
}'
