"""report.md and PNG plots from metrics.json, and the compare table."""
from __future__ import annotations

import json
from pathlib import Path

RETRIEVAL = ["recall@1", "recall@5", "recall@10", "recall@1500ch", "recall@3000ch", "mrr@10", "ndcg@10"]
ANSWERS = ["keyword_accuracy", "refusal_accuracy", "false_refusal", "citation_precision", "citation_recall",
           "language_match"]
LATENCY = ["latency_retrieve_p50_ms", "latency_retrieve_p95_ms", "latency_total_p50_ms", "latency_total_p95_ms",
           "latency_first_token_p50_ms", "latency_first_token_p95_ms"]
# lower is better for these; compare marks improvement accordingly
LOWER_BETTER = {"false_refusal", *LATENCY}


def _fmt(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) <= 1.0 else f"{v:.1f}"
    return str(v)


def _present(metrics: dict, keys: list[str]) -> list[str]:
    groups = [metrics["overall"], *metrics["by_lang"].values(), *metrics["by_type"].values()]
    return [k for k in keys if any(g.get(k) is not None for g in groups)]


def _table(metrics: dict, keys: list[str]) -> list[str]:
    rows = [("overall", metrics["overall"])]
    rows += [(f"lang {k}", v) for k, v in metrics["by_lang"].items()]
    rows += [(f"type {k}", v) for k, v in metrics["by_type"].items()]
    lines = ["| group | n | " + " | ".join(keys) + " |", "|---|---:|" + "---:|" * len(keys)]
    for name, g in rows:
        lines.append(f"| {name} | {g['n']} | " + " | ".join(_fmt(g.get(k)) for k in keys) + " |")
    return lines


def markdown(metrics: dict) -> str:
    run = metrics.get("run", {})
    out = [f"# Evaluation report: {run.get('pipeline', '?')} · {run.get('mode', '?')}", ""]
    out.append(f"- questions: `{run.get('questions', '')}` ({run.get('n', 0)}), started {run.get('started', '')}, "
               f"{run.get('duration_s', 0)} s")
    out.append(f"- answer mode used: {', '.join(run.get('mode_used', [])) or '–'}; embedding model "
               f"{run.get('embed_model', '')}; top_k {run.get('top_k', '')}")
    for note in metrics.get("notes", []):
        out.append(f"- note: {note}")
    g = metrics.get("generation")
    if g:
        out.append(f"- generation: answers by mode {g['answers_by_mode']}; {g['written_by_model']} written by the "
                   f"model, {g['tokens_p50']} tokens (p50), decode {g['decode_tokens_per_s_p50']} tokens/s (p50)")
    out += split_table(metrics)
    for title, keys in (("Retrieval", RETRIEVAL), ("Answers", ANSWERS), ("Latency (ms)", LATENCY)):
        keys = _present(metrics, keys)
        if keys:
            out += ["", f"## {title}", "", *_table(metrics, keys)]
    out += ["", "Definitions: see eval/README.md. – means the metric does not apply to that group.",
            "", "![scores per type](scores_by_type.png)", "", "![latency](latency.png)", ""]
    return "\n".join(out)


SPLIT_KEYS = ["recall@1500ch", "mrr@10", "keyword_accuracy", "refusal_accuracy", "false_refusal",
              "citation_precision", "language_match"]


def split_table(metrics: dict) -> list[str]:
    """Dev and test side by side, overall and per language: tuning is done on dev,
    and a gain that test does not show is not a gain."""
    splits = metrics.get("by_split") or {}
    if not splits:
        return []
    keys = [k for k in SPLIT_KEYS if any(s["overall"].get(k) is not None for s in splits.values())]
    groups = [("all", "overall", None)] + [(f"{lang}", "by_lang", lang) for lang in metrics.get("by_lang", {})]
    head = ["| metric | " + " | ".join(f"{split} {g}" for g, _, _ in groups for split in splits) + " |",
            "|---|" + "---:|" * (len(groups) * len(splits))]
    ns = "| n | " + " | ".join(str((s[part] if key is None else s[part].get(key, {})).get("n", 0))
                              for _, part, key in groups for s in splits.values()) + " |"
    lines = ["", "## Dev and test", "", *head, ns]
    for k in keys:
        cells = [(s[part] if key is None else s[part].get(key, {})).get(k) for _, part, key in groups
                 for s in splits.values()]
        lines.append(f"| {k} | " + " | ".join(_fmt(c) for c in cells) + " |")
    return lines


