#!/usr/bin/env python3
"""Alternating wrk runs against several servers in one run; prints medians and ratios to nginx-proxy.

usage: bench.py [--reps 3] [--dur 10] [--warmup 2] [--loads /small:50,/small:1,/4k:50] [--out DIR]
                [--upstream-pids PID+PID] NAME=[https:]PORT[:PID+PID] ...
       bench.py --from raw.csv [raw2.csv ...] [--max-other 15] [--out DIR]
           re-summarises saved runs, optionally keeping only those in which CPU used by other processes
           (and softirq) stayed below the given % of one core.

Each NAME=PORT[:PIDS] is one server; PIDS (all processes of that server, '+'-separated) are needed for its
CPU accounting; 'https:' before the port measures over TLS. A load PATH:CONNS:close sends
'Connection: close', so every request pays a new connection (and a full TLS handshake: wrk does not
resume sessions). 'direct' is the upstream measured alone (its CPU is the upstream's). Ratios are to
'nginx-proxy' when present, else to 'nginx-tls'. wrk runs at nice $NICE (default -10), like the servers started by run.sh.
Every wrk run is bounded: -d DUR and a hard timeout of DUR + 30 s."""
import argparse, csv, os, re, resource, statistics as st, subprocess, sys, time

B = os.path.dirname(os.path.abspath(__file__))
HZ = os.sysconf('SC_CLK_TCK')
NCPU = os.cpu_count() or 1
REF = 'nginx-proxy'


def parse_pids(text):
    return [int(p) for p in text.split('+') if p]


def ticks(pids):
    """utime + stime of whole processes (all threads), in clock ticks."""
    t = 0
    for p in pids:
        try:
            f = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
            t += int(f[11]) + int(f[12])
        except OSError:
            pass
    return t


def thread_ticks(pids, prefixes=('tg-recorder', 'tg-aggregates', 'tg-counters')):
    """utime + stime of the gateway's background threads (recording, store writers), by name."""
    t = 0
    for p in pids:
        try:
            tasks = os.listdir(f'/proc/{p}/task')
        except OSError:
            continue
        for tid in tasks:
            try:
                raw = open(f'/proc/{p}/task/{tid}/stat').read()
            except OSError:
                continue
            name = raw[raw.index('(') + 1:raw.rindex(')')]
            if name.startswith(prefixes):
                f = raw.rsplit(')', 1)[1].split()
                t += int(f[11]) + int(f[12])
    return t


def machine():
    v = list(map(int, open('/proc/stat').readline().split()[1:]))
    return sum(v), v[3] + v[4]   # all, idle + iowait


def wrk(port, path, conns, dur, lua, scheme='http'):
    pin = ['taskset', '-c', '0'] if os.environ.get('PIN') == '1' else []   # with run.sh PIN=1
    cmd = pin + ['nice', '-n', os.environ.get('NICE', '-10'), 'wrk', '-t1', f'-c{conns}', f'-d{dur}s', '--latency',
           '-s', lua, f'{scheme}://127.0.0.1:{port}{path}']
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=dur + 30).stdout
    m = re.search(r'^RESULT (.*)$', out, re.M)
    if not m:
        raise RuntimeError(f'wrk against :{port}{path} failed: ' + out)
    k = 'reqs dur_us p50 p90 p99 p999 max e_conn e_read e_write non2xx e_timeout bytes'.split()
    return dict(zip(k, map(int, m.group(1).split())))


def measure(cfg, path, conns, dur, up_pids, lua):
    if path.endswith(':close'):
        path, lua = path[:-len(':close')], os.path.join(B, 'conf', 'close.lua')
    pp = cfg['pids']
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    b0 = thread_ticks(pp)
    t0, u0, (m0, i0), w0 = ticks(pp), ticks(up_pids), machine(), time.time()
    res = wrk(cfg['port'], path, conns, dur, lua, cfg.get('scheme', 'http'))
    t1, u1, (m1, i1), w1 = ticks(pp), ticks(up_pids), machine(), time.time()
    b1 = thread_ticks(pp)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    el = w1 - w0
    res['rps'] = res['reqs'] / (res['dur_us'] / 1e6)
    res['cpu_proxy'] = 100 * (t1 - t0) / HZ / el
    res['cpu_up'] = 100 * (u1 - u0) / HZ / el
    res['cpu_wrk'] = 100 * ((r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)) / el
    res['cpu_busy'] = 100 * NCPU * (1 - (i1 - i0) / max(1, m1 - m0))   # % of one core
    known = res['cpu_up'] + res['cpu_wrk'] + (0 if pp == up_pids else res['cpu_proxy'])   # 'direct': proxy is upstream
    res['cpu_other'] = res['cpu_busy'] - known   # softirq + foreign load
    res['us_per_req'] = 1e6 * (t1 - t0) / HZ / max(1, res['reqs'])
    # Share of the proxy's CPU spent off the request path: Tollgate's recorder and store threads.
    res['bg_pct'] = 100 * (b1 - b0) / max(1, t1 - t0)
    return res


