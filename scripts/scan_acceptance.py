#!/usr/bin/env python3
"""Acceptance check for `credwiz scan` (not part of the test suite): for every
scenario of ../shared/scenarios, run `credwiz scan --json` in the scenario's
world (aws-lab) and compare the primary cause reported for the scenario's
profile (AWS_PROFILE of the scenario, else `default`) with [expect].cause.
When the scenario puts keys in the environment, the cause is looked for on
the `(env)` line too (scan judges each profile on its own keys and the
environment's keys as `(env)`; the profile they shadow carries the same cause
as a warning, listed after the causes). Options of [run].args that scan takes
(--action, --expect-account) are passed on; a scenario that needs a one-time
MFA code is reported as not applicable (a code serves one call, not a scan).
Also fails when a secret of the world shows up in the output (aws-lab checks).

Usage: scripts/scan_acceptance.py [--bin target/debug/credwiz] [--scenarios ../shared/scenarios]
(needs the aws-lab tool and the Python venv with moto: PATH=/work/main/.venv/bin:$PATH)
"""
import argparse
import json
import os
import subprocess
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCAN_OPTIONS = {"--action", "--expect-account"}


def scan_args(run_args):
    """The scenario's check options that scan takes; None when it needs others."""
    out, i = [], 0
    while i < len(run_args):
        if run_args[i] in SCAN_OPTIONS:
            out += run_args[i:i + 2]
            i += 2
        else:
            return None
    return out


def primary(row):
    """A row's primary cause, '' when it has none."""
    return row["causes"][0]["cause"] if row and row["causes"] else ""


def warned(row):
    """A row's warnings, endpoint-override left out (every lab world has it)."""
    return [w["cause"] for w in (row or {}).get("warnings", []) if w["cause"] != "endpoint-override"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/debug/credwiz"))
    ap.add_argument("--scenarios", default=os.path.join(ROOT, "../shared/scenarios"))
    ap.add_argument("--lab", default=os.path.join(ROOT, "../shared/tools/aws-lab"))
    args = ap.parse_args()
    results = {"pass": 0, "fail": 0, "n/a": 0}
    for name in sorted(os.listdir(args.scenarios)):
        if not name.endswith(".toml"):
            continue
        path = os.path.join(args.scenarios, name)
        with open(path, "rb") as f:
            scenario = tomllib.load(f)
        env = scenario.get("env", {})
        profile = env.get("AWS_PROFILE", "default")
        expected = scenario.get("expect", {}).get("cause", "")
        extra = scan_args(scenario.get("run", {}).get("args", []))
        if extra is None:
            print(f"N/A  {name}: needs {scenario['run']['args'][0]}, which scan does not take")
            results["n/a"] += 1
            continue
        cmd = [args.lab, "run", path, "--", os.path.abspath(args.bin), "scan", "--json"] + extra
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError:
            print(f"FAIL {name}: not JSON (exit {run.returncode}): {run.stderr[-300:]}")
            results["fail"] += 1
            continue
        rows = {p["profile"]: p for p in report["profiles"]}
        candidates = [profile] + (["(env)"] if "AWS_ACCESS_KEY_ID" in env else [])
        got = {c: primary(rows.get(c)) for c in candidates}
        ok = expected in got.values()
        where = next((c for c, cause in got.items() if cause == expected), profile)
        warnings = {c: warned(rows.get(c)) for c in candidates if warned(rows.get(c))}
        status = "PASS" if ok else "FAIL"
        results["pass" if ok else "fail"] += 1
        print(f"{status} {name}: expected {expected or 'healthy'!r} for {where}, got {got}, warnings {warnings} "
              f"({len(rows)} lines, {len(report['findings'])} findings, exit {run.returncode})")
    print(f"{results['pass']} passed, {results['fail']} failed, {results['n/a']} not applicable")
    sys.exit(1 if results["fail"] else 0)


if __name__ == "__main__":
    main()
