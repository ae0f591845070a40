"""Train the hazard and product-category classifier and write its small data file.

    .venv/bin/python scripts/train_classifier.py [--rasff PATH] [--safety-gate PATH] [--alpha 0.3]

Reads the real EU RASFF and Safety Gate exports through riskgate's own import profiles (so the
model sees exactly the drafts it will see at run time), keeps the held-out fifth out
(`classify.is_held_out`), and fits two multinomial naive Bayes models with numpy:

- hazard type from the record's text, the label's own words removed (`classify.training_text`);
  the hazard class is the sum of its types' probabilities;
- product category (RASFF/Safety Gate categories) from the product name, each category mapped to
  its most likely HS chapter by searching the catalogue's HS names with the category's product
  names.

Chinese product names get HS chapters from the Chinese names of HS chapters and headings.
Output: src/riskgate/intake/classifier_data/model.npz (float16 weights, deterministic).
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from riskgate.catalog._base import fold_text, read_data_text
from riskgate.intake import classify
from riskgate.intake.profiles import PROFILES
from riskgate.records.standard import Problems, finish

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src/riskgate/intake/classifier_data/model.npz"
RASFF = Path("/work/shared/data/rasff_2020_2024/rasff_2020_to_2024-10-30.csv")
SAFETY_GATE = Path("/work/shared/data/eu_safety_gate_sample/safety_gate_alerts.csv")
CHAPTER_TABLE = ROOT / "src/riskgate/intake/classifier_data/category_hs_chapters.csv"
VERSION = "nb-2026-11-21"
MIN_DOCS = 2  # a token must occur in this many training records to enter the vocabulary
MIN_CATEGORY = 5  # categories with fewer training records are not suggested


def read_drafts(path: Path, profile_name: str) -> Iterator[dict[str, Any]]:
    """Every row of a real export mapped by its import profile (rows with problems too)."""
    profile = PROFILES[profile_name]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            problems = Problems()
            draft = finish(profile.map_row(row, problems), problems)
            yield draft


def examples(rasff: Path | None, safety_gate: Path | None) -> list[dict[str, Any]]:
    """Labelled examples: source, reference, text, product name, hazard class/type, category."""
    found = []
    for source, path in (("rasff", rasff), ("safety_gate", safety_gate)):
        if path is None or not path.exists():
            continue
        for draft in read_drafts(path, source):
            found.append({
                "source": source,
                "reference": draft.get("external_reference"),
                "text": classify.training_text(draft, source),
                "product_name": draft.get("product_name") or "",
                "hazard_class": str(draft["hazard_class"]) if draft.get("hazard_class") else None,
                "hazard_type": str(draft["hazard_type"]) if draft.get("hazard_type") else None,
                "category": draft.get("product_category"),
                "held_out": classify.is_held_out(source, draft.get("external_reference")),
            })  # fmt: skip
    canonical_categories(found)
    return found


def fit_nb(
    documents: list[list[str]], labels: list[str], vocab: dict[str, int], alpha: float
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Multinomial NB over binary token presence: uniform prior (macro-F1 weighs every class
    alike), smoothed log P(token | label)."""
    names = sorted(set(labels))
    column = {name: i for i, name in enumerate(names)}
    counts = np.zeros((len(vocab), len(names)), dtype=np.float64)
    for features, label in zip(documents, labels, strict=True):
        index = sorted({vocab[t] for t in features if t in vocab})
        counts[index, column[label]] += 1
    weights = np.log((counts + alpha) / (counts.sum(axis=0) + alpha * len(vocab)))
    prior = np.zeros(len(names))
    return names, prior, weights


def category_chapters(categories: list[str]) -> list[str]:
    """Each product category's HS chapter from the hand-written table (searching the HS names
    with the categories' product names was tried and gave toys → 84: a table is more honest)."""
    table = {
        fold_text(row["category"]): row["hs_chapter"]
        for row in csv.DictReader(CHAPTER_TABLE.open(encoding="utf-8"))
    }
    return [table.get(fold_text(category), "") for category in categories]


