"""Suggest a record's hazard class and type, product category and HS chapter (pure, no DB/HTTP).

Three sources of evidence, in order of trust:

1. the source's own hazard field, already mapped by the import profile through the catalogue
   (RASFF hazard category, Safety Gate risk type, CPSC hazard words) — used as is;
2. Chinese hazard terms (`classifier_data/zh_hazard_terms.csv`, hand-written, plus the Chinese
   names of the catalogue's hazard types) found in the text — the longest terms weigh most;
3. a multinomial naive Bayes model over words, word pairs and Chinese character pairs, trained
   offline on the real RASFF and Safety Gate exports by `scripts/train_classifier.py` and
   shipped as `classifier_data/model.npz` (no model is downloaded at run time).

The model is transparent: its weights are per-token log-probabilities, and `explain` lists the
tokens that pushed a suggestion. Everything here is deterministic and never raises on any text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import numpy as np

from riskgate.catalog._base import fold_text
from riskgate.catalog.enums import HazardClass, HazardType
from riskgate.catalog.reference import hazard_type as hazard_type_entry
from riskgate.catalog.reference import hazard_types

DATA_PACKAGE = "riskgate.intake"
DATA_FOLDER = "classifier_data"
MODEL_FILE = "model.npz"
TERMS_FILE = "zh_hazard_terms.csv"
# A suggestion fills an empty hazard class only above this confidence (see bench results).
FILL_THRESHOLD = 0.6
MAX_TEXT = 4000  # characters of text looked at; enough for any title + description

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LATIN = re.compile(r"[0-9a-z]+")
_ASCII_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Suggestion:
    """What the classifier proposes for one record, with how sure it is and why."""

    hazard_class: HazardClass | None = None
    hazard_type: HazardType | None = None
    confidence: float = 0.0
    method: str = "none"  # "source" | "terms" | "model" | "none"
    product_category: str | None = None
    category_confidence: float = 0.0
    hs_chapter: str | None = None
    evidence: tuple[str, ...] = field(default_factory=tuple)


def fold(text: str) -> str:
    """`catalog.fold_text`, with a fast path for plain ASCII (the common case) that gives the
    same words without the Unicode normalisations."""
    if text.isascii():
        lowered = text.lower().replace("'", "").replace("`", "").replace("&", " and ")
        return _ASCII_NON_WORD.sub(" ", lowered).strip()
    return fold_text(text)


def tokens(text: str) -> list[str]:
    """Features of a text: folded words, adjacent word pairs, and Chinese character pairs."""
    if not isinstance(text, str) or not text:
        return []
    folded = fold(text[:MAX_TEXT])
    found: list[str] = []
    previous: str | None = None
    for word in folded.split():
        for run in _CJK.findall(word):
            if len(run) == 1:
                found.append(run)
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
            previous = None
        for latin in _LATIN.findall(word):
            if len(latin) < 2 or latin.isdigit():
                previous = None
                continue
            found.append(latin)
            if previous is not None:
                found.append(f"{previous}_{latin}")
            previous = latin
    return found


def record_text(draft: dict[str, Any]) -> str:
    """The text of a draft the hazard model reads: what a person wrote about the product."""
    parts = [draft.get(name) for name in (
        "title", "product_name", "product_category", "hazard_substance", "description",
    )]  # fmt: skip
    seen: list[str] = []
    for part in parts:
        if isinstance(part, str) and part and part not in seen:
            seen.append(part)
    return " . ".join(seen)


def strip_rasff_label(substance: str | None) -> str | None:
    """Drop RASFF's echo of the hazard category from a substance ("Salmonella - pathogenic
    micro-organisms" → "Salmonella"), so a model measured on text does not read the label."""
    if not substance:
        return substance
    parts = [part.strip().rsplit(" - ", 1)[0].strip() for part in substance.split(";")]
    return "; ".join(dict.fromkeys(p for p in parts if p)) or None


def is_held_out(source: str, reference: str | None) -> bool:
    """The deterministic held-out split: one record in five, by a hash of its source reference,
    so training, the benchmark and the tests agree without storing the split."""
    import hashlib

    digest = hashlib.sha256(f"{source}:{reference or ''}".encode()).digest()
    return digest[0] % 5 == 0


def training_text(draft: dict[str, Any], source: str) -> str:
    """The text a labelled draft offers the model once the label's own words are removed:
    RASFF's substance loses its echo of the category, Safety Gate's risk type is dropped."""
    copy = dict(draft)
    if source == "safety_gate":
        copy["hazard_substance"] = None
    else:
        copy["hazard_substance"] = strip_rasff_label(copy.get("hazard_substance"))
    return record_text(copy)


# --- the shipped model ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Model:
    vocab: dict[str, int]
    hazard_labels: tuple[str, ...]
    hazard_prior: np.ndarray
    hazard_weights: np.ndarray
    hazard_class_of: np.ndarray  # index of each label's class in CLASSES
    category_labels: tuple[str, ...]
    category_prior: np.ndarray
    category_weights: np.ndarray
    category_chapters: tuple[str, ...]
    zh_bigrams: dict[str, tuple[str, ...]]
    words: tuple[str, ...]
    version: str


