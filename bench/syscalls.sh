#!/usr/bin/env bash
# System calls and CPU per request of one server process under a wrk load, from perf's syscall
# tracepoints (no ptrace, so the server runs at nearly full speed, unlike strace -c).
#
# usage: bench/syscalls.sh PORT PID [CONNS] [PATH]
#   PORT   where the server listens on 127.0.0.1 (start it with run.sh's configs, or by hand)
#   PID    the process doing the work (tollgated's PID, or the nginx worker's)
#   CONNS  wrk connections (50); PATH (/small)
# env: DUR=4 (s counted), needs perf (linux-perf) with access to tracepoints (root).
# Prints per request: recvfrom, sendto, sendmsg, writev, readv, epoll_ctl, epoll_wait, context
# switches and task-clock CPU (us). Requests are counted as sendmsg+writev+sendto / 2 for a proxy
# (one write to the upstream, one to the client), so the figures do not depend on wrk's timing.
set -euo pipefail
PORT=${1:?port} PID=${2:?pid} C=${3:-50} P=${4:-/small} DUR=${DUR:-4}
B=$(cd "$(dirname "$0")" && pwd)
command -v perf >/dev/null || { echo "syscalls.sh: perf is not installed" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
wrk -t1 -c"$C" -d$((DUR + 2))s -s "$B/conf/report.lua" "http://127.0.0.1:$PORT$P" >"$OUT/wrk" &
WRK=$!
sleep 1
ev=recvfrom,sendto,sendmsg,writev,readv,epoll_ctl,epoll_wait
perf stat -x, -e "$(echo $ev | sed 's/\([a-z_]*\)/syscalls:sys_enter_\1/g'),context-switches,task-clock" \
  -p "$PID" -- sleep "$DUR" 2>"$OUT/stat"
wait $WRK
awk -F, '
  { v[$3] = $1 }
  END {
    w = v["syscalls:sys_enter_sendmsg"] + v["syscalls:sys_enter_writev"] + v["syscalls:sys_enter_sendto"]
    n = w / 2
    if (n < 1) { print "no requests counted"; exit 1 }
    printf "requests %d (writes/2)\n", n
    split("recvfrom sendto sendmsg writev readv epoll_ctl epoll_wait", names, " ")
    for (i = 1; i <= 7; i++) printf "  %-12s %6.3f /req\n", names[i], v["syscalls:sys_enter_" names[i]] / n
    printf "  %-12s %6.3f /req\n", "ctx-switch", v["context-switches"] / n
    printf "  %-12s %6.2f us/req (perf tracepoints add a little)\n", "cpu", v["task-clock"] * 1000 / n
  }' "$OUT/stat"
