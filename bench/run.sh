#!/usr/bin/env bash
# Whole-process benchmarks: time (hyperfine), peak memory (/usr/bin/time -v)
# and output size for each case, with the physical floor beside it, then
# the same content side by side with Typst where Typst is installed.
#   bench/run.sh            # every case, the 60,000-row roster included (~10 min)
#   bench/run.sh --quick    # without the 60,000-row roster
# Needs hyperfine (installed with apt-get when missing and running as root).
# The floor of a case is `floor copy` (examples/floor.rs) writing that
# case's output again, the way handouts writes it (temporary, fsync,
# rename), in a process of its own: process start plus durable writes,
# with no layout, PDF writing or compression. "× floor" is time / floor.
# A single document and its floor, and each peer case and Typst's, are
# timed side by side: six rounds of five runs, taking turns.
# Typst: `typst` on PATH (or TYPST=/path/to/typst) for the cold cases;
# TYPST_PY=/path/to/python with the `typst` PyPI package for the batch,
# which reuses one compiler (Typst's best case). Both optional.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=${1:-}

if ! command -v hyperfine >/dev/null; then
  apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null
fi
# On x86-64 Linux, the binary we hand out (`cargo dist`: glibc linked in,
# .cargo/config.toml) and the floor built the same way; elsewhere
# `cargo build --release`'s.
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
if [ "$(uname -sm)" = "Linux x86_64" ]; then
  cargo dist -q --example floor
  built=$target_dir/x86_64-unknown-linux-gnu/release
else
  cargo build --release -q --bin handouts --example floor
  built=$target_dir/release
fi
# HANDOUTS_BIN=path/to/handouts times another build (an older commit, for before/after).
bin=${HANDOUTS_BIN:-$built/handouts}
floor=$built/examples/floor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

handout=worksheets/atone/atone-2-questions-i-need-answered.yaml
packet=bench/packet-12.yaml

# Rosters of accented, Greek and Cyrillic names.
names=(Zoë Ángel Ζωή Наталья Łukasz Nguyễn Σοφία Дмитрий Sam Alex Kim Lee)
roster() {
  echo "partner_a,partner_b,session_date"
  for i in $(seq 1 "$1"); do
    echo "${names[$((i % 12))]}$i,${names[$(((i * 7 + 3) % 12))]},2026-05-$(printf %02d $((i % 28 + 1)))"
  done
}
roster 1000 > "$work/roster.csv"
[ "$quick" = --quick ] || roster 60000 > "$work/roster-60k.csv"

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
# An Arabic packet: cover with the couple's names, contents, a worksheet.
cat > "$work/ar.yaml" <<EOF
title: إعادة بناء الثقة
language: ar
cover:
  title: إعادة بناء الثقة
  lines: ["{{partner_a}} و{{partner_b}}"]
sections:
  - title: التناغم
    worksheets: [$PWD/tests/fixtures/rtl/ar-checkin.yaml]
EOF

set_names=(--set partner_a=Zoë --set partner_b=Ζωή --set session_date=2026-05-01)
declare -a labels cmds outs
add() { labels+=("$1"); cmds+=("$2"); outs+=("$3"); }
add "2-page handout (tagged), cold"   "$bin build $handout --out $work/h"                       "$work/h/atone-2-questions-i-need-answered.pdf"
add "2-page handout, large print"     "$bin build $handout --large-print --out $work/lp"        "$work/lp"
add "12-page packet, cold"            "$bin packet $packet ${set_names[*]} --out $work/p"       "$work/p/packet-12.pdf"
add "12-page packet, fillable"        "$bin packet $packet ${set_names[*]} --fillable --out $work/f" "$work/f/packet-12.pdf"
add "Arabic cover + worksheet"        "$bin packet $work/ar.yaml --set partner_a=ليلى --set partner_b=عمر --out $work/a" "$work/a/ar.pdf"
add "1,000-row roster batch"          "$bin packet $packet --roster $work/roster.csv --out $work/r"  "$work/r"
add "~10-page packet"                 "$bin packet $work/short.yaml --out $work/s"              "$work/s/short.pdf"
add "~1,000-page packet"              "$bin packet $work/long.yaml --out $work/l"               "$work/l/long.pdf"
# Last: its 3 GB are still being written back for a while after it ends,
# which slows every fsync that follows (the Typst cases sync first).
[ "$quick" = --quick ] ||
add "60,000-row roster batch"         "$bin packet $packet --roster $work/roster-60k.csv --out $work/r60" "$work/r60"

