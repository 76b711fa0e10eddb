#!/usr/bin/env python3
"""Resident memory per consumer: starts tollgated on a generated config with N consumers (one API key
each, a plan with two rate limits and a quota, the builtin echo), waits until it listens, sends 200
requests spread over the consumers (counters and store live), and reads VmRSS. The same with 10 consumers
gives the baseline; the difference divided by N is the cost of a consumer.

    bench/consumer_memory.py [--consumers 100000] [--tollgated build/app/tollgated]
"""
import argparse, hashlib, http.client, os, signal, subprocess, sys, tempfile, time

def config(n, port, store):
    out = ["version: 1", "gateway:", f'  listen: ["127.0.0.1:{port}"]', "  workers: 2", f"  store: {store}",
           "services:", '  - name: echo', '    targets: [ { url: "builtin:echo" } ]',
           "apis:", "  - name: orders", "    version: v1", "    base_path: /orders/v1", "    service: echo",
           "    auth: [key]", "    routes:",
           "      - { name: list, methods: [GET], path: / }",
           '      - { name: get, methods: [GET], path: "/{id}" }',
           "      - { name: create, methods: [POST], path: / }",
           "plans:", "  - name: free",
           "    rate_limits: [ { requests: 10, per: second }, { requests: 1000, per: hour } ]",
           "    quota: { requests: 10000, per: month, on_exceeded: block }",
           "    grants: [ { api: orders, routes: [list, get] } ]", "consumers:"]
    for i in range(n):
        h = hashlib.sha256(f"key-{i:07d}".encode()).hexdigest()
        out.append(f'  - {{ name: c{i:07d}, plan: free, credentials: [ {{ type: key, id: k{i}, hash: "sha256:{h}" }} ] }}')
    return "\n".join(out) + "\n"

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in f) if k in ("VmRSS", "VmHWM")}

def measure(binary, n, port, tmp):
    path = os.path.join(tmp, f"c{n}.yaml")
    with open(path, "w") as f:
        f.write(config(n, port, os.path.join(tmp, f"store{n}.db")))
    t0 = time.time()
    p = subprocess.Popen([binary, "--config", path, "--no-watch"], stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        load = time.time() - t0
        if "listening" not in line:
            sys.exit(f"tollgated did not start: {line!r}")
        # The same 200 requests on one keep-alive connection in both runs, spread over the consumers, so
        # that the difference between runs is the consumers, not connections or buffers.
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for k in range(200):
            conn.request("GET", "/orders/v1/", headers={"apikey": f"key-{(k * n // 200) % n:07d}"})
            r = conn.getresponse()
            r.read()
            assert r.status in (200, 429), r.status
        conn.close()
        time.sleep(0.5)
        return rss_kib(p.pid), load
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--consumers", type=int, default=100000)
    ap.add_argument("--tollgated", default=os.environ.get("TOLLGATED", "build/app/tollgated"))
    ap.add_argument("--port", type=int, default=18555)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, _ = measure(a.tollgated, 10, a.port, tmp)
        full, load = measure(a.tollgated, a.consumers, a.port, tmp)
    per = (full["VmRSS"] - base["VmRSS"]) * 1024 / (a.consumers - 10)
    print(f"baseline (10 consumers): {base['VmRSS'] / 1024:.1f} MiB resident")
    print(f"{a.consumers} consumers: {full['VmRSS'] / 1024:.1f} MiB resident, peak while loading "
          f"{full['VmHWM'] / 1024:.0f} MiB, start-up {load:.1f} s")
    print(f"per consumer: {per:.0f} bytes; {a.consumers} consumers cost "
          f"{per * a.consumers / 2**20:.1f} MiB above the baseline")

if __name__ == "__main__":
    main()
