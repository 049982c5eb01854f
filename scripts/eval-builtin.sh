#!/usr/bin/env bash
# Scores guanxi on the shared dev material with the built-in dictionaries only (issue 15): the check split
# (wf-19…25, cn-15…20) and the tuning split (seeds, wf-01…18, cn-01…14), entities and typed relations.
# Usage: scripts/eval-builtin.sh [tune|check|all] [extra eval flags, e.g. --errors]; discovery is on (--discover)
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SHARED:-../shared}
G=${GUANXI:-target/release/guanxi}
split=${1:-all}; shift || true
wf_tune=$(seq -f "$S/corpus/dev-wf/wf-%02g.txt" 1 18); wf_check=$(seq -f "$S/corpus/dev-wf/wf-%02g.txt" 19 25)
cn_tune=$(seq -f "$S/corpus/dev-cn/cn-%02g.txt" 1 14); cn_check=$(seq -f "$S/corpus/dev-cn/cn-%02g.txt" 15 20)
sets=(--gold "$S/gold/dev-wf.jsonl" --gold "$S/gold/dev-cn.jsonl")
if [ "$split" = tune ] || [ "$split" = all ]; then
  echo "== tuning split, built-in dictionaries only =="
  # shellcheck disable=SC2086
  "$G" eval --discover --gold "$S/gold/seeds.jsonl" "${sets[@]}" "$@" "$S/corpus/seeds" $wf_tune $cn_tune 2>/dev/null
fi
if [ "$split" = check ] || [ "$split" = all ]; then
  echo "== check split, built-in dictionaries only =="
  # shellcheck disable=SC2086
  "$G" eval --discover "${sets[@]}" "$@" $wf_check $cn_check 2>/dev/null
fi
