#!/usr/bin/env python3
"""Speed of `credwiz check --json` against a local AWS world (moto from .venv,
auth enforced), compared with what the same world answers to the AWS CLI and
to single signed requests (`curl --aws-sigv4`).

1. A healthy profile with long-term keys, versus one `aws sts
   get-caller-identity` and one signed request. Goals (issue 24): credwiz
   <= 0.05x the AWS CLI call, <= 2x the signed request.
   scripts/profile_check.py shows where credwiz's time goes.
2. A healthy two-hop role chain in the lab's world
   (../shared/tools/examples/role-chain-healthy.toml: keys -> role ops ->
   role deploy; aws-lab's proxy judges the trust policies, which moto alone
   gets wrong), versus 3 signed round trips plus the two AssumeRole calls
   themselves (made with curl through the same proxy, one after the other,
   as the hops must be). Goal (issue 10): credwiz <= that budget.

Usage: .venv/bin/python scripts/bench_check.py [--bin target/release/credwiz] [--runs 20]
       [--lab ../shared/tools/aws-lab] [--chain ../shared/tools/examples/role-chain-healthy.toml]
(run ./scripts/test once first: it creates .venv; without the lab, part 2 is not run and says so.)
"""
import argparse
import os
import configparser
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from benchlib import enforce_auth, start_moto, timed  # noqa: E402

READ = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","sts:*"],"Resource":"*"}]}'


def seed(port):
    """A user with a key that may read its own IAM data."""
    import boto3
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                       aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="read", PolicyDocument=READ)
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    enforce_auth(port)
    return key["AccessKeyId"], key["SecretAccessKey"]


def signed(endpoint, key_id, secret, body, token=None):
    """One signed STS request with curl; its answer."""
    cmd = ["curl", "-sf", "--aws-sigv4", "aws:amz:us-east-1:sts", "--user", f"{key_id}:{secret}", "-d", body]
    if token:
        cmd += ["-H", f"x-amz-security-token: {token}"]
    out = subprocess.run(cmd + [endpoint], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"curl failed ({out.returncode}) for {body.split('&')[0]}")
    return out.stdout


def assumed(answer):
    """(key id, secret, token) from an AssumeRole answer."""
    def field(name):
        return re.search(f"<{name}>([^<]+)</{name}>", answer).group(1)
    return field("AccessKeyId"), field("SecretAccessKey"), field("SessionToken")


def chain_by_hand(endpoint, key_id, secret, roles, runs):
    """(median ms of the AssumeRole calls in a row, median ms of one signed GetCallerIdentity)."""
    hops, gci = [], []
    for _ in range(runs + 1):
        t = time.perf_counter()
        keys = (key_id, secret, None)
        for role in roles:
            body = f"Action=AssumeRole&Version=2011-06-15&RoleArn={role}&RoleSessionName=bench"
            keys = assumed(signed(endpoint, keys[0], keys[1], body, token=keys[2]))
        hops.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        signed(endpoint, key_id, secret, "Action=GetCallerIdentity&Version=2011-06-15")
        gci.append((time.perf_counter() - t) * 1000)
    return statistics.median(hops[1:]), statistics.median(gci[1:])


def role_chain(lab, scenario, binary, runs):
    """Part 2, in the lab's world: prints credwiz on the chain against its budget."""
    up = subprocess.run([lab, "up", scenario], capture_output=True, text=True)
    if up.returncode != 0:
        sys.exit(f"aws-lab up failed: {up.stderr[-300:]}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for line in up.stdout.splitlines():
        if line.startswith("export "):
            name, _, value = line[len("export "):].partition("=")
            env[name] = shlex.split(value)[0]
    try:
        home = env["HOME"]
        env["CREDWIZ_LOG_DIR"] = os.path.join(home, "logs")
        files = configparser.RawConfigParser()
        files.read([os.path.join(home, ".aws/credentials"), os.path.join(home, ".aws/config")])
        profile, roles = env.get("AWS_PROFILE", "default"), []
        while files.has_option(f"profile {profile}", "role_arn"):
            roles.insert(0, files.get(f"profile {profile}", "role_arn"))
            profile = files.get(f"profile {profile}", "source_profile")
        key_id, secret = files.get(profile, "aws_access_key_id"), files.get(profile, "aws_secret_access_key")
        ours = timed([binary, "check", "--json"], env, runs)
        hops, gci = chain_by_hand(env["AWS_ENDPOINT_URL"], key_id, secret, roles, runs)
        budget = 3 * gci + hops
        print(f"{len(roles)}-hop role chain ({os.path.basename(scenario)}, through aws-lab's proxy), median of {runs} (min):")
        print(f"  credwiz check --json (profile {env.get('AWS_PROFILE')}) {ours[0]:8.1f} ms  ({ours[1]:.1f})")
        print(f"  the {len(roles)} AssumeRole calls by hand (curl)   {hops:8.1f} ms")
        print(f"  one signed GetCallerIdentity (curl)       {gci:8.1f} ms")
        print(f"  credwiz / (3 signed round trips + the hops) = {ours[0]:.1f} / {budget:.1f} = {ours[0] / budget:.2f}  (goal <= 1)")
    finally:
        subprocess.run([lab, "down", env.get("AWS_LAB_STATE", "")], capture_output=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/credwiz"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--lab", default=os.path.join(ROOT, "../shared/tools/aws-lab"))
    ap.add_argument("--chain", default=os.path.join(ROOT, "../shared/tools/examples/role-chain-healthy.toml"))
    args = ap.parse_args()
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
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        rows = [("credwiz check --json", timed([args.bin, "check", "--json"], env, args.runs)),
                ("aws sts get-caller-identity", timed([aws, "sts", "get-caller-identity"], env, args.runs))]
        have_curl = shutil.which("curl") is not None
        if have_curl:
            curl = ["curl", "-sf", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:sts", "--user", f"{key_id}:{secret}",
                    "-d", "Action=GetCallerIdentity&Version=2011-06-15", f"http://127.0.0.1:{port}/"]
            rows.append(("curl --aws-sigv4 (one signed request)", timed(curl, env, args.runs)))
        print(f"long-term keys, median of {args.runs} runs (min), against moto on 127.0.0.1:{port}")
        for name, (median, best) in rows:
            print(f"  {name:40s} {median:8.1f} ms  ({best:.1f})")
        ours = rows[0][1][0]
        print(f"  credwiz / AWS CLI      = {ours / rows[1][1][0]:.3f}  (goal <= 0.05)")
        if have_curl:
            print(f"  credwiz / signed request = {ours / rows[2][1][0]:.2f}  (goal <= 2)")
    finally:
        proc.kill()
        shutil.rmtree(home, ignore_errors=True)
    if not have_curl:
        print("role chain: not measured (needs curl)")
    elif not os.path.exists(args.lab):
        print(f"role chain: not measured (no aws-lab at {args.lab})")
    else:
        role_chain(args.lab, args.chain, args.bin, args.runs)


if __name__ == "__main__":
    main()
