#!/usr/bin/env bash
# Latency of POST /api/race for 6 optimizers x 1,000 steps on rosenbrock, measured from outside the
# server with curl over loopback (request sent to full answer read). Start the server first:
#   java -jar cli/target/rmsprop4j.jar serve --port 18081
# then: tools/playground/race_latency.sh [URL] [WARMUP] [N] [SERVER_PID]
# With SERVER_PID it also prints the server's CPU time per request (from /proc), which a busy
# machine inflates much less than the wall-clock latency.
set -euo pipefail
url="${1:-http://127.0.0.1:18081}"
warm="${2:-100}"
n="${3:-300}"
pid="${4:-}"
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
body='{"surface":"rosenbrock","start":[-1.5,2],"steps":1000,"optimizers":["rmsprop:preset=pytorch","rmsprop:preset=keras,lr=0.01","adam:lr=0.05","adagrad:lr=0.5","sgd:lr=0.001,momentum=0.9","adadelta:lr=1"]}'
for i in $(seq "$warm"); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$body" "$url/api/race"; done
if [ -n "$pid" ]; then
  c0=$(cpu "$pid")
  for i in $(seq "$n"); do curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d "$body" "$url/api/race"; done
  c1=$(cpu "$pid")
  echo "server CPU per request: $(awk -v a="$c0" -v b="$c1" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f ms", (b - a) * 1000 / hz / n}')"
fi
bytes=$(curl -s -X POST -H 'Content-Type: application/json' -d "$body" "$url/api/race" | wc -c)
for i in $(seq "$n"); do curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -d "$body" "$url/api/race"; done \
  | sort -n | awk -v bytes="$bytes" '{a[NR]=$1} END {printf "n=%d  answer %d bytes  min %.1f ms  median %.1f ms  p90 %.1f ms  max %.1f ms\n", NR, bytes, a[1]*1000, a[int(NR/2)]*1000, a[int(NR*0.9)]*1000, a[NR]*1000}'
