#!/usr/bin/env python3
"""Build user_style_authored.jsonl from entries.txt and validate it.

entries.txt: one line per question, fields separated by ' ## ':
  page (relative to content/en/docs/; several pages joined by ' | ') ## style ## question ## anchor
The anchor is verbatim text from the answering passage of the FIRST page; it must occur in that page's
body (whitespace-normalised, front matter excluded). 'passage' = first 120 characters of the body starting
at the anchor.
"""
import json, os, re, sys, collections

ROOT = os.environ.get("K8S_DOCS", "/work/shared/datasets/k8s_docs")
HERE = os.path.dirname(os.path.abspath(__file__))
STYLES = {"how-to", "troubleshoot", "concept", "command", "compare"}

def body(path):
    t = open(os.path.join(ROOT, path), encoding="utf-8").read()
    if t.startswith("---"):
        e = t.find("\n---", 3)
        if e != -1:
            t = t[e + 4:]
    return re.sub(r"\s+", " ", t)

def main():
    rows, errors = [], []
    for n, line in enumerate(open(os.path.join(HERE, "entries.txt"), encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split(" ## ")
        if len(parts) != 4:
            errors.append(f"line {n}: {len(parts)} fields"); continue
        pages, style, q, anchor = (p.strip() for p in parts)
        rel = ["content/en/docs/" + p.strip() for p in pages.split(" | ")]
        for r in rel:
            if not os.path.isfile(os.path.join(ROOT, r)):
                errors.append(f"line {n}: missing {r}")
        if style not in STYLES:
            errors.append(f"line {n}: bad style {style}")
        nw = len(q.split())
        if not 6 <= nw <= 25:
            errors.append(f"line {n}: {nw} words: {q}")
        if errors and errors[-1].startswith(f"line {n}: missing"):
            continue
        b = body(rel[0])
        a = re.sub(r"\s+", " ", anchor)
        i = b.find(a)
        if i < 0:
            errors.append(f"line {n}: anchor not found in {rel[0]}: {anchor}"); continue
        rows.append({"id": f"auth-{len(rows):03d}", "question": q, "relevant": rel, "style": style,
                     "passage": b[i:i + 120]})
    if errors:
        print("\n".join(errors)); sys.exit(1)
    with open(os.path.join(HERE, "user_style_authored.jsonl"), "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    validate()

def validate():
    ids, n = set(), 0
    styles = collections.Counter(); pages = collections.Counter(); words = []
    for line in open(os.path.join(HERE, "user_style_authored.jsonl"), encoding="utf-8"):
        o = json.loads(line)
        assert set(o) == {"id", "question", "relevant", "style", "passage"}, o
        assert o["id"] not in ids, o["id"]; ids.add(o["id"])
        assert o["relevant"] and all(os.path.isfile(os.path.join(ROOT, p)) for p in o["relevant"]), o
        assert o["style"] in STYLES
        styles[o["style"]] += 1; words.append(len(o["question"].split()))
        for p in o["relevant"]:
            pages[p.split("/")[3]] += 1
        n += 1
    print(f"OK {n} questions; styles {dict(styles)}; relevant-page subtrees {dict(pages)}; "
          f"words min {min(words)} max {max(words)} mean {sum(words)/n:.1f}")

if __name__ == "__main__":
    main()