def parse_load(text):
    """'/small:50' -> ('/small', 50); '/small:50:close' -> ('/small:close', 50)."""
    close = text.endswith(':close')
    path, conns = text.removesuffix(':close').rsplit(':', 1)
    return (path + (':close' if close else ''), int(conns))


def bad_count(r):
    return r['non2xx'] + r['e_conn'] + r['e_read'] + r['e_write'] + r['e_timeout']


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--reps', type=int, default=3)
    ap.add_argument('--dur', type=int, default=10)
    ap.add_argument('--warmup', type=int, default=2)
    ap.add_argument('--loads', default='/small:50,/small:1,/4k:50')
    ap.add_argument('--out', default=os.path.join(os.environ.get('BENCH_RUN', '/tmp/tollgate-bench'), 'results', 'latest'))
    ap.add_argument('--lua', default=os.path.join(B, 'conf', 'report.lua'))
    ap.add_argument('--upstream-pids', default='')
    ap.add_argument('--from', dest='src', nargs='+')
    ap.add_argument('--max-other', type=float, default=1e9)
    ap.add_argument('configs', nargs='*')
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.src:
        return resummarize(a)
    if not a.configs:
        ap.error('no server to measure')
    try:   # own session/autogroup at raised priority; wrk inherits it
        os.setsid()
        open('/proc/self/autogroup', 'w').write(os.environ.get('NICE', '-10'))
    except OSError:
        pass
    up_pids = parse_pids(a.upstream_pids)
    cfgs = []
    for spec in a.configs:
        name, rest = spec.split('=', 1)
        scheme = 'http'
        if rest.startswith('https:'):
            scheme, rest = 'https', rest[len('https:'):]
        port, _, pids = rest.partition(':')
        cfgs.append(dict(name=name, port=int(port), scheme=scheme,
                         pids=up_pids if name == 'direct' else parse_pids(pids)))
    # '/small:50:close' keeps ':close' on the path: it names the load in the tables and the CSV.
    loads = [parse_load(x) for x in a.loads.split(',')]
    rows, cols = [], None
    with open(f'{a.out}/raw.csv', 'w') as raw:
        for rep in range(a.reps):
            for cfg in (cfgs if rep % 2 == 0 else cfgs[::-1]):          # alternate the order each round
                if a.warmup > 0:
                    wrk(cfg['port'], loads[0][0].removesuffix(':close'), 50, a.warmup, a.lua, cfg['scheme'])
                for path, conns in loads:
                    r = measure(cfg, path, conns, a.dur, up_pids, a.lua)
                    r.update(cfg=cfg['name'], path=path, conns=conns, rep=rep)
                    if cols is None:
                        cols = list(r)
                        raw.write(','.join(cols) + '\n')
                    raw.write(','.join(str(r[c]) for c in cols) + '\n')
                    raw.flush()
                    rows.append(r)
                    bad = bad_count(r)
                    print(f"rep{rep} {cfg['name']:12s} {path:6s} c{conns:<3d} {r['rps']:9.0f} rps  p50 {r['p50']:6d}us"
                          f"  p99 {r['p99']:6d}us  {r['us_per_req']:5.1f} cpu-us/req  cpu proxy {r['cpu_proxy']:5.1f}%"
                          f" up {r['cpu_up']:5.1f}% wrk {r['cpu_wrk']:5.1f}% other {r['cpu_other']:5.1f}%"
                          + (f" recording {r['bg_pct']:4.1f}% of proxy cpu" if r['bg_pct'] > 0 else '')
                          + (f"  ERRORS {bad}" if bad else ''), file=sys.stderr, flush=True)
    summarize(rows, cfgs, loads, a.out)


