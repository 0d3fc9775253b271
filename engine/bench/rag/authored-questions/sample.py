#!/usr/bin/env python3
"""Sample 160 docs pages uniformly at random (seed 20261207) for question authoring.

Population: every .md under content/en/docs, except
  - anything under content/en/docs/reference/glossary/
  - _index.md files whose body (text after the YAML front matter) is shorter than 400 characters.
Paths are sorted before sampling so the draw is reproducible.
"""
import os, random, sys

ROOT = os.environ.get("K8S_DOCS", "/work/shared/datasets/k8s_docs")
SEED = 20261207
N = 160

def body_of(text):
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return text[end + 4:]
    return text

def population():
    base = os.path.join(ROOT, "content/en/docs")
    out = []
    for d, _, files in os.walk(base):
        for f in files:
            if not f.endswith(".md"):
                continue
            full = os.path.join(d, f)
            rel = os.path.relpath(full, ROOT)
            if rel.startswith("content/en/docs/reference/glossary/"):
                continue
            if f == "_index.md":
                with open(full, encoding="utf-8") as fh:
                    if len(body_of(fh.read()).strip()) < 400:
                        continue
            out.append(rel)
    return sorted(out)

if __name__ == "__main__":
    pop = population()
    rng = random.Random(SEED)
    picked = rng.sample(pop, N)
    print(f"population {len(pop)}, sampled {len(picked)}", file=sys.stderr)
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pages.txt"), "w") as fh:
        fh.write("\n".join(picked) + "\n")