def summary(metrics: dict) -> str:
    o = metrics["overall"]
    keys = [k for k in ("recall@1500ch", "mrr@10", "keyword_accuracy", "refusal_accuracy", "false_refusal",
                        "citation_precision", "language_match", "latency_first_token_p50_ms", "latency_total_p50_ms")
            if o.get(k) is not None]
    line = "  ".join(f"{k}={_fmt(o[k])}" for k in keys)
    for split, s in (metrics.get("by_split") or {}).items():
        line += f"\n{split:>4} (n={s['overall']['n']}): " + "  ".join(
            f"{k}={_fmt(s['overall'][k])}" for k in keys if s["overall"].get(k) is not None)
    g = metrics.get("generation")
    if g:
        line += f"\ngeneration: {g}"
    return line


def plots(metrics: dict, out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    written = []
    types = list(metrics["by_type"])
    keys = [k for k in ("recall@1500ch", "mrr@10", "keyword_accuracy", "refusal_accuracy", "citation_precision")
            if any(metrics["by_type"][t].get(k) is not None for t in types)]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    width = 0.8 / max(1, len(keys))
    for i, k in enumerate(keys):
        vals = [metrics["by_type"][t].get(k) or 0.0 for t in types]
        ax.bar([x + i * width for x in range(len(types))], vals, width, label=k)
    ax.set_xticks([x + width * (len(keys) - 1) / 2 for x in range(len(types))], types)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score")
    ax.set_title(f"Scores per question type ({metrics.get('run', {}).get('pipeline', '')}, "
                 f"{metrics.get('run', {}).get('mode', '')})")
    ax.legend(fontsize=8, ncol=min(5, len(keys)))
    fig.tight_layout()
    path = out_dir / "scores_by_type.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    written.append(path)

    rows = [json.loads(line) for line in (out_dir / "answers.jsonl").read_text(encoding="utf-8").splitlines() if line]
    fig, ax = plt.subplots(figsize=(7, 4))
    for part in ("total", "retrieve", "first_token"):
        vals = [r["latency_ms"][part] for r in rows if (r.get("latency_ms") or {}).get(part) is not None]
        if vals:
            ax.hist(vals, bins=30, alpha=0.6, label=part)
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    ax.set_title("Latency distribution")
    ax.legend()
    fig.tight_layout()
    path = out_dir / "latency.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    written.append(path)
    return written


def write(metrics: dict, out_dir: Path) -> None:
    plots(metrics, out_dir)
    (out_dir / "report.md").write_text(markdown(metrics), encoding="utf-8")


def compare(a: dict, b: dict, name_a: str = "A", name_b: str = "B") -> str:
    """Markdown table of B − A for every metric both runs have, overall, per language and per type."""
    keys = [k for k in RETRIEVAL + ANSWERS + LATENCY if k in a["overall"] or k in b["overall"]]
    out = [f"# {name_b} vs {name_a}", "",
           f"A = {a.get('run', {}).get('pipeline', '')} · {a.get('run', {}).get('mode', '')}; "
           f"B = {b.get('run', {}).get('pipeline', '')} · {b.get('run', {}).get('mode', '')}. "
           "Δ = B − A; ▲ better, ▼ worse.", ""]
    groups = [("overall", a["overall"], b["overall"])]
    for split in sorted(set(a.get("by_split", {})) | set(b.get("by_split", {}))):
        sa, sb = a.get("by_split", {}).get(split, {}), b.get("by_split", {}).get(split, {})
        groups.append((f"split {split}", sa.get("overall", {}), sb.get("overall", {})))
        for lang in sorted(set(sa.get("by_lang", {})) | set(sb.get("by_lang", {}))):
            groups.append((f"split {split} lang {lang}", sa.get("by_lang", {}).get(lang, {}),
                           sb.get("by_lang", {}).get(lang, {})))
    for part in ("by_lang", "by_type"):
        for g in sorted(set(a.get(part, {})) | set(b.get(part, {}))):
            groups.append((f"{part[3:]} {g}", a.get(part, {}).get(g, {}), b.get(part, {}).get(g, {})))
    for name, ga, gb in groups:
        ks = [k for k in keys if ga.get(k) is not None or gb.get(k) is not None]
        if not ks:
            continue
        out += [f"## {name} (n = {ga.get('n', '–')} / {gb.get('n', '–')})", "", "| metric | A | B | Δ |",
                "|---|---:|---:|---:|"]
        for k in ks:
            va, vb = ga.get(k), gb.get(k)
            if va is None or vb is None:
                delta = "–"
            else:
                d = vb - va
                better = (d < 0) if k in LOWER_BETTER else (d > 0)
                mark = "" if abs(d) < 1e-9 else (" ▲" if better else " ▼")
                delta = f"{d:+.3f}{mark}" if abs(d) <= 1 and k not in LATENCY else f"{d:+.1f}{mark}"
            out.append(f"| {k} | {_fmt(va)} | {_fmt(vb)} | {delta} |")
        out.append("")
    return "\n".join(out)
