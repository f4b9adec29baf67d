#!/usr/bin/env python3
"""Speed of `credwiz check --json` on a healthy profile against a local AWS
world (moto from .venv, auth enforced), compared with one
`aws sts get-caller-identity` and one signed request (`curl --aws-sigv4`) in
the same world. Goals: credwiz <= 0.1x the AWS CLI call, <= 3x the signed
request.

Usage: .venv/bin/python scripts/bench_check.py [--bin target/release/credwiz] [--runs 20]
(run ./scripts/test once first: it creates .venv.)
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto():
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(TEST_SERVER_MODE="true", INITIAL_NO_AUTH_ACTION_COUNT="1000000000")
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("moto_server did not start")


def seed(port):
    import boto3
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                       aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    iam.create_user(UserName="bench")
    iam.put_user_policy(UserName="bench", PolicyName="read", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","sts:*"],"Resource":"*"}]}')
    key = iam.create_access_key(UserName="bench")["AccessKey"]
    req = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset-auth", data=b"0", method="POST",
                                 headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(req).read()
    return key["AccessKeyId"], key["SecretAccessKey"]


def timed(cmd, env, runs):
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append((time.perf_counter() - t) * 1000)
        if r.returncode != 0:
            sys.exit(f"{cmd[0]} failed ({r.returncode}): {r.stderr.decode(errors='replace')[-300:]}")
    return statistics.median(samples), min(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/credwiz"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    proc, port = start_moto()
    try:
        key_id, secret = seed(port)
        home = tempfile.mkdtemp()
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
        if shutil.which("curl"):
            curl = ["curl", "-sf", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:sts", "--user", f"{key_id}:{secret}",
                    "-d", "Action=GetCallerIdentity&Version=2011-06-15", f"http://127.0.0.1:{port}/"]
            rows.append(("curl --aws-sigv4 (one signed request)", timed(curl, env, args.runs)))
        print(f"median of {args.runs} runs (min), against moto on 127.0.0.1:{port}")
        for name, (median, best) in rows:
            print(f"  {name:40s} {median:8.1f} ms  ({best:.1f})")
        ours = rows[0][1][0]
        print(f"  credwiz / AWS CLI      = {ours / rows[1][1][0]:.3f}  (goal <= 0.1)")
        if len(rows) > 2:
            print(f"  credwiz / signed request = {ours / rows[2][1][0]:.2f}  (goal <= 3)")
        shutil.rmtree(home, ignore_errors=True)
    finally:
        proc.kill()


if __name__ == "__main__":
    main()
