#!/usr/bin/env python3
"""Score secret scanners on a corpus made by gen.py.

    python3 bench/eval/score.py --corpus /tmp/eval-corpus --tool gitleaks
    python3 bench/eval/score.py --corpus /tmp/eval-corpus --tool all

Runs the scanner on every tree of the corpus, maps each finding to (path, line)
relative to the tree root, and counts:

  TP  planted secrets hit by at least one finding (a finding whose line lies in
      the secret's line..end_line, or from first_line where the assignment starts
      above a multi-line value; several findings on one secret count once)
  FN  planted secrets no finding hit
  FP  distinct (path, line) with findings but no planted secret, attributed to
      the look-alike kind recorded in decoys.json for that line ("unattributed"
      when the line holds no recorded look-alike)

precision = TP / (TP + FP), recall = TP / planted (overall and per family),
F1 from those two.  A finding whose reported line holds no planted secret but
whose reported secret text sits on another line of the same file is judged at
that line (gitleaks reports its multi-line Kubernetes rule at `kind: Secret`);
such findings are counted in `line_adjusted_tps` / moved false positives.

Command lines (TREE absolute; run with the tree as working directory):
  leakhound       leakhound scan TREE --format json --no-redact
  gitleaks        gitleaks dir TREE -f json -r REPORT --no-banner --exit-code 0 -l error
  betterleaks     betterleaks fs TREE -o REPORT --no-banner --exit-code 0 -l error
                  (component findings, e.g. the AWS secret key paired with a key id, count too)
  kingfisher      kingfisher scan TREE --no-validate --no-update-check --format json -o REPORT --no-dedup -q
                  (dependent captures reported without a line are located in the file)
  detect-secrets  detect-secrets scan --all-files .
  ripsecrets      ripsecrets .

Writes a markdown table to stdout and, under --out (default
/tmp/eval-results), <tool>.json (summary, missed secrets, false positives) and
for --tool all also summary.md / summary.json.  Python 3.11, stdlib only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

PEERS_BIN = os.environ.get("LEAKHOUND_PEERS_BIN", "/root/.cache/leakhound-peers/bin")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOLS = ["leakhound", "gitleaks", "betterleaks", "kingfisher", "detect-secrets", "ripsecrets"]


class ToolError(Exception):
    pass


# --------------------------------------------------------------------------- finding model

def finding(path, line, rule="", secret="", note=""):
    return {"path": path, "line": int(line), "rule": rule or "", "secret": secret or "", "note": note}


def locate(tree: str, rel: str, value: str, near: int) -> int | None:
    """Line of `value` in tree/rel closest to line `near` (for captures reported without a location)."""
    try:
        with open(os.path.join(tree, rel), encoding="utf-8", errors="replace") as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    hits = [i + 1 for i, x in enumerate(lines) if value in x]
    if not hits:
        first = value.split("\n")[0]
        hits = [i + 1 for i, x in enumerate(lines) if first and first in x]
    return min(hits, key=lambda n: abs(n - near)) if hits else None


# --------------------------------------------------------------------------- runners

def run(cmd, cwd, timeout, ok_codes=None):
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, timeout=timeout)
    except FileNotFoundError as e:
        raise ToolError(f"cannot run {cmd[0]}: {e}")
    except subprocess.TimeoutExpired:
        raise ToolError(f"timed out after {timeout}s: {' '.join(cmd)}")
    dt = time.perf_counter() - t0
    if ok_codes is not None and p.returncode not in ok_codes:
        raise ToolError(f"exit {p.returncode}: {' '.join(cmd)}\n{p.stderr.decode(errors='replace')[-800:]}")
    return p, dt


def load_json(text: str, what: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ToolError(f"{what} is not JSON ({e}); first bytes: {text[:120]!r}")


def scan_leakhound(binp, tree, tmp, timeout, extra):
    p, dt = run([binp, "scan", tree, "--format", "json", "--no-redact"] + extra, tree, timeout, ok_codes={0, 1})
    doc = load_json(p.stdout.decode(errors="replace"), "leakhound output")
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise ToolError("leakhound output has no top-level `findings` list")
    out = [finding(f["path"], f["line"], f.get("rule_id"), f.get("secret")) for f in doc["findings"]]
    return out, dt


def scan_gitleaks(binp, tree, tmp, timeout, extra, cmd="dir"):
    rep = os.path.join(tmp, "report.json")
    p, dt = run([binp, cmd, tree, "-f", "json", "-r", rep, "--no-banner", "--exit-code", "0", "-l", "error"] + extra,
                tree, timeout, ok_codes={0})
    doc = load_json(open(rep).read(), "gitleaks report") if os.path.exists(rep) else []
    return [finding(f["File"], f["StartLine"], f.get("RuleID"), f.get("Secret")) for f in doc or []], dt


def scan_betterleaks(binp, tree, tmp, timeout, extra):
    rep = os.path.join(tmp, "report.json")
    p, dt = run([binp, "fs", tree, "-o", rep, "--no-banner", "--exit-code", "0", "-l", "error"] + extra,
                tree, timeout, ok_codes={0})
    doc = load_json(open(rep).read(), "betterleaks report") if os.path.exists(rep) else {}
    items = doc.get("findings", []) if isinstance(doc, dict) else doc
    out = []
    for f in items or []:
        loc = f.get("location", {})
        out.append(finding(loc.get("path", ""), loc.get("start_line", 0), f.get("rule_id"),
                           (f.get("match") or {}).get("value", "")))
        # components (e.g. the secret access key paired with an AWS key id) carry their own location
        for cs in f.get("component_sets") or []:
            for c in cs.get("components") or []:
                cl = c.get("location") or {}
                if cl.get("path") and cl.get("start_line"):
                    out.append(finding(cl["path"], cl["start_line"], c.get("rule_id"),
                                       (c.get("match") or {}).get("value", ""), note="component"))
    return out, dt


def scan_kingfisher(binp, tree, tmp, timeout, extra):
    rep = os.path.join(tmp, "report.json")
    p, dt = run([binp, "scan", tree, "--no-validate", "--no-update-check", "--format", "json", "-o", rep,
                 "--no-dedup", "-q"] + extra, tree, timeout, ok_codes={0, 200, 205})
    doc = load_json(open(rep).read(), "kingfisher report") if os.path.exists(rep) else {}
    out = []
    for f in doc.get("findings", []) if isinstance(doc, dict) else []:
        fd = f.get("finding", {})
        rule = (f.get("rule") or {}).get("id", "")
        out.append(finding(fd.get("path", ""), fd.get("line", 0), rule, fd.get("snippet", "")))
        # values captured with the match (e.g. the AWS secret key) are reported without a location: find them
        for name, val in (fd.get("dependent_captures") or {}).items():
            if isinstance(val, str) and len(val) >= 8:
                rel = norm_path(fd.get("path", ""), tree)
                ln = locate(tree, rel, val, int(fd.get("line", 0) or 0))
                if ln:
                    out.append(finding(fd.get("path", ""), ln, rule + ":" + name, val, note="dependent_capture"))
    return out, dt


def scan_detect_secrets(binp, tree, tmp, timeout, extra):
    p, dt = run([binp, "scan", "--all-files", "."] + extra, tree, timeout, ok_codes={0})
    doc = load_json(p.stdout.decode(errors="replace"), "detect-secrets output")
    out = []
    for fname, items in (doc.get("results") or {}).items():
        for f in items:
            out.append(finding(f.get("filename", fname), f["line_number"], f.get("type")))
    return out, dt


RIP_RE = re.compile(r"^(.*?):(\d+):(.*)$")


def scan_ripsecrets(binp, tree, tmp, timeout, extra):
    p, dt = run([binp, "."] + extra, tree, timeout, ok_codes={0, 1})
    out = []
    for raw in p.stdout.decode(errors="replace").splitlines():
        m = RIP_RE.match(raw)
        if m:
            out.append(finding(m.group(1), m.group(2), "ripsecrets", m.group(3)))
    return out, dt


SCANNERS = {"leakhound": scan_leakhound, "gitleaks": scan_gitleaks, "betterleaks": scan_betterleaks,
            "kingfisher": scan_kingfisher, "detect-secrets": scan_detect_secrets, "ripsecrets": scan_ripsecrets}


def default_bin(tool: str) -> str | None:
    if tool == "leakhound":
        cand = [os.path.join(REPO, "target", "release", "leakhound"), shutil.which("leakhound")]
    else:
        cand = [os.path.join(PEERS_BIN, tool), shutil.which(tool)]
    for c in cand:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def tool_version(binp: str, tool: str) -> str:
    args = {"gitleaks": ["version"], "betterleaks": ["version"]}.get(tool, ["--version"])
    try:
        p = subprocess.run([binp] + args, capture_output=True, timeout=30)
        return (p.stdout or p.stderr).decode(errors="replace").strip().splitlines()[0][:80]
    except Exception:  # noqa: BLE001 - a version string is informative only
        return "?"


# --------------------------------------------------------------------------- scoring

def norm_path(p: str, tree: str) -> str:
    p = p.replace("\\", "/")
    if p.startswith("file://"):
        p = p[7:]
    rtree = os.path.realpath(tree)
    if os.path.isabs(p):
        rp = os.path.relpath(os.path.realpath(p) if os.path.exists(p) else p, rtree)
        if rp.startswith(".."):
            rp = os.path.relpath(p, tree)
    else:
        cand = os.path.normpath(os.path.join(tree, p))
        rp = os.path.relpath(cand, tree) if os.path.exists(cand) else os.path.normpath(p)
    rp = rp.replace("\\", "/")
    while rp.startswith("./"):
        rp = rp[2:]
    name = os.path.basename(rtree)
    if rp.startswith(name + "/") and not os.path.exists(os.path.join(tree, rp)):
        rp = rp[len(name) + 1:]
    return rp


class FileLines:
    """Cached lines of the tree's files, to move a finding to the line that holds its reported text."""

    def __init__(self, tree: str):
        self.tree = tree
        self.cache: dict[str, list[str]] = {}

    def find(self, rel: str, text: str, near: int) -> int | None:
        if rel not in self.cache:
            try:
                with open(os.path.join(self.tree, rel), encoding="utf-8", errors="replace") as f:
                    self.cache[rel] = f.read().split("\n")
            except OSError:
                self.cache[rel] = []
        probe = text.strip().split("\n")[0].strip()
        if len(probe) < 8:
            return None
        hits = [i + 1 for i, x in enumerate(self.cache[rel]) if probe in x]
        return min(hits, key=lambda n: abs(n - near)) if hits else None


