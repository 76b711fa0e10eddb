#!/usr/bin/env python3
"""Resident memory per idle keep-alive connection.

usage: idle_conns.py PORT N PID[+PID...] [--name NAME] [--path /small]

Opens N client connections to 127.0.0.1:PORT, sends one GET on each, reads the whole response, leaves
the connections idle, then reports the growth of the server processes' PSS and RSS divided by the
connections the server still holds open (counted server-side with ss), and what is left once they are
closed. PIDs: every process of the server (nginx: master and worker). Bounded: each socket operation
times out after 10 s, and the whole run after about N/500 + 60 s."""
import argparse, resource, socket, subprocess, sys, time

DEADLINE_S = 60


def mem(pids):
    pss = rss = 0
    for p in pids:
        with open(f'/proc/{p}/smaps_rollup') as f:
            for line in f:
                k, v = line.split(':', 1)
                if k == 'Pss':
                    pss += int(v.split()[0])
                elif k == 'Rss':
                    rss += int(v.split()[0])
    return pss, rss   # KiB


def established(port):
    out = subprocess.run(['ss', '-Htn', 'state', 'established', f'( sport = :{port} )'],
                         capture_output=True, text=True, timeout=30).stdout
    return len(out.splitlines())


def request(path):
    return (f'GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: k1:s3cr3t\r\napikey: bench-key-1\r\n\r\n').encode()


def read_response(s):
    """Reads one response (Content-Length or chunked); returns its status, or 0 if the peer closed."""
    buf = b''
    while b'\r\n\r\n' not in buf:
        d = s.recv(65536)
        if not d:
            return 0
        buf += d
    head, _, body = buf.partition(b'\r\n\r\n')
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split()[1])
    hdr = {k.strip().lower(): v.strip() for k, _, v in (x.partition(':') for x in lines[1:])}
    if 'content-length' in hdr:
        need = int(hdr['content-length'])
        while len(body) < need:
            d = s.recv(65536)
            if not d:
                return 0
            body += d
    elif 'chunked' in hdr.get('transfer-encoding', '').lower():
        while not body.endswith(b'0\r\n\r\n'):
            d = s.recv(65536)
            if not d:
                return 0
            body += d
    return status


def open_conns(port, n, path, deadline):
    socks, statuses = [], {}
    req = request(path)
    for _ in range(n):
        if time.time() > deadline:
            raise TimeoutError(f'opened only {len(socks)} of {n} connections before the deadline')
        s = socket.create_connection(('127.0.0.1', port), timeout=10)
        s.sendall(req)
        socks.append(s)
    for s in socks:
        st = read_response(s)
        statuses[st] = statuses.get(st, 0) + 1
    return socks, statuses


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('port', type=int)
    ap.add_argument('n', type=int)
    ap.add_argument('pids')
    ap.add_argument('--name', default='')
    ap.add_argument('--path', default='/small')
    a = ap.parse_args()
    pids = [int(p) for p in a.pids.split('+') if p]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < a.n + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, a.n + 1000), hard))
    deadline = time.time() + DEADLINE_S + a.n / 500

    warm, _ = open_conns(a.port, min(200, a.n), a.path, deadline)   # first-use allocations
    for s in warm:
        s.close()
    time.sleep(1)
    p0, r0 = mem(pids)
    socks, statuses = open_conns(a.port, a.n, a.path, deadline)
    time.sleep(0.5)
    p1, r1 = mem(pids)
    est = established(a.port)
    for s in socks:
        s.close()
    time.sleep(2)
    p2, r2 = mem(pids)
    per = lambda x, y: 1024 * (y - x) / max(1, est)
    label = f'{a.name} ' if a.name else ''
    print(f'{label}port {a.port}: {est}/{a.n} idle conns open (responses {dict(sorted(statuses.items()))}); '
          f'PSS {p0}->{p1} KiB ({per(p0, p1):.0f} B/conn), RSS {r0}->{r1} KiB ({per(r0, r1):.0f} B/conn); '
          f'after close PSS {p2} KiB, RSS {r2} KiB')
    return 0 if est >= a.n * 0.99 and set(statuses) == {200} else 1


if __name__ == '__main__':
    sys.exit(main())