# Median of hyperfine runs, in seconds.
timeit() { # runs cmd...
  local runs=$1; shift
  hyperfine -N --warmup 1 --runs "$runs" --export-csv "$work/t.csv" "$*" >/dev/null 2>&1
  awk -F, 'NR==2 {print $4}' "$work/t.csv"
}
fmt() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }

# Side by side: rounds of a few runs of each, taking turns, so both are
# timed in the same minutes (this VM's speed drifts by 10-30 % over a
# minute, which moved the ratio by as much when each had its own block of
# runs); the medians are over every run. Prints "ours theirs".
side_by_side() { # side_by_side cmdA cmdB
  local a=$1 b=$2 r order which cmd
  : > "$work/sbs-a"
  : > "$work/sbs-b"
  for r in 1 2 3 4 5 6; do
    if [ $((r % 2)) = 1 ]; then order="a b"; else order="b a"; fi
    for which in $order; do
      if [ "$which" = a ]; then cmd=$a; else cmd=$b; fi
      hyperfine -N --warmup 1 --runs 5 --export-json "$work/sbs.json" "$cmd" >/dev/null 2>&1
      python3 -c 'import json,sys; print("\n".join(map(str, json.load(open(sys.argv[1]))["results"][0]["times"])))' \
        "$work/sbs.json" >> "$work/sbs-$which"
    done
  done
  for f in a b; do sort -g "$work/sbs-$f" | awk '{v[NR]=$1} END{printf "%s ", (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; done
  echo
}

start=$(timeit 50 "$floor")
printf '\nBare process start (floor binary, no work): %s\n' "$(fmt "$start")"
printf '\n| case | median time | floor | × floor | peak memory | output size |\n|---|---|---|---|---|---|\n'
for i in "${!cmds[@]}"; do
  runs=20
  case "${labels[$i]}" in *roster*|*1,000-page*) runs=3 ;; esac
  case "${labels[$i]}" in 60,000*) runs=1 ;; esac
  out=${outs[$i]}
  if [ "$runs" = 20 ]; then
    # A single document and its floor, taking turns (side_by_side).
    read -r t fl < <(side_by_side "${cmds[$i]}" "$floor copy $out $work/floor")
  else
    t=$(timeit "$runs" "${cmds[$i]}")
    fl=$(timeit "$runs" "$floor copy $out $work/floor")
  fi
  peak=$(/usr/bin/time -f %M ${cmds[$i]} 2>&1 >/dev/null | tail -1)
  rm -rf "$work/floor"
  # (No pipe into head: with pipefail, its early exit can fail the script.)
  if [ -d "$out" ]; then mapfile -t pdfs < <(find "$out" -name '*.pdf' | sort); out=${pdfs[0]}; fi
  size=$(stat -c %s "$out" 2>/dev/null || echo 0)
  awk -v l="${labels[$i]}" -v t="$(fmt "$t")" -v f="$(fmt "$fl")" -v x="$t" -v y="$fl" -v p="$peak" -v s="$size" \
    'BEGIN { printf "| %s | %s | %s | %.1f× | %.1f MB | %.1f KB |\n", l, t, f, x / y, p / 1024, s / 1024 }'
  case "${labels[$i]}" in 60,000*) rm -rf "$work/r60" ;; esac
  # Each case starts with the disk idle.
  sync
done

