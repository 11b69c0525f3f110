#!/usr/bin/env python3
"""Command latency, interleaved: A B C, C B A, A B C, ... so that drift hits all alike.

    benchmarks/interleave.py [--runs N] [--warmup W] COMMAND [COMMAND...]

Each COMMAND is one shell-quoted string, run without a shell, output to
/dev/null. hyperfine runs one command's runs back to back, so on a machine
whose speed drifts by 20% within a minute (ours), two commands measured a
minute apart differ by more than the change being measured. Here every round
runs each command once, in alternating order, and the medians are over the
same stretch of time. Prints each command's median and interquartile range
(ms) and its ratio to the first command's median; exits 2 on bad usage or
when a command cannot be started.
"""
import argparse
import os
import shlex
import statistics
import sys
import time


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        usage="%(prog)s [--runs N] [--warmup W] COMMAND [COMMAND...]")
    parser.add_argument("--runs", type=int, default=200,
                        help="rounds measured (default 200)")
    parser.add_argument("--warmup", type=int, default=5,
                        help="rounds run first and not measured (default 5)")
    parser.add_argument("commands", nargs="+", metavar="COMMAND")
    args = parser.parse_args()
    if args.runs < 2 or args.warmup < 0:
        parser.error("--runs must be at least 2 and --warmup at least 0")

    commands = [shlex.split(c) for c in args.commands]
    devnull = os.open(os.devnull, os.O_WRONLY)
    quiet = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]

    def run(argv):
        start = time.perf_counter()
        try:
            pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=quiet)
        except OSError as e:
            print(f"interleave.py: cannot run {argv[0]}: {e.strerror}",
                  file=sys.stderr)
            sys.exit(2)
        os.waitpid(pid, 0)
        return (time.perf_counter() - start) * 1000

    for _ in range(args.warmup):
        for argv in commands:
            run(argv)
    times = [[] for _ in commands]
    for i in range(args.runs):
        order = range(len(commands)) if i % 2 == 0 else reversed(range(len(commands)))
        for k in order:
            times[k].append(run(commands[k]))

    first = statistics.median(times[0])
    for text, t in zip(args.commands, times):
        median = statistics.median(t)
        q1, _, q3 = statistics.quantiles(t, n=4)
        print(f"{median:8.2f} ms  (IQR {q1:.2f}-{q3:.2f})  {median / first:5.3f}x  {text}")


if __name__ == "__main__":
    main()
