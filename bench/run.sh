#!/usr/bin/env bash
# Data-path benchmark: tollgated against nginx as a plain reverse proxy, in one alternating run.
#
# usage: bench/run.sh [--quick] [--no-tollgate] [--gateway] [--tls] [--idle N]
#   (default)      upstream :18080, nginx-proxy :18090, tollgated :18100; wrk rounds alternate the order;
#                  prints req/s, p50, p99, CPU us/request and the ratios to nginx-proxy
#   --quick        1 round of 3 s per load (REPS/DUR still override)
#   --no-tollgate  nginx only (upstream direct and nginx-proxy): checks the setup without a tollgated
#   --gateway      also nginx-gw :18091 (API key map, per-route check, limiter, buffered JSON log) and
#                  tollgate-gw :18101 (key auth + per-route permission), both doing gateway work
#   --tls          instead of the plain loads: HTTPS, nginx-tls :18093 against tollgate-tls :18103, the
#                  same self-signed P-256 certificate (made here with `openssl req`), one worker each;
#                  keep-alive load (/small:50) and a new connection and handshake per request (/small:50:close)
#   --idle N       instead of the load runs: resident memory per idle keep-alive connection, N connections,
#                  for nginx-proxy and tollgated
#   --capture      also tollgate-cap :18102: tollgate-proxy.yaml with header capture turned on (through
#                  its admin API on :18112), to compare with tollgate in the same run
#   --tls-upstream both proxies reach the upstream over TLS (:18443, a certificate from a throwaway CA
#                  made with the openssl CLI) and verify it: nginx with proxy_ssl_verify and session
#                  reuse, tollgated with an https:// target and services[].tls.ca
# env: TOLLGATED=path (default build/app/tollgated; built by you, never by this script)
#      REPS=3 DUR=10 WARMUP=2 LOADS=/small:50,/small:1,/4k:50 NICE=-10 MAX_OTHER=15
#      PIN=1: the proxy under test on CPU 1, upstream and wrk on CPU 0 (the same for every proxy), so
#             the scheduler's placement of three busy processes on two cores does not decide req/s
#      BENCH_RUN=/tmp/tollgate-bench (run folder: rendered configs, server logs, results/<timestamp>/)
# Every server runs in the foreground of a background job, listens on 127.0.0.1 only and is stopped by its
# PID when this script exits (SIGTERM, SIGKILL after 5 s). Every wrk run is bounded (-d, plus a timeout).
set -euo pipefail

B=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$B")
R=${BENCH_RUN:-/tmp/tollgate-bench}
TOLLGATED=${TOLLGATED:-$ROOT/build/app/tollgated}
QUICK=0 WITH_TOLLGATE=1 IDLE=0 GATEWAY=0 TLS=0 TLS_UP=0 CAPTURE=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) QUICK=1 ;;
    --no-tollgate) WITH_TOLLGATE=0 ;;
    --gateway) GATEWAY=1 ;;
    --tls) TLS=1 ;;
    --tls-upstream) TLS_UP=1 ;;
    --capture) CAPTURE=1 ;;
    --idle) IDLE=${2:?--idle needs a connection count}; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ $QUICK = 1 ]; then REPS=${REPS:-1} DUR=${DUR:-3} WARMUP=${WARMUP:-1}; fi
[ $TLS = 1 ] && LOADS=${LOADS:-/small:50,/small:50:close}
REPS=${REPS:-3} DUR=${DUR:-10} WARMUP=${WARMUP:-2} LOADS=${LOADS:-/small:50,/small:1,/4k:50}
NICE=${NICE:--10}; export NICE PIN=${PIN:-0}

for tool in nginx wrk python3 ss curl openssl; do
  command -v $tool >/dev/null || { echo "run.sh: $tool is not installed" >&2; exit 1; }
done
if [ $WITH_TOLLGATE = 1 ] && [ ! -x "$TOLLGATED" ]; then
  echo "run.sh: no tollgated at $TOLLGATED (build it, set TOLLGATED=..., or use --no-tollgate)" >&2; exit 1
