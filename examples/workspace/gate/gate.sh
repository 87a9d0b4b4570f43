#!/bin/sh
# Usage: gate.sh OUTPUT. Waits until $RBL_GATE_FILE exists; see BUILD.
out=$1
gate=${RBL_GATE_FILE:-}
if [ -z "$gate" ]; then
  echo "gate: no gate file; build with --action_env=RBL_GATE_FILE=/absolute/path" >&2
  exit 2
fi
limit=${RBL_GATE_TIMEOUT_SECS:-300}
: > "$gate.reached" || exit 2
start=$(date +%s)
while [ ! -e "$gate" ]; do
  if [ $(($(date +%s) - start)) -ge "$limit" ]; then
    echo "gate: gave up after ${limit}s waiting for $gate" >&2
    exit 1
  fi
  sleep 0.1
done
echo "gate opened" > "$out"
