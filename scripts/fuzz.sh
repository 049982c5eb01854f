#!/usr/bin/env bash
# Fuzzes the HTML and JSON Lines readers, with extraction of what they yield, for SECONDS each (default 300).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); with a nightly toolchain it runs under AddressSanitizer, otherwise
# on stable without a sanitizer (RUSTC_BOOTSTRAP allows libFuzzer's flags). Crashes are saved under fuzz/artifacts/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (targets: html jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(html jsonl)
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  # Seeds: the example corpus (HTML pages are made from its text), so the fuzzer starts from real Chinese news.
  if [ "$t" = jsonl ]; then cp -n examples/corpus/*.jsonl "fuzz/corpus/$t/" 2>/dev/null || true; fi
  for f in examples/corpus/*.txt; do
    if [ "$t" = html ]; then
      printf '<html><head><title>t</title></head><body><p>%s</p></body></html>' "$(cat "$f")" > "fuzz/corpus/$t/$(basename "$f").html"
    else
      python3 -c 'import json,sys; print(json.dumps({"id": sys.argv[1], "text": open(sys.argv[1]).read()}, ensure_ascii=False))' "$f" > "fuzz/corpus/$t/$(basename "$f").jsonl"
    fi
  done
  echo "== fuzzing $t for ${seconds}s =="
  limits=(-max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536)
  if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- "${limits[@]}")
  else
    (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run "$t" "corpus/$t" -s none -O -- "${limits[@]}")
  fi
done
