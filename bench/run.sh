#!/usr/bin/env bash
# Whole-process benchmarks: time (hyperfine), peak memory (/usr/bin/time -v)
# and output size for the cases in issue 7. Run from anywhere:
#   bench/run.sh            # prints a table
# Needs hyperfine (installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
cargo build --release -q
bin=$PWD/target/release/handouts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

handout=worksheets/atone/atone-2-questions-i-need-answered.yaml
packet=bench/packet-12.yaml

# A 1,000-row roster with accented, Greek and Cyrillic names.
names=(Zoë Ángel Ζωή Наталья Łukasz Nguyễn Σοφία Дмитрий Sam Alex Kim Lee)
{
  echo "partner_a,partner_b,session_date"
  for i in $(seq 1 1000); do
    echo "${names[$((i % 12))]}$i,${names[$(((i * 7 + 3) % 12))]},2026-05-$(printf %02d $((i % 28 + 1)))"
  done
} > "$work/roster.csv"

# A packet of about 1,000 pages: one 2-page worksheet, 495 times.
{
  echo "title: Long packet"
  echo "cover: {title: Long}"
  echo "sections:"
  echo "  - title: All"
  echo "    worksheets:"
  for i in $(seq 1 495); do echo "      - $PWD/$handout"; done
} > "$work/long.yaml"
# And one of about 10 pages, for the growth ratio.
{
  echo "title: Short packet"
  echo "cover: {title: Short}"
  echo "sections:"
  echo "  - title: All"
  echo "    worksheets:"
  for i in $(seq 1 4); do echo "      - $PWD/$handout"; done
} > "$work/short.yaml"

set_names=(--set partner_a=Zoë --set partner_b=Ζωή --set session_date=2026-05-01)
declare -a labels cmds outs
labels+=("2-page handout, cold process");  cmds+=("$bin build $handout --out $work/h");                  outs+=("$work/h/atone-2-questions-i-need-answered.pdf")
labels+=("12-page packet, cold process");  cmds+=("$bin packet $packet ${set_names[*]} --out $work/p");  outs+=("$work/p/packet-12.pdf")
labels+=("1,000-row roster batch");        cmds+=("$bin packet $packet --roster $work/roster.csv --out $work/r"); outs+=("$work/r")
labels+=("~10-page packet");               cmds+=("$bin packet $work/short.yaml --out $work/s");       outs+=("$work/s/short.pdf")
labels+=("~1,000-page packet");            cmds+=("$bin packet $work/long.yaml --out $work/l");        outs+=("$work/l/long.pdf")

printf '\n| case | mean time | peak memory | output size |\n|---|---|---|---|\n'
for i in "${!cmds[@]}"; do
  runs=10; [ "$i" -ge 2 ] && runs=3
  hyperfine -N --warmup 1 --runs "$runs" --export-csv "$work/t.csv" "${cmds[$i]}" >/dev/null 2>&1
  mean=$(awk -F, 'NR==2 {printf "%.1f ms", $2*1000}' "$work/t.csv")
  peak=$(/usr/bin/time -f %M ${cmds[$i]} 2>&1 >/dev/null | tail -1)
  out=${outs[$i]}
  # (No pipe into head: with pipefail, its early exit can fail the script.)
  if [ -d "$out" ]; then mapfile -t pdfs < <(find "$out" -name '*.pdf' | sort); out=${pdfs[0]}; fi
  size=$(stat -c %s "$out" 2>/dev/null || echo 0)
  awk -v l="${labels[$i]}" -v m="$mean" -v p="$peak" -v s="$size" \
    'BEGIN { printf "| %s | %s | %.1f MB | %.1f KB |\n", l, m, p / 1024, s / 1024 }'
done
