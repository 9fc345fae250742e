#!/usr/bin/env python3
"""Interleaved A/B timing of shell commands, for changes smaller than the
machine's noise: runs command 1, 2, ..., then again, N times, so that drift in
the machine's load hits every command alike; prints the median wall time (and
its ratio to the first command's) and the median CPU time (user + system of
the command's process tree).

    python3 benches/ab.py N 'CMD1' 'CMD2' ...

Example, the floor against two builds:

    python3 benches/ab.py 20 "rg -F -c -uu -g '!.git' password $HOME/corpora/moby-tree" \\
        "/tmp/lh-old scan $HOME/corpora/moby-tree" "/tmp/lh-new scan $HOME/corpora/moby-tree"
"""
import resource
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    n, cmds = int(sys.argv[1]), sys.argv[2:]
    wall = {c: [] for c in cmds}
    cpu = {c: [] for c in cmds}
    for _ in range(n):
        for c in cmds:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(c, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall[c].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[c].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    first = statistics.median(wall[cmds[0]])
    for c in cmds:
        w = statistics.median(wall[c])
        print(f"{w * 1e3:8.1f} ms wall ({w / first:4.2f}x)  {statistics.median(cpu[c]) * 1e3:8.1f} ms cpu  {c}")


if __name__ == "__main__":
    main()
