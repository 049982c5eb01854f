#!/usr/bin/env bash
# Trains the shipped model (models/default/) on every annotated set in ../shared except the check split of issue 14
# (wf-19…25, cn-15…20), each set read both with the built-in dictionaries and with its own dictionary.
# Usage: scripts/train-model.sh [OUT_DIR] (default models/default)
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SHARED:-../shared}
G=${GUANXI:-target/release/guanxi}
out=${1:-models/default}
golds=()
for set in seeds dev-wf dev-cn train-wf train-north train-biz train-sd train-central train-biz2; do
  golds+=(--gold "$S/gold/$set.jsonl:$S/gold/$set.dictionary.csv")
done
exclude=()
for n in $(seq 19 25); do exclude+=(--exclude "wf-$n.txt"); done
for n in $(seq 15 20); do exclude+=(--exclude "cn-$n.txt"); done
"$G" train "${golds[@]}" "${exclude[@]}" -o "$out" -q "${@:2}"