def compact(x: str) -> str:
    return re.sub(r"(\\n|\s|[\"'`])", "", x)


def same_secret(reported: str, planted: dict) -> bool:
    """Does the reported text (maybe `name: value`, maybe decoded) hold the planted secret or a long part of it?"""
    rep = compact(reported)
    cands = {rep}
    m = re.match(r"^[\w.\-]{1,60}[:=](.+)$", rep)
    if m:
        cands.add(m.group(1))
    targets = [compact(planted["secret"])] + ([compact(planted["encoded"])] if planted.get("encoded") else [])
    for c in cands:
        for t in targets:
            if len(c) >= 12 and len(t) >= 12 and (c in t or t in c):
                return True
    return False


def score_tree(tree_name, tree, findings, truth, decoys):
    planted = [t for t in truth if t["tree"] == tree_name]
    by_path: dict[str, list] = {}
    for i, t in enumerate(planted):
        by_path.setdefault(t["path"], []).append((i, t))
    dec_by_path: dict[str, list] = {}
    for d in decoys:
        if d["tree"] == tree_name:
            dec_by_path.setdefault(d["path"], []).append(d)
    files = FileLines(tree)
    hit: dict[int, list] = {}
    fps: dict[tuple, dict] = {}
    adjusted = 0

    def planted_at(rel, ln):
        return [i for i, t in by_path.get(rel, []) if t.get("first_line", t["line"]) <= ln <= t["end_line"]]

    for f in findings:
        rel = norm_path(f["path"], tree)
        ln = f["line"]
        exact = planted_at(rel, ln)
        if exact:
            hit.setdefault(exact[0], []).append(f["rule"])
            continue
        # The reported line holds no planted secret.  When the finding reports its secret text and
        # that text sits on another line of the file (multi-line matches reported at their first
        # line, off-by-one line numbers), judge the finding at that line instead.
        moved = files.find(rel, f["secret"], ln) if f["secret"] else None
        if moved is not None and moved != ln:
            near = planted_at(rel, moved)
            if near:
                hit.setdefault(near[0], []).append(f["rule"])
                adjusted += 1
                continue
            ln = moved
        elif moved is None and f["secret"]:
            # Text not in the file: decoded content (base64 in a Kubernetes Secret) or a multi-line
            # match (a whole service-account JSON).  Compare with the planted values of the file.
            same = [i for i, t in by_path.get(rel, []) if same_secret(f["secret"], t)]
            if same:
                hit.setdefault(same[0], []).append(f["rule"])
                adjusted += 1
                continue
        key = (rel, ln)
        fp = fps.setdefault(key, {"tree": tree_name, "path": rel, "line": ln, "rules": [], "secret": f["secret"][:120],
                                  "kinds": sorted({d["kind"] for d in dec_by_path.get(rel, [])
                                                   if d["line"] <= ln <= d["end_line"]}) or ["unattributed"]})
        if f["rule"] not in fp["rules"]:
            fp["rules"].append(f["rule"])
    tps = [dict(planted[i], rules=sorted(set(r))) for i, r in hit.items()]
    fns = [t for i, t in enumerate(planted) if i not in hit]
    return tps, fns, list(fps.values()), adjusted


