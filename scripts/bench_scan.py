#!/usr/bin/env python3
"""Speed and memory of `credwiz scan` in a local world of 100 profiles, side by
side with that world's floor, in one run (not a timed test).

The world: moto from .venv (auth enforced) with 12 IAM users, and 100
profiles: 40 healthy (some sharing a key), 15 with a stale secret (the same
key ids as healthy ones: duplicate-key findings), 15 with deleted keys
(unknown-access-key, owner lookups), 10 region typos, 10 broken offline
(malformed, quoted, half-set, example keys), 5 roles assumed from an admin
profile, 5 without credentials.

The floor: one signed GetCallerIdentity per profile that holds keys (its own,
or its source profile's for a role), sent 16 at a time with `curl
--aws-sigv4` through `xargs -P 16`. moto answers one request at a time, so on
real AWS, where the network dominates, concurrency wins more.

Goals: scan's wall time <= 3x the floor's; peak memory (/usr/bin/time -v)
under 60 MB. Also runs scan at other --concurrency values (how the default
was chosen) and, when built, the criterion bench of the offline pass over
1,000 profiles (goal: under 20 ms):
    cargo bench --bench scan_offline --no-run   (builds it and target/release/credwiz)

--latency MS puts a relay in front of moto that holds each request and each
answer MS/2 ms, as a network to AWS would: how --concurrency pays off there.

Usage: .venv/bin/python scripts/bench_scan.py [--bin target/release/credwiz] [--runs 5] [--latency 60]
"""
import argparse
import glob
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from benchlib import enforce_auth, start_moto  # noqa: E402
ADMIN_POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
SELF_READ = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*",'
             '"sts:GetCallerIdentity","sts:GetSessionToken","sts:GetAccessKeyInfo"],"Resource":"*"}]}')
WRONG = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY{:010d}"


def seed(port):
    """Users and keys; returns (live keys, deleted keys, admin key, role ARN)."""
    import boto3
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}",
                       aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    live, deleted = [], []
    for i in range(11):
        name = f"user{i:02d}"
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="read", PolicyDocument=SELF_READ)
        for n in range(2):
            key = iam.create_access_key(UserName=name)["AccessKey"]
            pair = (key["AccessKeyId"], key["SecretAccessKey"])
            if n == 1 and i < 8:
                iam.delete_access_key(UserName=name, AccessKeyId=pair[0])
                deleted.append(pair)
            else:
                live.append(pair)
    admin = iam.create_user(UserName="admin")["User"]["Arn"]
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=ADMIN_POLICY)
    key = iam.create_access_key(UserName="admin")["AccessKey"]
    admin_key = (key["AccessKeyId"], key["SecretAccessKey"])
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"%s"},"Action":"sts:AssumeRole"}]}' % admin
    role = iam.create_role(RoleName="deploy", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName="deploy", PolicyName="read", PolicyDocument=SELF_READ)
    enforce_auth(port)
    return live, deleted, admin_key, role