CLASSES: tuple[HazardClass, ...] = tuple(HazardClass)


def _class_of(code: HazardType | str) -> HazardClass:
    """The hazard class of a hazard type of the catalogue (every type has one)."""
    entry = hazard_type_entry(str(code))
    if entry is None:
        raise KeyError(f"not a hazard type of the catalogue: {code}")
    return entry.hazard_class


@cache
def model() -> _Model:
    """Load `classifier_data/model.npz` once per process."""
    resource = resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, MODEL_FILE)
    with resource.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        vocab = {str(token): index for index, token in enumerate(data["vocab"])}
        labels = tuple(str(x) for x in data["hazard_labels"])
        class_of = np.array(
            [CLASSES.index(_class_of(label)) for label in labels]
        )
        zh: dict[str, tuple[str, ...]] = {}
        for bigram, chapters in zip(data["zh_bigrams"], data["zh_chapters"], strict=True):
            zh[str(bigram)] = tuple(str(chapters).split())
        return _Model(
            vocab=vocab,
            hazard_labels=labels,
            hazard_prior=data["hazard_prior"].astype(np.float64),
            hazard_weights=data["hazard_weights"].astype(np.float32),
            hazard_class_of=class_of,
            category_labels=tuple(str(x) for x in data["category_labels"]),
            category_prior=data["category_prior"].astype(np.float64),
            category_weights=data["category_weights"].astype(np.float32),
            category_chapters=tuple(str(x) for x in data["category_chapters"]),
            zh_bigrams=zh,
            words=tuple(vocab),
            version=str(data["version"]),
        )


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max())
    probabilities: np.ndarray = shifted / shifted.sum()
    return probabilities


def _indices(features: list[str], vocab: dict[str, int]) -> list[int]:
    return sorted({vocab[t] for t in features if t in vocab})


def model_hazard(text: str) -> tuple[HazardClass | None, HazardType | None, float, list[int]]:
    """The model's hazard class (types' probabilities summed by class), best type in it, the
    class probability and the vocabulary indices it read; (None, None, 0, []) without evidence."""
    m = model()
    index = _indices(tokens(text), m.vocab)
    if not index:
        return None, None, 0.0, []
    scores = m.hazard_prior + m.hazard_weights[index].sum(axis=0, dtype=np.float64)
    probability = _softmax(scores)
    by_class = np.bincount(m.hazard_class_of, weights=probability, minlength=len(CLASSES))
    best_class = int(by_class.argmax())
    in_class = np.where(m.hazard_class_of == best_class, probability, -1.0)
    best_type = int(in_class.argmax())
    return (
        CLASSES[best_class], HazardType(m.hazard_labels[best_type]),
        float(by_class[best_class]), index,
    )  # fmt: skip


@cache
def _known_categories() -> dict[str, tuple[str, str | None]]:
    m = model()
    return {
        fold(label): (label, chapter or None)
        for label, chapter in zip(m.category_labels, m.category_chapters, strict=True)
    }


def category_suggestion(
    product_name: str, source_category: str | None = None
) -> tuple[str | None, float, str | None]:
    """The source's category when the model knows it (with its HS chapter), else a suggestion
    from the product name."""
    if isinstance(source_category, str) and source_category:
        known = _known_categories().get(fold(source_category[:200]))
        if known is not None:
            return known[0], 1.0, known[1]
    return suggest_category(product_name)


@lru_cache(maxsize=4096)
def suggest_category(product_name: str) -> tuple[str | None, float, str | None]:
    """Product category (as RASFF/Safety Gate name it) and HS chapter for a product name."""
    if not isinstance(product_name, str) or not product_name.strip():
        return None, 0.0, None
    m = model()
    features = tokens(product_name)
    index = _indices(features, m.vocab)
    category: str | None = None
    confidence = 0.0
    chapter: str | None = None
    if index:
        scores = m.category_prior + m.category_weights[index].sum(axis=0, dtype=np.float64)
        probability = _softmax(scores)
        best = int(probability.argmax())
        category, confidence = m.category_labels[best], float(probability[best])
        chapter = m.category_chapters[best] or None
    votes: dict[str, float] = {}
    for feature in features:
        for code in m.zh_bigrams.get(feature, ()):
            votes[code] = votes.get(code, 0.0) + 1.0 / len(m.zh_bigrams[feature])
    if votes and (chapter is None or max(votes.values()) >= 1.0):
        chapter = min(votes, key=lambda code: (-votes[code], code))
    return category, round(confidence, 4), chapter


# --- Chinese (and English) hazard terms ------------------------------------------------------


@cache
def _terms() -> tuple[tuple[str, HazardType], ...]:
    """(folded term, hazard type), longest first: the hand list plus the catalogue's names."""
    import csv
    import io

    text = resources.files(DATA_PACKAGE).joinpath(DATA_FOLDER, TERMS_FILE).read_text("utf-8")
    pairs = {
        fold_text(row["term"]): HazardType(row["hazard_type"])
        for row in csv.DictReader(io.StringIO(text))
    }
    for entry in hazard_types():
        pairs.setdefault(fold_text(entry.name_zh), entry.code)
    return tuple(sorted(pairs.items(), key=lambda pair: (-len(pair[0]), pair[0])))


