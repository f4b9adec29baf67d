#!/usr/bin/env bash
# Measures the wizard: time to the first frame (logged by credwiz itself,
# from the start of main) and CPU used while idle (5 s with nothing
# happening, from /proc/PID/stat). Runs the release binary in tmux against a
# refused endpoint (checks fail fast, then nothing changes).
# Usage: scripts/bench_tui.sh [path/to/credwiz]   (needs tmux)
set -euo pipefail
bin=$(realpath "${1:-target/release/credwiz}")
work=$(mktemp -d)
trap 'tmux -L credwiz-bench kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/.aws"
printf '[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n' > "$work/.aws/credentials"
printf '[default]\nregion = us-east-1\n' > "$work/.aws/config"
for run in 1 2 3 4 5; do
  rm -f "$work/logs/credwiz.log"
  tmux -L credwiz-bench new-session -d -s b -x 100 -y 30 \
    "env -i HOME=$work PATH=/usr/bin:/bin TERM=xterm-256color AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_EC2_METADATA_DISABLED=true CREDWIZ_LOG_DIR=$work/logs $bin"
  for _ in $(seq 50); do grep -q "first frame" "$work/logs/credwiz.log" 2>/dev/null && break; sleep 0.05; done
  grep -o 'first frame drawn ms=[0-9.]*' "$work/logs/credwiz.log" | sed "s/^/run $run: /"
  if [ "$run" = 5 ]; then
    sleep 2
    pid=$(pgrep -n -f "$bin")
    ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
    a=$(ticks); sleep 5; b=$(ticks)
    echo "idle CPU over 5 s: $((b - a)) clock ticks (of $(getconf CLK_TCK)/s)"
  fi
  tmux -L credwiz-bench kill-server
done
