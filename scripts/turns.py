#!/usr/bin/env python3
"""Times several commands run by run, in turns: one warm-up run of each, then `--runs` turns in
which every command runs once (after its own preparation, if it has one). A spell of a slow
machine then falls on all of them alike, which batches of one command after another cannot
promise. Prints the median wall time of each command, in ms, on one line ("—" for an empty
command).

    turns.py --runs N CMD PREPARE [CMD PREPARE ...]

A command is split on spaces (no path given here holds one) and run without a shell, its
output thrown away; a preparation, when not empty, runs through `sh -c` before each timed run
and is not timed. A command that fails stops the script with its exit status.
"""

import shlex
import statistics
import subprocess
import sys
import time


def run(cmd):
    start = time.perf_counter_ns()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = (time.perf_counter_ns() - start) / 1e6
    if done.returncode != 0:
        sys.stderr.write(f"failed: {' '.join(cmd)}\n{done.stderr.decode(errors='replace')}")
        sys.exit(done.returncode)
    return took


def main():
    args = sys.argv[1:]
    if len(args) < 4 or args[0] != "--runs" or len(args[2:]) % 2:
        sys.exit(__doc__)
    runs = int(args[1])
    pairs = [(shlex.split(c), p) for c, p in zip(args[2::2], args[3::2])]
    times = [[] for _ in pairs]
    for turn in range(runs + 1):
        for i, (cmd, prepare) in enumerate(pairs):
            if not cmd:
                continue
            if prepare:
                subprocess.run(["sh", "-c", prepare], check=True)
            took = run(cmd)
            if turn > 0:
                times[i].append(took)
    print(" ".join("%.1f" % statistics.median(t) if t else "—" for t in times))


if __name__ == "__main__":
    main()
