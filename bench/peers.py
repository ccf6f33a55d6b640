#!/usr/bin/env python3
"""Writes the peers' content (../shared/peers/content.json, roster.json) as
handouts specs, so bench/run.sh times both tools on the same words:
  d1.yaml        the first worksheet alone (Typst's d1.typ)
  ws-N.yaml      each worksheet
  d2.yaml        cover, contents and the five worksheets (Typst's d2.typ)
  roster.csv     the 100 (couple, date) rows of Typst's d3
usage: peers.py PEERS_DIR OUT_DIR   (standard library only)"""
import json
import os
import sys


def q(s):
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(s, ensure_ascii=False)


def block(b):
    t = b["type"]
    if t == "heading":
        return [f"  - heading: {q(b['text'])}"]
    if t == "bullets":
        return ["  - bullets:"] + [f"      - {q(i)}" for i in b["items"]]
    if t == "checklist":
        return ["  - checklist:"] + [f"      - {q(i)}" for i in b["items"]]
    if t == "callout":
        return [f"  - callout: {q(' '.join(b['items']))}", f"    title: {q(b['title'])}"]
    if t == "prompts":
        out = []
        for i in b["items"]:
            out += [f"  - prompt: {q(i)}", f"    lines: {b.get('lines', 3)}"]
        return out
    if t == "table":
        cols = ", ".join(q(c) for c in b["columns"])
        out = [f"  - table: [{cols}]"]
        if "widths" in b:
            out.append(f"    widths: {json.dumps(b['widths'])}")
        out.append(f"    blank-rows: {b.get('rows', 4)}")
        return out
    sys.exit(f"peers.py: no mapping for block type {t!r}")


def worksheet(w):
    lines = [f"title: {q(w['title'])}", f"subtitle: {q(w['subtitle'])}", "blocks:"]
    lines.append(f"  - paragraph: {q(w['intro'])}")
    for b in w["blocks"]:
        lines += block(b)
    return "\n".join(lines) + "\n"


def main():
    peers, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    c = json.load(open(os.path.join(peers, "content.json"), encoding="utf-8"))
    names = []
    for n, w in enumerate(c["worksheets"], 1):
        names.append(f"ws-{n}.yaml")
        with open(os.path.join(out, names[-1]), "w", encoding="utf-8") as f:
            f.write(worksheet(w))
    with open(os.path.join(out, "d1.yaml"), "w", encoding="utf-8") as f:
        f.write(worksheet(c["worksheets"][0]))
    with open(os.path.join(out, "handouts.yaml"), "w", encoding="utf-8") as f:
        f.write(f"practice: {q(c['practice'])}\n")
    packet = [
        f"title: {q(c['packet_title'])}",
        "output: \"{{session_date}}-{{couple}}\"",
        "cover:",
        f"  title: {q(c['packet_title'])}",
        "  lines:",
        f"    - {q(c['packet_subtitle'])}",
        "    - \"{{couple}}\"",
        "    - \"{{session_date}}\"",
        f"    - {q(c['therapist'])}",
        "defaults:",
        "  couple: \"Maya Okafor & Daniel Reyes\"",
        "  session_date: \"January 12, 2026\"",
        "sections:",
        "  - title: Worksheets",
        "    worksheets:",
    ] + [f"      - {n}" for n in names]
    with open(os.path.join(out, "d2.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(packet) + "\n")
    roster = json.load(open(os.path.join(peers, "roster.json"), encoding="utf-8"))
    with open(os.path.join(out, "roster.csv"), "w", encoding="utf-8") as f:
        f.write("couple,session_date\n")
        for r in roster:
            f.write(f"{q(r['couple'])},{q(r['date'])}\n")


if __name__ == "__main__":
    main()