def term_hazard(text: str) -> tuple[HazardClass | None, HazardType | None, float, list[str]]:
    """Hazard from Chinese terms in the text; each hit weighs its length; the class with most
    weight wins and its heaviest type is chosen. Confidence is that class's share of weight."""
    if not isinstance(text, str) or not _CJK.search(text):
        return None, None, 0.0, []
    folded = fold_text(text[:MAX_TEXT])
    by_type: dict[HazardType, float] = {}
    hits: list[str] = []
    for term, code in _terms():
        if term in folded:
            hits.append(term)
            by_type[code] = by_type.get(code, 0.0) + len(term)
            folded = folded.replace(term, " ")  # a longer term hides the shorter ones inside it
    if not by_type:
        return None, None, 0.0, []
    by_class: dict[HazardClass, float] = {}
    for code, weight in by_type.items():
        klass = _class_of(code)
        by_class[klass] = by_class.get(klass, 0.0) + weight
    best_class = min(by_class, key=lambda k: (-by_class[k], CLASSES.index(k)))
    best_type = max(
        (c for c in by_type if _class_of(c) == best_class),
        key=lambda c: (by_type[c], c.value),
    )
    share = by_class[best_class] / sum(by_class.values())
    # One short hit is weaker evidence than several agreeing ones.
    confidence = min(0.99, share * (1 - math.exp(-sum(by_class.values()) / 3)) + 0.25)
    return best_class, best_type, round(min(confidence, 0.99), 4), hits


# --- the whole suggestion --------------------------------------------------------------------


def classify_text(
    text: str,
    product_name: str | None = None,
    *,
    with_evidence: bool = False,
    category_hint: str | None = None,
) -> Suggestion:
    """Suggest from text alone (Chinese terms first, then the model); `with_evidence` also lists
    the terms or tokens that decided it (slower, for display)."""
    klass, kind, confidence, hits = term_hazard(text)
    method = "terms" if klass else "none"
    evidence: tuple[str, ...] = tuple(hits[:5])
    if klass is None:
        klass, kind, confidence, index = model_hazard(text)
        if klass is not None:
            method = "model"
            evidence = explain(index, kind) if with_evidence else ()
    category, category_confidence, chapter = category_suggestion(product_name or "", category_hint)
    return Suggestion(
        hazard_class=klass, hazard_type=kind, confidence=round(confidence, 4), method=method,
        product_category=category, category_confidence=category_confidence, hs_chapter=chapter,
        evidence=evidence,
    )  # fmt: skip


def explain(index: list[int], kind: HazardType | None, top: int = 5) -> tuple[str, ...]:
    """The tokens that weighed most for `kind` relative to the other types."""
    if not index or kind is None:
        return ()
    m = model()
    column = m.hazard_labels.index(kind.value)
    rows = m.hazard_weights[index]
    lift = rows[:, column] - rows.mean(axis=1)
    order = np.argsort(-lift, kind="stable")[:top]
    return tuple(m.words[index[i]] for i in order if lift[i] > 0)


def classify_draft(draft: dict[str, Any]) -> Suggestion:
    """Suggest for a draft record: the source's hazard when it gave one, else from its text."""
    try:
        text = record_text(draft)
        product = draft.get("product_name") if isinstance(draft.get("product_name"), str) else ""
        source_type = draft.get("hazard_type")
        source_class = draft.get("hazard_class")
        if source_class or source_type:
            category, category_confidence, chapter = category_suggestion(
                product or "", draft.get("product_category")
            )
            klass = HazardClass(source_class) if source_class else None
            kind = HazardType(source_type) if source_type else None
            if klass is None and kind is not None:
                klass = _class_of(kind)
            return Suggestion(
                hazard_class=klass, hazard_type=kind, confidence=1.0, method="source",
                product_category=category, category_confidence=category_confidence,
                hs_chapter=chapter,
            )  # fmt: skip
        return classify_text(text, product, category_hint=draft.get("product_category"))
    except (ValueError, TypeError, KeyError):
        return Suggestion()


def prepare_draft(draft: dict[str, Any]) -> None:
    """Store the suggestion on the draft; fill hazard class and type only when the source left
    them empty and the suggestion is confident enough (`FILL_THRESHOLD`)."""
    suggestion = classify_draft(draft)
    draft["suggested_hazard_class"] = suggestion.hazard_class
    draft["suggested_hazard_type"] = suggestion.hazard_type
    draft["suggested_product_category"] = suggestion.product_category
    draft["suggested_hs_chapter"] = suggestion.hs_chapter
    draft["classification_confidence"] = suggestion.confidence if suggestion.hazard_class else None
    draft["classification_method"] = suggestion.method if suggestion.hazard_class else None
    if (
        suggestion.method in ("terms", "model")
        and suggestion.confidence >= FILL_THRESHOLD
        and not draft.get("hazard_class")
        and not draft.get("hazard_type")
    ):
        draft["hazard_class"] = suggestion.hazard_class
        draft["hazard_type"] = suggestion.hazard_type