def canonical_categories(found: list[dict[str, Any]]) -> None:
    """RASFF spells a category both "Fish and fish products" and "fish and fish products": use
    the commonest spelling of each folded name."""
    spellings: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for example in found:
        if example["category"]:
            spellings[fold_text(example["category"])][example["category"]] += 1
    for example in found:
        if example["category"]:
            counts = spellings[fold_text(example["category"])]
            example["category"] = min(counts, key=lambda s: (-counts[s], s))


def zh_chapter_bigrams() -> tuple[list[str], list[str]]:
    """Chinese character pairs of HS chapter and heading names → the chapters they occur in."""
    chapters: dict[str, set[str]] = collections.defaultdict(set)
    for row in csv.DictReader(io.StringIO(read_data_text("hs_names_zh.csv"))):
        code = row["code"].strip()
        if not code[:2].isdigit():
            continue
        for token in classify.tokens(row["name_zh"]):
            if len(token) == 2 and not token.isascii():
                chapters[token].add(code[:2])
    kept = sorted(t for t, found in chapters.items() if len(found) <= 3)
    return kept, [" ".join(sorted(chapters[t])) for t in kept]


def train(found: list[dict[str, Any]], alpha: float) -> dict[str, np.ndarray]:
    training = [e for e in found if not e["held_out"]]
    hazard = [e for e in training if e["hazard_type"]]
    hazard_docs = [classify.tokens(e["text"]) for e in hazard]
    named = [e for e in training if e["category"]]
    counted = collections.Counter(e["category"] for e in named)
    named = [e for e in named if counted[e["category"]] >= MIN_CATEGORY]
    name_docs = [classify.tokens(e["product_name"]) for e in named]
    frequency: collections.Counter[str] = collections.Counter()
    for features in [*hazard_docs, *name_docs]:
        frequency.update(set(features))
    words = sorted(t for t, n in frequency.items() if n >= MIN_DOCS)
    vocab = {t: i for i, t in enumerate(words)}
    hazard_labels, hazard_prior, hazard_weights = fit_nb(
        hazard_docs, [e["hazard_type"] for e in hazard], vocab, alpha
    )
    category_labels, category_prior, category_weights = fit_nb(
        name_docs, [e["category"] for e in named], vocab, alpha
    )
    chapters = category_chapters(category_labels)
    zh_bigrams, zh_chapters = zh_chapter_bigrams()
    return {
        "version": np.array(VERSION),
        "vocab": np.array(words),
        "hazard_labels": np.array(hazard_labels),
        "hazard_prior": hazard_prior.astype(np.float32),
        "hazard_weights": hazard_weights.astype(np.float16),
        "category_labels": np.array(category_labels),
        "category_prior": category_prior.astype(np.float32),
        "category_weights": category_weights.astype(np.float16),
        "category_chapters": np.array(chapters),
        "zh_bigrams": np.array(zh_bigrams),
        "zh_chapters": np.array(zh_chapters),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasff", type=Path, default=RASFF)
    parser.add_argument("--safety-gate", type=Path, default=SAFETY_GATE)
    parser.add_argument("--alpha", type=float, default=0.3)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    found = examples(args.rasff, args.safety_gate)
    arrays = train(found, args.alpha)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.output, **arrays)
    print(
        f"{len(found)} records, {sum(not e['held_out'] for e in found)} for training; "
        f"vocabulary {len(arrays['vocab'])}, {len(arrays['hazard_labels'])} hazard types, "
        f"{len(arrays['category_labels'])} categories → {args.output} "
        f"({args.output.stat().st_size // 1024} KiB)"
    )
    for label, chapter in zip(arrays["category_labels"], arrays["category_chapters"], strict=True):
        print(f"  {label} → {chapter}")


if __name__ == "__main__":
    main()