def world(live, deleted, admin_key, role):
    """The two files, and the key pair each profile signs its floor request with."""
    creds, config, floor = [], [], []

    def keys(name, key_id, secret, region="us-east-1"):
        creds.append(f"[{name}]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
        config.append(f"[profile {name}]\nregion = {region}\n")
        floor.append((key_id, secret.strip('"')))

    keys("admin", *admin_key)
    for i in range(39):
        keys(f"ok-{i:02d}", *live[i % len(live)])
    for i in range(15):
        keys(f"stale-{i:02d}", live[i % len(live)][0], WRONG.format(i))
    for i in range(15):
        keys(f"gone-{i:02d}", *deleted[i % len(deleted)])
    for i in range(10):
        keys(f"typo-{i:02d}", *live[i % len(live)], region="us-east1")
    for i in range(3):
        keys(f"lower-{i:02d}", live[i][0].lower(), live[i][1])
    for i in range(3):
        keys(f"quoted-{i:02d}", live[i][0], f'"{live[i][1]}"')
    for i in range(2):
        keys(f"example-{i:02d}", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    for i in range(2):
        creds.append(f"[half-{i:02d}]\naws_access_key_id = {live[i][0]}\n")
        config.append(f"[profile half-{i:02d}]\nregion = us-east-1\n")
    for i in range(5):
        config.append(f"[profile role-{i:02d}]\nrole_arn = {role}\nsource_profile = admin\nregion = us-east-1\n")
        floor.append(admin_key)
    for i in range(5):
        config.append(f"[profile bare-{i:02d}]\nregion = eu-west-1\n")
    return "".join(creds), "".join(config), floor


def latency_relay(upstream, latency_ms):
    """A loopback relay that delays every chunk by half the round trip; returns its port."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)

    def pump(src, dst):
        try:
            while True:
                chunk = src.recv(65536)
                if not chunk:
                    break
                time.sleep(latency_ms / 2000)
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def accept():
        while True:
            client, _ = listener.accept()
            server = socket.create_connection(("127.0.0.1", upstream))
            threading.Thread(target=pump, args=(client, server), daemon=True).start()
            threading.Thread(target=pump, args=(server, client), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1]


def floor_run(port, pairs):
    """Wall time of one signed GetCallerIdentity per pair, 16 at a time (curl through xargs)."""
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        for key_id, secret in pairs:
            f.write(f"{key_id} {secret}\n")
        lines = f.name
    curl = ('curl -s -o /dev/null --aws-sigv4 aws:amz:us-east-1:sts --user "$0:$1" '
            f'-d "Action=GetCallerIdentity&Version=2011-06-15" http://127.0.0.1:{port}/')
    started = time.perf_counter()
    subprocess.run(["xargs", "-P", "16", "-L", "1", "sh", "-c", curl], stdin=open(lines), check=True)
    took = time.perf_counter() - started
    os.unlink(lines)
    return took


def scan_run(binary, env, concurrency):
    """Wall time, peak RSS (kB) and exit code of one `credwiz scan --json`."""
    cmd = ["/usr/bin/time", "-v", binary, "scan", "--json", "--timeout", "60", "--concurrency", str(concurrency)]
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - started
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1))
    if out.returncode not in (0, 1):
        sys.exit(f"scan failed ({out.returncode}): {out.stderr[-500:]}")
    return took, rss, out.stdout


def offline_bench():
    """The criterion bench of the offline pass, when it was built."""
    built = [p for p in glob.glob(os.path.join(ROOT, "target/release/deps/scan_offline-*"))
             if os.access(p, os.X_OK) and not p.endswith(".d")]
    if not built:
        return "not built (cargo bench --bench scan_offline --no-run)"
    out = subprocess.run([max(built, key=os.path.getmtime), "--bench"], capture_output=True, text=True)
    return "; ".join(f"{m.group(1).strip()}: {m.group(2)}" for m in
                     re.finditer(r"^(\S[^\n]*?)\s+time:\s+\[([^\]]+)\]", out.stdout, re.M)) or out.stdout[-300:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/credwiz"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--also", default="1,4,16", help="other --concurrency values to run once each")
    ap.add_argument("--latency", type=int, default=0, help="round trip (ms) added by a relay in front of moto")
    args = ap.parse_args()
    proc, port = start_moto()
    home = tempfile.mkdtemp()
    try:
        live, deleted, admin_key, role = seed(port)
        credentials, config, pairs = world(live, deleted, admin_key, role)
        os.makedirs(os.path.join(home, ".aws"))
        with open(os.path.join(home, ".aws/credentials"), "w") as f:
            f.write(credentials)
        with open(os.path.join(home, ".aws/config"), "w") as f:
            f.write(config)
        if args.latency:
            port = latency_relay(port, args.latency)
        env = {"HOME": home, "PATH": os.environ["PATH"], "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
               "AWS_EC2_METADATA_DISABLED": "true", "CREDWIZ_LOG_DIR": os.path.join(home, "logs")}
        floor_run(port, pairs)
        scan_run(args.bin, env, 8)  # warm-up (moto's first answers are slow)
        floors, scans, peaks = [], [], []
        for _ in range(args.runs):
            floors.append(floor_run(port, pairs))
            took, rss, report = scan_run(args.bin, env, 8)
            scans.append(took)
            peaks.append(rss)
        import json
        data = json.loads(report)
        lines, findings = len(data["profiles"]), len(data["findings"])
        failing = sum(1 for p in data["profiles"] if p["causes"])
        floor, ours = statistics.median(floors), statistics.median(scans)
        relay = f", behind a relay adding {args.latency} ms a round trip" if args.latency else ""
        print(f"world: {lines} lines ({failing} failing), {findings} cross-profile findings; moto{relay}")
        print(f"median of {args.runs} runs, side by side:")
        print(f"  floor: {len(pairs)} x signed GetCallerIdentity, xargs -P 16 curl   {floor * 1000:8.0f} ms")
        print(f"  credwiz scan --json (--concurrency 8)                    {ours * 1000:8.0f} ms  "
              f"= {ours / floor:.2f}x the floor (goal <= 3)")
        print(f"  peak memory of scan: {max(peaks) / 1024:.1f} MB (max of {args.runs}; goal < 60)")
        for n in [int(x) for x in args.also.split(",") if x]:
            took, rss, _ = scan_run(args.bin, env, n)
            print(f"  credwiz scan --concurrency {n:<3d} {took * 1000:8.0f} ms  ({took / floor:.2f}x)  {rss / 1024:.1f} MB")
        print(f"  offline pass, 1,000 profiles (parse, chains, lints; criterion): {offline_bench()}")
    finally:
        proc.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