def summarize(tool, version, per_tree, truth, elapsed, raw_count, adjusted):
    tps = [x for tr in per_tree for x in tr[0]]
    fns = [x for tr in per_tree for x in tr[1]]
    fps = [x for tr in per_tree for x in tr[2]]
    fam_total: dict[str, int] = {}
    kind_total: dict[str, int] = {}
    for t in truth:
        fam_total[t["family"]] = fam_total.get(t["family"], 0) + 1
        kind_total[t["kind"]] = kind_total.get(t["kind"], 0) + 1
    fam_hit: dict[str, int] = {}
    kind_hit: dict[str, int] = {}
    for t in tps:
        fam_hit[t["family"]] = fam_hit.get(t["family"], 0) + 1
        kind_hit[t["kind"]] = kind_hit.get(t["kind"], 0) + 1
    fp_kind: dict[str, int] = {}
    for f in fps:
        k = f["kinds"][0]
        fp_kind[k] = fp_kind.get(k, 0) + 1
    tp, fp, fn = len(tps), len(fps), len(fns)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / len(truth) if truth else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    fam_recall = {k: round(fam_hit.get(k, 0) / v, 4) for k, v in sorted(fam_total.items())}
    return {
        "tool": tool, "version": version, "tp": tp, "fp": fp, "fn": fn, "planted": len(truth),
        "precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4),
        "min_family_recall": min(fam_recall.values()) if fam_recall else 0.0,
        "recall_by_family": fam_recall,
        "found_by_family": {k: f"{fam_hit.get(k, 0)}/{v}" for k, v in sorted(fam_total.items())},
        "recall_by_kind": {k: f"{kind_hit.get(k, 0)}/{v}" for k, v in sorted(kind_total.items())},
        "fp_by_decoy_kind": dict(sorted(fp_kind.items(), key=lambda kv: -kv[1])),
        "raw_findings": raw_count, "line_adjusted_tps": adjusted, "seconds": round(elapsed, 2),
        "missed": [{k: t[k] for k in ("tree", "path", "line", "family", "kind")} | {"secret": t["secret"][:60]} for t in fns],
        "false_positives": fps,
    }