# The peers' own content as handouts specs (bench/peers.py), beside Typst.
peers=../shared/peers
[ -d "$peers" ] || { echo "(no $peers: Typst comparison skipped)"; exit 0; }
python3 bench/peers.py "$peers" "$work/pe"
typst=${TYPST:-$(command -v typst || true)}
# Pages of a PDF: its page dictionaries, counted in every stream too
# (object streams hold them compressed).
pages() {
  python3 - "$1" <<'PY'
import re, sys, zlib
d = open(sys.argv[1], "rb").read()
parts = [d]
for m in re.finditer(rb"stream\r?\n", d):
    try:
        parts.append(zlib.decompressobj().decompress(d[m.end():]))
    except zlib.error:
        pass
print(sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", p)) for p in parts))
PY
}
printf '\nSame content as ../shared/peers (Typst'"'"'s d1, d2, d3):\n\n| case | handouts | Typst | Typst / handouts |\n|---|---|---|---|\n'
if [ -n "$typst" ]; then
  read -r h1 t1 < <(side_by_side "$bin build $work/pe/d1.yaml --out $work/pe/o" \
    "$typst compile --root $peers --font-path /usr/share/fonts/truetype/dejavu --ignore-system-fonts $peers/typst/d1.typ $work/pe/t1.pdf")
  read -r h2 t2 < <(side_by_side "$bin packet $work/pe/d2.yaml --out $work/pe/o" \
    "$typst compile --root $peers --font-path /usr/share/fonts/truetype/dejavu --ignore-system-fonts $peers/typst/d2.typ $work/pe/t2.pdf")
  echo "| D1 worksheet, cold ($(pages "$work/pe/o/d1.pdf") vs $(pages "$work/pe/t1.pdf") pages) | $(fmt "$h1") | $(fmt "$t1") | $(awk -v a="$t1" -v b="$h1" 'BEGIN{printf "%.1f×", a/b}') |"
  echo "| D2 packet, cold ($(pages "$work/pe/o/d2.pdf") vs $(pages "$work/pe/t2.pdf") pages) | $(fmt "$h2") | $(fmt "$t2") | $(awk -v a="$t2" -v b="$h2" 'BEGIN{printf "%.1f×", a/b}') |"
else
  h1=$(timeit 30 "$bin build $work/pe/d1.yaml --out $work/pe/o")
  h2=$(timeit 30 "$bin packet $work/pe/d2.yaml --out $work/pe/o")
  echo "| D1 worksheet, cold | $(fmt "$h1") | (no typst) | |"
  echo "| D2 packet, cold | $(fmt "$h2") | (no typst) | |"
fi
# The batch: Typst's 100 rows; handouts the same 100 rows ten times over
# (1,000 packets), so the figure is not start-up alone.
{ head -1 "$work/pe/roster.csv"; for k in $(seq 1 10); do tail -n +2 "$work/pe/roster.csv"; done; } > "$work/pe/roster-1000.csv"
h3=$(timeit 3 "$bin packet $work/pe/d2.yaml --roster $work/pe/roster-1000.csv --out $work/pe/r")
hp=$(pages "$(find "$work/pe/r" -name '*.pdf' | sort | sed -n 1p)")
hrate=$(awk -v t="$h3" -v p="$hp" 'BEGIN{print 1000 * p / t}')
if [ -n "${TYPST_PY:-}" ]; then
  t3=$(timeit 3 "$TYPST_PY $peers/typst/run.py d3 $work/pe/t3")
  tp=$(pages "$work/pe/t3/packet-001.pdf")
  trate=$(awk -v t="$t3" -v p="$tp" 'BEGIN{print 100 * p / t}')
  echo "| D3 batch, packets/s (same content) | $(awk -v t="$h3" 'BEGIN{printf "%.0f", 1000/t}') | $(awk -v t="$t3" 'BEGIN{printf "%.1f", 100/t}') | $(awk -v a="$t3" -v b="$h3" 'BEGIN{printf "%.1f×", (1000/b)/(100/a)}') |"
  echo "| D3 batch, pages/s ($hp vs $tp a packet) | $(printf %.0f "$hrate") | $(printf %.0f "$trate") | $(awk -v a="$hrate" -v b="$trate" 'BEGIN{printf "%.1f×", a/b}') |"
else
  echo "| D3 batch, packets/s | $(awk -v t="$h3" 'BEGIN{printf "%.0f", 1000/t}') | (no TYPST_PY) | |"
fi