fi

OUT=$R/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$R/conf" "$R/tmp" "$R/data" "$OUT"
# nginx configs are templates: @RUN@ becomes this run's folder (pid files, temp paths)
for f in "$B"/conf/*.conf; do sed "s#@RUN@#$R#g" "$f" >"$R/conf/$(basename "$f")"; done
cp "$B/conf/tollgate-proxy.yaml" "$B/conf/tollgate-gw.yaml" "$B/conf/tollgate-tls.yaml" "$R/conf/"
CAPTURE_TOKEN=bench-capture-token-0123456789
if [ $CAPTURE = 1 ]; then   # the plain proxy again, with an admin API to turn header capture on
  sed -e 's#127.0.0.1:18100#127.0.0.1:18102#' -e 's#tollgate-proxy.db#tollgate-cap.db#' \
    -e 's#^  workers: 1#  workers: 1\n  admin: { listen: "127.0.0.1:18112" }#' \
    "$B/conf/tollgate-proxy.yaml" >"$R/conf/tollgate-cap.yaml"
fi
if [ $TLS = 1 ]; then   # one certificate for both servers, as a site would deploy it
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$R/conf/tls.key" -out "$R/conf/tls.crt" 2>/dev/null
fi
rm -f "$R"/conf/upstream-tls.inc
if [ $TLS_UP = 1 ]; then
  T=$R/tls; mkdir -p "$T"
  ec=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
  openssl req -x509 "${ec[@]}" -days 2 -subj /CN=bench-ca -keyout "$T/ca.key" -out "$T/ca.pem" 2>/dev/null
  openssl req "${ec[@]}" -subj /CN=localhost -keyout "$T/up.key" -out "$T/up.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$T/up.ext"
  openssl x509 -req -in "$T/up.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -days 2 \
    -extfile "$T/up.ext" -out "$T/up.pem" 2>/dev/null
  # the upstream's two locations again, over TLS
  sed -n '/^    server {/,/^    }/p' "$R/conf/upstream.conf" |
    sed "s#listen 127.0.0.1:18080 backlog=4096;#listen 127.0.0.1:18443 ssl backlog=4096; ssl_certificate $T/up.pem; ssl_certificate_key $T/up.key;#" \
    >"$R/conf/upstream-tls.inc"
  sed -i -e 's#server 127.0.0.1:18080;#server 127.0.0.1:18443;#' \
    -e "s#proxy_pass http://up;#proxy_pass https://up; proxy_ssl_verify on; proxy_ssl_trusted_certificate $T/ca.pem; proxy_ssl_name localhost; proxy_ssl_server_name on; proxy_ssl_session_reuse on;#" \
    "$R/conf/nginx-proxy.conf"
  sed -i -e 's#"http://127.0.0.1:18080"#"https://localhost:18443"#' \
    -e "s#^    balance: round_robin#    balance: round_robin\n    tls: { ca: \"$T/ca.pem\" }#" "$R/conf/tollgate-proxy.yaml"
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # idle-connection runs need thousands of descriptors

STARTED=()   # names of servers this script started; their PIDs are in $R/NAME.mainpid
alive() { for x in "$@"; do [ -r /proc/$x/stat ] && ! grep -qs ') Z ' /proc/$x/stat && return 0; done; return 1; }
pids_of() {  # the server's main PID and its direct children (nginx workers), '+'-separated
  local m; m=$(cat "$R/$1.mainpid" 2>/dev/null) || return 0
  echo $m $(ps -o pid= --ppid $m) | tr -s ' ' '+'
}
port_of() { case $1 in upstream) echo 18080;; nginx-proxy) echo 18090;; nginx-gw) echo 18091;;
  nginx-tls) echo 18093;; tollgate) echo 18100;; tollgate-gw) echo 18101;; tollgate-cap) echo 18102;;
  tollgate-tls) echo 18103;; esac; }
scheme_of() { case $1 in *-tls) echo https;; *) echo http;; esac; }
port_open() { (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null; }

cpu_of() {  # PIN=1: taskset prefix for a server
  [ "${PIN:-0}" = 1 ] || return 0
  case $1 in upstream) echo "taskset -c 0";; *) echo "taskset -c 1";; esac
}

start_server() {
  local n=$1 port; port=$(port_of $n)
  if port_open $port; then echo "run.sh: 127.0.0.1:$port is already in use; stop whatever holds it" >&2; return 1; fi
  case $n in
    upstream|nginx-proxy|nginx-gw|nginx-tls)
      setsid $(cpu_of $n) nice -n $NICE nginx -p "$R/" -e "$R/$n.err" -c "$R/conf/$n.conf" -g 'daemon off;' >>"$R/$n.out" 2>&1 & ;;
    tollgate|tollgate-gw|tollgate-tls|tollgate-cap)   # XDG_DATA_HOME: the default store, if any, lands in the run folder, not in ~
      local conf=tollgate-proxy.yaml; [ $n = tollgate-gw ] && conf=tollgate-gw.yaml; [ $n = tollgate-tls ] && conf=tollgate-tls.yaml
      [ $n = tollgate-cap ] && conf=tollgate-cap.yaml
      : >"$R/$n.out"
      TOLLGATE_ADMIN_TOKEN=$CAPTURE_TOKEN XDG_DATA_HOME=$R/data setsid $(cpu_of $n) nice -n $NICE "$TOLLGATED" --config "$R/conf/$conf" \
        >>"$R/$n.out" 2>&1 & ;;
  esac
  echo $! >"$R/$n.mainpid"; STARTED+=("$n")
  local ready=0
  for _ in $(seq 100); do   # up to 10 s
    if [ $n = tollgate ] || [ $n = tollgate-gw ] || [ $n = tollgate-tls ] || [ $n = tollgate-cap ]; then
      grep -q "tollgated: listening on $(scheme_of $n)://127.0.0.1:$port" "$R/$n.out" && ready=1
    else port_open $port && ready=1; fi
    [ $ready = 1 ] && break
    alive $(cat "$R/$n.mainpid") || break
    sleep 0.1
  done
  if [ $ready = 0 ]; then
    echo "run.sh: $n did not become ready; its output:" >&2
    tail -n 20 "$R/$n".{out,err} 2>/dev/null >&2 || true
    return 1
  fi
  echo $NICE >/proc/$(cat "$R/$n.mainpid")/autogroup 2>/dev/null || true
  echo "started $n pid=$(pids_of $n) port=$port"
}

stop_server() {
  local n=$1 m p; m=$(cat "$R/$n.mainpid" 2>/dev/null) || return 0
  p=$(pids_of $n | tr '+' ' ')
  kill -TERM $m 2>/dev/null || true
  for _ in $(seq 50); do alive $p || break; sleep 0.1; done
  for x in $p; do kill -KILL $x 2>/dev/null || true; done
  rm -f "$R/$n.mainpid"; echo "stopped $n"
}

BENCH_PID=
cleanup() {
  local i
  if [ -n "$BENCH_PID" ] && alive $BENCH_PID; then   # interrupted: stop wrk (bench.py reaps it), then bench.py
    kill -TERM $(ps -o pid= --ppid $BENCH_PID) 2>/dev/null || true
    for _ in $(seq 20); do alive $BENCH_PID || break; sleep 0.1; done
    kill -TERM $BENCH_PID 2>/dev/null || true
  fi
  for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_server "${STARTED[$i]}"; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check() {  # the server answers /small with 200 "ok" and /4k with 4096 bytes
  local n=$1 port; port=$(port_of $n)
  local small big url; url=$(scheme_of $n)://127.0.0.1:$port
  local auth=(-H 'X-Api-Key: k1:s3cr3t' -H 'apikey: bench-key-1')   # what report.lua sends
  small=$(curl -s --max-time 5 "${auth[@]}" -o - -w ' %{http_code}' -k "$url/small" || true)
  big=$(curl -s --max-time 5 "${auth[@]}" -o /dev/null -w '%{http_code} %{size_download}' -k "$url/4k" || true)
  if [ "$small" != "ok 200" ] || [ "$big" != "200 4096" ]; then
    echo "run.sh: $n on :$port does not proxy as expected: /small -> '$small', /4k -> '$big'" >&2; return 1
  fi
}

SERVERS=(upstream nginx-proxy)
[ $TLS = 1 ] && SERVERS=(upstream nginx-tls)
[ $WITH_TOLLGATE = 1 ] && { [ $TLS = 1 ] && SERVERS+=(tollgate-tls) || SERVERS+=(tollgate); }
[ $GATEWAY = 1 ] && SERVERS+=(nginx-gw)
[ $GATEWAY = 1 ] && [ $WITH_TOLLGATE = 1 ] && SERVERS+=(tollgate-gw)
[ $CAPTURE = 1 ] && [ $WITH_TOLLGATE = 1 ] && [ $TLS = 0 ] && SERVERS+=(tollgate-cap)
for n in "${SERVERS[@]}"; do start_server $n; done
if [[ " ${SERVERS[*]} " == *" tollgate-cap "* ]]; then
  on=$(curl -s --max-time 5 -X PUT -H "Authorization: Bearer $CAPTURE_TOKEN" -d '{"on": true}' \
    http://127.0.0.1:18112/traffic/capture || true)
  [ "$on" = '{"on":true}' ] || { echo "run.sh: could not turn header capture on: $on" >&2; exit 1; }
fi
for n in "${SERVERS[@]}"; do check $n; done

if [ "$IDLE" != 0 ]; then
  {
    echo "# resident memory per idle keep-alive connection, $IDLE connections ($(date -Is))"
    for n in "${SERVERS[@]}"; do
      [ $n = upstream ] && continue
      python3 "$B/idle_conns.py" $(port_of $n) "$IDLE" "$(pids_of $n)" --name $n || echo "$n: idle run incomplete"
    done
  } | tee "$OUT/idle.txt"
  echo "results: $OUT/idle.txt"
  exit 0
fi

specs=(direct=18080 "nginx-proxy=18090:$(pids_of nginx-proxy)")
[ $WITH_TOLLGATE = 1 ] && [ $TLS = 0 ] && specs+=("tollgate=18100:$(pids_of tollgate)")
[ $TLS = 1 ] && specs=("nginx-tls=https:18093:$(pids_of nginx-tls)")
[ $TLS = 1 ] && [ $WITH_TOLLGATE = 1 ] && specs+=("tollgate-tls=https:18103:$(pids_of tollgate-tls)")
[ $GATEWAY = 1 ] && specs+=("nginx-gw=18091:$(pids_of nginx-gw)")
[ $GATEWAY = 1 ] && [ $WITH_TOLLGATE = 1 ] && specs+=("tollgate-gw=18101:$(pids_of tollgate-gw)")
[[ " ${SERVERS[*]} " == *" tollgate-cap "* ]] && specs+=("tollgate-cap=18102:$(pids_of tollgate-cap)")
echo "REPS=$REPS DUR=${DUR}s LOADS=$LOADS -> $OUT"
# in the background so that Ctrl-C reaches the traps at once instead of after the whole run
python3 "$B/bench.py" --reps "$REPS" --dur "$DUR" --warmup "$WARMUP" --loads "$LOADS" --out "$OUT" \
  --upstream-pids "$(pids_of upstream)" "${specs[@]}" &
BENCH_PID=$!
wait $BENCH_PID
BENCH_PID=
echo "== same data, only runs where other processes/softirq used < ${MAX_OTHER:-15}% of a core =="
python3 "$B/bench.py" --from "$OUT/raw.csv" --max-other "${MAX_OTHER:-15}" --out "$OUT/clean"
echo "results: $OUT (raw.csv, summary.md, clean/summary.md)"