def evaluate(tool, binp, corpus, timeout, extra, keep):
    truth = json.load(open(os.path.join(corpus, "truth.json")))
    decoys = json.load(open(os.path.join(corpus, "decoys.json")))
    troot = os.path.join(corpus, "trees")
    trees = sorted(d for d in os.listdir(troot) if os.path.isdir(os.path.join(troot, d)))
    per_tree, elapsed, raw, adjusted = [], 0.0, 0, 0
    for name in trees:
        tree = os.path.abspath(os.path.join(troot, name))
        with tempfile.TemporaryDirectory(prefix=f"score-{tool}-") as tmp:
            fs, dt = SCANNERS[tool](binp, tree, tmp, timeout, extra)
            if keep:
                os.makedirs(keep, exist_ok=True)
                with open(os.path.join(keep, f"{tool}-{name}.json"), "w") as f:
                    json.dump(fs, f, indent=1)
        elapsed += dt
        raw += len(fs)
        tps, fns, fps, adj = score_tree(name, tree, fs, truth, decoys)
        adjusted += adj
        per_tree.append((tps, fns, fps))
    return summarize(tool, tool_version(binp, tool), per_tree, truth, elapsed, raw, adjusted)


# --------------------------------------------------------------------------- reports

def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def md_tables(results: list[dict], skipped: dict[str, str]) -> str:
    out = ["| tool | TP | FP | FN | precision % | recall % | F1 % | min family recall % | seconds |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(results, key=lambda r: -r["f1"]):
        out.append(f"| {r['tool']} {r['version'].split()[-1] if r['version'] != '?' else ''} | {r['tp']} | {r['fp']} | {r['fn']} | "
                   f"{pct(r['precision'])} | {pct(r['recall'])} | {pct(r['f1'])} | {pct(r['min_family_recall'])} | {r['seconds']} |")
    for t, why in skipped.items():
        out.append(f"| {t} | - | - | - | - | - | - | - | skipped: {why} |")
    if not results:
        return "\n".join(out) + "\n"
    fams = list(results[0]["recall_by_family"])
    out += ["", "Recall by family (%; planted count in brackets):", "",
            "| family | " + " | ".join(r["tool"] for r in results) + " |",
            "|---|" + "---:|" * len(results)]
    for fam in fams:
        n = results[0]["found_by_family"][fam].split("/")[1]
        out.append(f"| {fam} ({n}) | " + " | ".join(pct(r["recall_by_family"][fam]) for r in results) + " |")
    kinds = sorted({k for r in results for k in r["fp_by_decoy_kind"]},
                   key=lambda k: -sum(r["fp_by_decoy_kind"].get(k, 0) for r in results))
    if kinds:
        out += ["", "False positives by look-alike kind (distinct lines):", "",
                "| look-alike kind | " + " | ".join(r["tool"] for r in results) + " |",
                "|---|" + "---:|" * len(results)]
        for k in kinds:
            out.append(f"| {k} | " + " | ".join(str(r["fp_by_decoy_kind"].get(k, 0)) for r in results) + " |")
    return "\n".join(out) + "\n"


def md_kinds(r: dict) -> str:
    out = ["", f"{r['tool']}: recall by planted kind", "", "| kind | found |", "|---|---:|"]
    out += [f"| {k} | {v} |" for k, v in r["recall_by_kind"].items()]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True, help="directory made by gen.py")
    ap.add_argument("--tool", required=True, help="|".join(TOOLS) + "|all")
    ap.add_argument("--bin", help="scanner binary (default: target/release for leakhound, the peers' bin dir otherwise)")
    ap.add_argument("--arg", action="append", default=[], help="extra argument for the scanner (repeatable)")
    ap.add_argument("--out", default="/tmp/eval-results", help="directory for the JSON/markdown reports")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per tree")
    ap.add_argument("--keep-raw", help="also write every tool's normalised findings per tree here")
    a = ap.parse_args(argv)
    corpus = os.path.abspath(a.corpus)
    if not os.path.exists(os.path.join(corpus, "truth.json")):
        print(f"error: {corpus} has no truth.json (make one with gen.py)", file=sys.stderr)
        return 2
    tools = TOOLS if a.tool == "all" else [a.tool]
    for t in tools:
        if t not in SCANNERS:
            print(f"error: unknown tool {t!r}; one of {', '.join(TOOLS)}, all", file=sys.stderr)
            return 2
    os.makedirs(a.out, exist_ok=True)
    results, skipped = [], {}
    for t in tools:
        binp = a.bin if (a.bin and a.tool != "all") else default_bin(t)
        if not binp:
            skipped[t] = "binary not found"
            print(f"# {t}: skipped (binary not found)", file=sys.stderr)
            continue
        print(f"# {t}: scanning with {binp}", file=sys.stderr)
        try:
            r = evaluate(t, binp, corpus, a.timeout, a.arg if a.tool != "all" else [], a.keep_raw)
        except ToolError as e:
            if a.tool != "all":
                print(f"error: {t}: {e}", file=sys.stderr)
                return 2
            skipped[t] = str(e).splitlines()[0][:100]
            print(f"# {t}: skipped ({e})", file=sys.stderr)
            continue
        results.append(r)
        with open(os.path.join(a.out, f"{t}.json"), "w") as f:
            json.dump(r, f, indent=1)
    md = md_tables(results, skipped)
    if a.tool != "all" and results:
        md += md_kinds(results[0])
    print(md)
    if a.tool == "all":
        with open(os.path.join(a.out, "summary.md"), "w") as f:
            f.write(md)
        with open(os.path.join(a.out, "summary.json"), "w") as f:
            json.dump({"corpus": corpus, "results": [{k: v for k, v in r.items() if k not in ("missed", "false_positives")}
                                                     for r in results], "skipped": skipped}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
