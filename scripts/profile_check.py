#!/usr/bin/env python3
"""Where the time of a healthy `credwiz check --json` goes, against the same
local moto world as bench_check.py: each run is traced with `strace -f -ttt`
(file opens, connects, exit) and cut into phases, median over the runs:

  start     exec -> first read of ~/.aws (loader, runtime, logging, secrets)
  config    -> first connect (facts, the SDK's config load, client set-up;
               with eager TLS this holds reading the system's root certificates)
  requests  -> last connect (the checks sent together: GetCallerIdentity and
               the IAM reads beside it)
  answers   -> exit (the slowest answer, the judgement, the report)

Also the count of certificate files opened. `--eager-tls` sets a TLS proxy
that NO_PROXY bypasses, which makes credwiz set TLS up as it did before it
became lazy (for the before/after comparison in one run).

Usage: .venv/bin/python scripts/profile_check.py [--bin target/release/credwiz] [--runs 10] [--eager-tls]
Needs strace.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from benchlib import start_moto  # noqa: E402
from bench_check import seed  # noqa: E402

STAMP = re.compile(r"^\d+\s+(\d+\.\d+)\s+(.*)$")


def phases(trace, home):
    """(start, config, requests, answers) in ms, and the certificate files opened."""
    times = {}
    certs = 0
    with open(trace) as f:
        for line in f:
            m = STAMP.match(line)
            if not m:
                continue
            t, call = float(m.group(1)), m.group(2)
            if call.startswith("execve(") and "exec" not in times:
                times["exec"] = t
            elif call.startswith("openat(") and f"{home}/.aws/" in call and "aws" not in times:
                times["aws"] = t
            elif call.startswith("openat(") and "/etc/ssl/certs" in call:
                certs += 1
            elif call.startswith("connect(") and "AF_INET" in call:
                times.setdefault("connect", t)
                times["last_connect"] = t
            elif "+++ exited" in call or call.startswith("exit_group("):
                times["exit"] = t
    ms = lambda a, b: (times[b] - times[a]) * 1000  # noqa: E731
    return (ms("exec", "aws"), ms("aws", "connect"), ms("connect", "last_connect"), ms("last_connect", "exit")), certs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(HERE), "target/release/credwiz"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--eager-tls", action="store_true")
    args = ap.parse_args()
    if not shutil.which("strace"):
        sys.exit("needs strace")
    proc, port = start_moto()
    home = tempfile.mkdtemp()
    try:
        key_id, secret = seed(port)
        os.makedirs(os.path.join(home, ".aws"))
        with open(os.path.join(home, ".aws/credentials"), "w") as f:
            f.write(f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
        with open(os.path.join(home, ".aws/config"), "w") as f:
            f.write("[default]\nregion = us-east-1\n")
        env = {"HOME": home, "PATH": os.environ["PATH"], "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
               "AWS_EC2_METADATA_DISABLED": "true", "CREDWIZ_LOG_DIR": os.path.join(home, "logs")}
        if args.eager_tls:
            env.update(HTTPS_PROXY="https://127.0.0.1:9", NO_PROXY="127.0.0.1")
        trace = os.path.join(home, "trace")
        rows, certs = [], 0
        for i in range(args.runs + 1):
            subprocess.run(["strace", "-f", "-ttt", "-e", "trace=execve,openat,connect,exit_group", "-o", trace,
                            args.bin, "check", "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
            if i:  # the first run warms the caches
                row, certs = phases(trace, home)
                rows.append(row)
        names = ["start", "config", "requests", "answers"]
        medians = [statistics.median(r[k] for r in rows) for k in range(4)]
        mode = "eager TLS set-up (before)" if args.eager_tls else "as built"
        print(f"credwiz check --json under strace, {mode}, median of {args.runs} runs:")
        for name, value in zip(names, medians):
            print(f"  {name:9s} {value:7.1f} ms")
        print(f"  total     {sum(medians):7.1f} ms   certificate files opened: {certs}")
    finally:
        proc.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
