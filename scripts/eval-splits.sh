#!/usr/bin/env bash
# Scores guanxi on the shared dev material in the two splits of issue 14: the tuning split (seeds, wf-01…18,
# cn-01…14) and the check split (wf-19…25, cn-15…20), each set with its own gold dictionary.
# Usage: scripts/eval-splits.sh [tune|check|all] [--builtin] [extra eval flags, e.g. --errors]
# --builtin scores with the built-in dictionaries only (issue 15): no gold dictionary is added. Discovery is on unless
# --no-discover is given among the extra flags.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SHARED:-../shared}
G=${GUANXI:-target/release/guanxi}
split=${1:-all}; shift || true
builtin=false
if [ "${1:-}" = --builtin ]; then builtin=true; shift; fi
wf_tune=$(seq -f "$S/corpus/dev-wf/wf-%02g.txt" 1 18); wf_check=$(seq -f "$S/corpus/dev-wf/wf-%02g.txt" 19 25)
cn_tune=$(seq -f "$S/corpus/dev-cn/cn-%02g.txt" 1 14); cn_check=$(seq -f "$S/corpus/dev-cn/cn-%02g.txt" 15 20)
sets=(--gold "$S/gold/dev-wf.jsonl:$S/gold/dev-wf.dictionary.csv" --gold "$S/gold/dev-cn.jsonl:$S/gold/dev-cn.dictionary.csv")
if $builtin; then sets=(--gold "$S/gold/dev-wf.jsonl" --gold "$S/gold/dev-cn.jsonl"); fi
if [ "$split" = tune ] || [ "$split" = all ]; then
  echo "== tuning split =="
  # shellcheck disable=SC2086
  "$G" eval --gold "$S/gold/seeds.jsonl" "${sets[@]}" "$@" "$S/corpus/seeds" $wf_tune $cn_tune 2>/dev/null
fi
if [ "$split" = check ] || [ "$split" = all ]; then
  echo "== check split =="
  # shellcheck disable=SC2086
  "$G" eval "${sets[@]}" "$@" $wf_check $cn_check 2>/dev/null
fi
