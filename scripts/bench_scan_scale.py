#!/usr/bin/env python3
"""`credwiz scan` at the scale of an organisation (issue 19), a script, not a
timed test: wall and CPU time, exit status, profiles listed (checked or not
checked) and output size for

- N profiles with distinct keys against a local endpoint that answers every
  call (403 InvalidClientTokenId), N = 1,000 / 5,000 / 10,000 by default;
- a source_profile chain 1,000 profiles long against an endpoint that answers
  AssumeRole and GetCallerIdentity (the largest `scan --json` output).

The endpoint is a threaded HTTP server on 127.0.0.1. CPU time is the child's
user + system time: on a shared machine wall time also holds the wait for a core.

Usage: python3 scripts/bench_scan_scale.py [--bin target/release/credwiz] [--counts 1000,5000,10000]
       [--timeout 10] [--chain 1000]
"""
import argparse
import http.server
import json
import os
import resource
import socketserver
import subprocess
import tempfile
import threading
import time
import urllib.parse

ASSUMED = ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAZZZZZZZZZZZZ0009</AccessKeyId>"
           "<SecretAccessKey>q7Rw2Zt9Kd4Lm8Xc1Vb5Nh3Jg6Fs0Pa/EoUiYt+k</SecretAccessKey><SessionToken>"
           "FwoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789abcdefghijklmnopqrstuvwxyz</SessionToken>"
           "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAZZZ:s"
           "</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn></AssumedRoleUser></AssumeRoleResult>"
           "</AssumeRoleResponse>")
IDENTITY = ("<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn>"
            "<UserId>AROAZZZ:s</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
REJECTED = ("<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token "
            "included in the request is invalid.</Message></Error></ErrorResponse>")


def serve(answer_roles):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # The handler writes its head and its body apart: with Nagle on, a
        # reused connection's answer waits 40 ms for the client's delayed ACK,
        # which no AWS endpoint does.
        disable_nagle_algorithm = True

        def handle(self):
            try:
                super().handle()
            except OSError:
                pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            action = urllib.parse.parse_qs(body).get("Action", [""])[0]
            if answer_roles and action == "AssumeRole":
                code, out = 200, ASSUMED
            elif answer_roles and action == "GetCallerIdentity":
                code, out = 200, IDENTITY
            else:
                code, out = 403, REJECTED
            data = out.encode()
            self.send_response(code)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(binary, home, port, timeout):
    env = {"HOME": home, "PATH": "/usr/bin:/bin", "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
           "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.time()
    done = subprocess.run([binary, "scan", "--timeout", str(timeout), "--json"], env=env, capture_output=True)
    wall = time.time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads(done.stdout)
    unchecked = sum(1 for p in report["profiles"]
                    if any(c["id"] == "not-checked" for s in p["steps"] for c in s["checks"]))
    return wall, cpu, done.returncode, report, unchecked, len(done.stdout)


def write(home, config, credentials):
    os.makedirs(f"{home}/.aws", exist_ok=True)
    with open(f"{home}/.aws/config", "w") as f:
        f.write(config)
    with open(f"{home}/.aws/credentials", "w") as f:
        f.write(credentials)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default="target/release/credwiz")
    parser.add_argument("--counts", default="1000,5000,10000")
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--chain", type=int, default=1000)
    args = parser.parse_args()
    server = serve(answer_roles=False)
    for count in [int(c) for c in args.counts.split(",") if c]:
        with tempfile.TemporaryDirectory() as home:
            credentials = "".join(f"[p{i}]\naws_access_key_id = AKIA{i:016d}\n"
                                  f"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010d}\n\n"
                                  for i in range(count))
            write(home, "", credentials)
            wall, cpu, code, report, unchecked, size = run(args.bin, home, server.server_address[1], args.timeout)
            print(f"scan, {count} profiles, --timeout {args.timeout}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                  f"scan's own {report['duration_ms']} ms, exit {code}, {len(report['profiles'])} listed "
                  f"({unchecked} not checked), {size / 1e6:.1f} MB of JSON", flush=True)
    server.shutdown()
    if args.chain:
        server = serve(answer_roles=True)
        with tempfile.TemporaryDirectory() as home:
            config = "[profile c0]\nregion = us-east-1\n\n" + "".join(
                f"[profile c{i}]\nrole_arn = arn:aws:iam::123456789012:role/r{i}\nsource_profile = c{i - 1}\n"
                f"region = us-east-1\n\n" for i in range(1, args.chain))
            credentials = ("[c0]\naws_access_key_id = AKIAZZZZZZZZZZZZ0001\n"
                           "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
            write(home, config, credentials)
            wall, cpu, code, report, unchecked, size = run(args.bin, home, server.server_address[1], args.timeout)
            largest = max(len(json.dumps(p)) for p in report["profiles"])
            print(f"scan, a {args.chain}-long source_profile chain, --timeout {args.timeout}: {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU, exit {code}, {len(report['profiles'])} listed ({unchecked} not checked), "
                  f"{size / 1e6:.2f} MB of JSON, largest profile report {largest} bytes", flush=True)
        server.shutdown()


if __name__ == "__main__":
    main()