def resummarize(a):
    rows = []
    for f in a.src:
        for r in csv.DictReader(open(f)):
            rows.append({k: (v if k in ('cfg', 'path') else float(v)) for k, v in r.items()})
    cfgs = [dict(name=n) for n in dict.fromkeys(r['cfg'] for r in rows)]       # order of the first round
    loads = list(dict.fromkeys((r['path'], int(r['conns'])) for r in rows))
    rows = [r for r in rows if r['cpu_other'] <= a.max_other]
    summarize(rows, cfgs, loads, a.out)


def paired(rows, cfgs, path, conns, ref_name):
    """Ratios to the reference taken round by round (each against the reference's run of the same
    round, a minute apart at most), so that a host slowing down between rounds cancels out: the
    medians of these are the figures to quote on a noisy machine."""
    def stat(vals, fmt):
        return f"{fmt(st.median(vals))} [{fmt(min(vals))}-{fmt(max(vals))}]"
    rs = [r for r in rows if r['path'] == path and r['conns'] == conns]
    ref = {r['rep']: r for r in rs if r['cfg'] == ref_name}
    out = []
    for c in cfgs:
        if c['name'] in (ref_name, 'direct'):
            continue
        pairs = [(r, ref[r['rep']]) for r in rs if r['cfg'] == c['name'] and r['rep'] in ref]
        if len(pairs) < 2:
            continue
        rps = [a['rps'] / b['rps'] for a, b in pairs if b['rps']]
        cpu = [a['us_per_req'] / b['us_per_req'] for a, b in pairs if b['us_per_req']]
        bg = [a['bg_pct'] for a, _ in pairs]
        if not out:
            out = [f'\nPaired by round (each run against {ref_name} in the same round; median [min-max] of '
                   f'the per-round ratios):\n', '| server | rounds | rps ratio | CPU/req ratio | recording % of proxy CPU |',
                   '|---|---|---|---|---|']
        out.append(f"| {c['name']} | {len(pairs)} | {stat(rps, lambda x: f'{x:.2f}')} | "
                   f"{stat(cpu, lambda x: f'{x:.2f}')} | "
                   + (stat(bg, lambda x: f'{x:.1f}') if max(bg) > 0 else '-') + ' |')
    return out


def summarize(rows, cfgs, loads, out):
    f = lambda x, y: f'{x / y:.2f}' if y else '-'
    lines = []
    for path, conns in loads:
        med = {}
        for c in cfgs:
            rs = [r for r in rows if r['cfg'] == c['name'] and r['path'] == path and r['conns'] == conns]
            if not rs:
                continue
            m = {k: st.median(r[k] for r in rs) for k in ('rps', 'p50', 'p99', 'cpu_proxy', 'us_per_req', 'cpu_other')}
            m['spread'] = (max(r['rps'] for r in rs) - min(r['rps'] for r in rs)) / m['rps'] if m['rps'] else 0
            m['n'] = len(rs)
            m['bad'] = sum(bad_count(r) for r in rs)
            med[c['name']] = m
        ref = med.get(REF) or med.get('nginx-tls')
        if not med:
            lines.append(f'\n### {path} -c{conns}: no run passed the filter')
            continue
        lines += [f'\n### {path} -c{conns} (medians of n runs; ratios to {REF if REF in med else "nginx-tls"}: rps higher is better, '
                  'latency and CPU/req lower is better)\n',
                  '| server | n | req/s | spread | p50 us | p99 us | CPU us/req | rps ratio | p50 ratio | p99 ratio '
                  '| CPU/req ratio | server CPU % | other CPU % | errors |',
                  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|']
        for c in cfgs:
            if c['name'] not in med:
                continue
            m = med[c['name']]
            # 'direct' has no proxy: its CPU column is the upstream's own, shown for scale.
            r = (lambda k: f(m[k], ref[k])) if ref else (lambda k: '-')
            lines.append(f"| {c['name']} | {m['n']} | {m['rps']:.0f} | {100 * m['spread']:.0f}% | {m['p50']:.0f} | "
                         f"{m['p99']:.0f} | {m['us_per_req']:.1f} | {r('rps')} | {r('p50')} | {r('p99')} | "
                         f"{r('us_per_req')} | {m['cpu_proxy']:.0f} | {m['cpu_other']:.0f} | {m['bad']:.0f} |")
        lines += paired(rows, cfgs, path, conns, REF if REF in med else 'nginx-tls')
    text = '\n'.join(lines) + '\n'
    open(f'{out}/summary.md', 'w').write(text)
    print(text)


if __name__ == '__main__':
    main()
