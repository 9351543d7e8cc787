#!/usr/bin/env python3
"""Interleaved timing rounds of `scour index` at --threads 1 and 2 (docs/PERFORMANCE.md).

Usage: CORPUS=real.jsonl [RAM_MB=N] [LOG=file] bench/thread_rounds.py ROUNDS name=binary ...

Each round waits for a quiet machine (other processes < 0.2 s CPU in 2 s, from /proc/stat),
then runs every binary with --threads 1 and --threads 2 (order rotated per round), recording
wall, user+sys, peak RSS and the foreign CPU during each run (busy jiffies of the whole machine
minus the run's own user+sys). Prints one TSV line per run (round, time, name, threads, wall s,
user+sys s, peak RSS KB, foreign CPU s, steal s, quiet) to stdout and LOG; summarise with
bench/thread_rounds_summary.py LOG."""
import os, shutil, subprocess, sys, time

CORPUS = os.environ.get("CORPUS", "/data/large-corpus/real.jsonl")
RAM = os.environ.get("RAM_MB")
HZ = os.sysconf("SC_CLK_TCK")


def busy():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    # user nice system idle iowait irq softirq steal
    return v[0] + v[1] + v[2] + v[5] + v[6], v[7]


def wait_quiet(limit=0.2, max_wait=900):
    t0 = time.time()
    while time.time() - t0 < max_wait:
        b0, _ = busy()
        time.sleep(2)
        b1, _ = busy()
        if (b1 - b0) / HZ < limit:
            return True
    return False


def run(binary, threads, d):
    shutil.rmtree(d, ignore_errors=True)
    cmd = ["/usr/bin/time", "-f", "%e %U %S %M", binary, "index", "-q", "--index", d,
           "--threads", str(threads), "--combine", "body=title,text", "--store", "none"]
    if RAM:
        cmd += ["--ram-mb", RAM]
    cmd.append(CORPUS)
    b0, s0 = busy()
    p = subprocess.run(cmd, capture_output=True, text=True)
    b1, s1 = busy()
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    wall, user, sys_, rss = p.stderr.strip().splitlines()[-1].split()
    own = float(user) + float(sys_)
    foreign = (b1 - b0) / HZ - own
    return float(wall), own, int(rss), foreign, (s1 - s0) / HZ


def main():
    rounds = int(sys.argv[1])
    bins = [a.split("=", 1) for a in sys.argv[2:]]
    log = open(os.environ.get("LOG", "thread_rounds.log"), "a")
    jobs = [(n, b, t) for n, b in bins for t in (1, 2)]
    for r in range(rounds):
        quiet = wait_quiet()
        order = jobs[r % len(jobs):] + jobs[:r % len(jobs)]
        for n, b, t in order:
            wall, own, rss, foreign, steal = run(b, t, os.environ.get("INDEX_DIR", "/tmp/thread_rounds_index"))
            line = "\t".join(str(x) for x in (r, time.strftime("%H:%M:%S"), n, t, wall,
                                               round(own, 2), rss, round(foreign, 2),
                                               round(steal, 2), int(quiet)))
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()


if __name__ == "__main__":
    main()
