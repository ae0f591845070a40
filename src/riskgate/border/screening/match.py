"""Matching lines to rules: `CompiledRules` (the index, built once per rule-set version) and
`naive_match`, its documented reference.

Pure: no database, no HTTP. Semantics (the same in both): a rule constrains up to ten fields —
HS prefixes, origin countries, enterprise codes, keywords, barcodes, ports, direction, and the
brands, models and batches of the products a warning names. Within a
field the values are alternatives (OR); across the fields a rule gives, all must match (AND); a
field the rule leaves empty does not constrain it (a rule with no field at all matches every
line). HS prefixes match the start of the line's code (digits only); keywords match anywhere in
the folded text "description\\nbrand\\nmodel" (NFKC, case-folded, traditional → simplified by
`riskgate.search.folding.fold`); the other fields compare exactly after normalising (countries
upper-case, enterprise codes upper-case without spaces, barcodes without spaces; brands, models
and batches folded without spaces, against the line's own brand, model and batch). Matches come
highest priority first, then by rule id.

How the index finds them fast: every rule is *anchored* on the field that it constrains and
that is expected to be the most selective (a barcode before an enterprise code before a keyword
before a long HS prefix … before a direction; never on a brand, model or batch, which are only
checked — a rule constraining nothing else is a candidate for every line). A line looks up each
of its values in the anchor dictionaries — HS prefixes by every prefix length in use, keywords
with one Aho-Corasick pass (`pyahocorasick`) — which yields a handful of candidates; each
candidate is then checked on its other fields, so a rule matches when every field it constrains
matched (the per-candidate count equals the rule's number of fields). Lookups are cached per
distinct value (HS code, folded text, origin, trader …): the lines of a batch share most of
their values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import ahocorasick  # no stubs: the attribute types are not checked

from riskgate.border.screening.normalise import (
    fold_many,
    line_text,
    no_gc,
    norm_barcode,
    norm_code,
    norm_hs,
    norm_keyword,
    norm_port,
    norm_term,
)
from riskgate.border.screening.types import LineInput, RuleSpec
from riskgate.search.folding import fold

# Field bits, in anchor preference order (most selective first, on typical data).
HS, COUNTRY, ENTERPRISE, KEYWORD, BARCODE, PORT, DIRECTION = 1, 2, 4, 8, 16, 32, 64
BRAND, MODEL, BATCH = 128, 256, 512  # checked on candidates, never anchors
PRODUCT_BITS = frozenset({BRAND, MODEL, BATCH})
_CACHE_LIMIT = 200_000  # distinct values kept per cache before it is cleared
_NO_TEXT: tuple[frozenset[str], tuple[int, ...]] = (frozenset(), ())


def _text_key(line: LineInput) -> str:
    brand, model = line.brand, line.model
    if not brand and not model:
        return line.description or ""
    return "\n".join(p for p in (line.description, brand, model) if p)


def _rule_fields(rule: RuleSpec) -> dict[int, tuple[str, ...]]:
    """The normalised values of each field a rule constrains (empty fields left out)."""
    fields = {
        HS: tuple(v for v in (norm_hs(p) for p in rule.hs_prefixes) if v),
        COUNTRY: tuple(v for v in (norm_code(c) for c in rule.countries) if v),
        ENTERPRISE: tuple(v for v in (norm_code(c) for c in rule.enterprise_codes) if v),
        KEYWORD: tuple(v for v in (norm_keyword(k) for k in rule.keywords) if v),
        BARCODE: tuple(v for v in (norm_barcode(b) for b in rule.barcodes) if v),
        PORT: tuple(v for v in (norm_port(p) for p in rule.ports) if v),
        DIRECTION: (rule.direction,) if rule.direction else (),
        BRAND: tuple(v for v in (norm_term(b) for b in rule.brands) if v),
        MODEL: tuple(v for v in (norm_term(m) for m in rule.models) if v),
        BATCH: tuple(v for v in (norm_term(b) for b in rule.batches) if v),
    }
    return {bit: values for bit, values in fields.items() if values}


def _line_values(line: LineInput) -> dict[int, str | None]:
    """A line's values of the exactly compared fields, normalised."""
    return {
        COUNTRY: norm_code(line.origin_country),
        ENTERPRISE: norm_code(line.trader_code),
        BARCODE: norm_barcode(line.barcode),
        PORT: norm_port(line.port_code),
        DIRECTION: line.direction,
        BRAND: norm_term(line.brand),
        MODEL: norm_term(line.model),
        BATCH: norm_term(line.batch),
    }


def order_key(rule: RuleSpec) -> tuple[int, int]:
    return (-rule.priority, rule.id)


class NaiveMatcher:
    """The reference matcher: every rule tested field by field against every line, no index.

    Rules are normalised once; each line's text is folded each time. The index must give
    exactly its answer (property tests), and the benchmark measures against it."""

    def __init__(self, rules: Iterable[RuleSpec]) -> None:
        ordered = sorted(rules, key=order_key)
        self.prepared = [(r.id, tuple(_rule_fields(r).items())) for r in ordered]

    def match(self, line: LineInput) -> list[int]:
        text = line_text(line)
        hs = norm_hs(line.hs_code)
        values = _line_values(line)
        matched = []
        for rule_id, fields in self.prepared:
            ok = True
            for bit, wanted in fields:
                if bit == HS:
                    ok = any(hs.startswith(p) for p in wanted)
                elif bit == KEYWORD:
                    ok = any(k in text for k in wanted)
                else:
                    ok = values[bit] in wanted
                if not ok:
                    break
            if ok:
                matched.append(rule_id)
        return matched


def naive_match(rules: Iterable[RuleSpec], line: LineInput) -> list[int]:
    """Ids of the rules a line matches by testing every rule (see `NaiveMatcher`)."""
    return NaiveMatcher(rules).match(line)


def _selectivity(bit: int, values: tuple[str, ...]) -> float:
    """Rough share of lines a field's values let through (lower = better anchor)."""
    if bit == HS:
        per = {2: 1 / 60, 4: 1 / 600, 6: 1 / 3000, 8: 1 / 10000}
        return sum(per.get(len(v), 1 / 30000) for v in values)
    base = {COUNTRY: 1 / 25, ENTERPRISE: 1 / 5000, KEYWORD: 1 / 500, BARCODE: 1 / 100000,
            PORT: 1 / 20, DIRECTION: 1 / 2}[bit]
    return base * len(values)


class RuleIndex:
    """Anchor dictionaries and per-rule field sets for `match` / `match_many`."""

    def __init__(self, rules: Iterable[RuleSpec]) -> None:
        ordered = sorted(rules, key=order_key)
        self.rules: tuple[RuleSpec, ...] = tuple(ordered)
        self.ids: tuple[int, ...] = tuple(r.id for r in ordered)
        # Per rule (by position = rank): the fields it constrains beyond its anchor, as
        # (bit, frozenset of values) — HS as the set of prefixes, keywords checked via the text.
        self.checks: list[tuple[tuple[int, frozenset[str]], ...]] = []
        always: list[int] = []  # rules constraining nothing
        self.anchors: dict[int, int] = {}  # rule id → the field bit it is anchored on
        self.anchor_hs: dict[str, list[int]] = {}
        self.anchor_exact: dict[int, dict[str, list[int]]] = {
            bit: {} for bit in (COUNTRY, ENTERPRISE, BARCODE, PORT, DIRECTION)
        }
        keyword_rules: dict[str, list[int]] = {}  # keyword → rules anchored on it
        self.keyword_sets: dict[int, frozenset[str]] = {}  # rank → its keywords (for checks)
        all_keywords: set[str] = set()
        hs_lengths: set[int] = set()
        for rank, rule in enumerate(ordered):
            fields = _rule_fields(rule)
            anchors = [bit for bit in fields if bit not in PRODUCT_BITS]
            if not anchors:  # nothing to anchor on: a candidate for every line, then checked
                always.append(rank)
                self.checks.append(tuple((bit, frozenset(v)) for bit, v in fields.items()))
                continue
            anchor = min(anchors, key=lambda bit: (_selectivity(bit, fields[bit]), bit))
            self.anchors[rule.id] = anchor
            for bit, values in fields.items():
                if bit == HS:
                    hs_lengths.update(len(v) for v in values)
                if bit == KEYWORD:
                    all_keywords.update(values)
                    self.keyword_sets[rank] = frozenset(values)
            for value in fields[anchor]:
                if anchor == HS:
                    target = self.anchor_hs
                elif anchor == KEYWORD:
                    target = keyword_rules
                else:
                    target = self.anchor_exact[anchor]
                bucket = target.setdefault(value, [])
                if not bucket or bucket[-1] != rank:
                    bucket.append(rank)
            self.checks.append(tuple(
                (bit, frozenset(values)) for bit, values in fields.items() if bit != anchor
            ))
        self.always = tuple(always)
        self.hs_lengths = tuple(sorted(hs_lengths))
        self.has_keywords = bool(all_keywords)
        self.automaton = ahocorasick.Automaton()
        for keyword in all_keywords:
            self.automaton.add_word(keyword, (keyword, tuple(keyword_rules.get(keyword, ()))))
        if all_keywords:
            self.automaton.make_automaton()
        self.exact = [(bit, self.anchor_exact[bit]) for bit in self.anchor_exact
                      if self.anchor_exact[bit]]
        self._hs_cache: dict[str, tuple[str, tuple[int, ...]]] = {}
        self._text_cache: dict[str, tuple[frozenset[str], tuple[int, ...]]] = {}
        self._field_cache: dict[int, dict[str | None, tuple[int, ...]]] = {
            bit: {} for bit in (COUNTRY, ENTERPRISE, PORT, DIRECTION)
        }
        self.barcode_table = self.anchor_exact[BARCODE]

    # ---- per distinct value -------------------------------------------------------------
    def _hs(self, code: str) -> tuple[str, tuple[int, ...]]:
        """Normalised digits of an HS code and the rules anchored on one of its prefixes."""
        hit = self._hs_cache.get(code)
        if hit is not None:
            return hit
        digits = norm_hs(code)
        ranks: list[int] = []
        anchor = self.anchor_hs
        for length in self.hs_lengths:
            if length > len(digits):
                break
            found = anchor.get(digits[:length])
            if found:
                ranks.extend(found)
        if len(self._hs_cache) > _CACHE_LIMIT:
            self._hs_cache.clear()
        hit = self._hs_cache[code] = (digits, tuple(ranks))
        return hit

    def _fill_texts(self, lines: Sequence[LineInput]) -> None:
        """Fold and search the batch's distinct uncached texts at once (see `fold_many`)."""
        cache = self._text_cache
        missing = list({
            key for key in (line.description if not line.brand and not line.model
                            else _text_key(line) for line in lines) if key not in cache
        })
        if not missing:
            return
        if len(cache) + len(missing) > _CACHE_LIMIT:
            cache.clear()
        for key, folded in zip(missing, fold_many(missing), strict=True):
            cache[key] = self._search(folded)

    def _search(self, folded: str) -> tuple[frozenset[str], tuple[int, ...]]:
        found: set[str] = set()
        ranks: list[int] = []
        for _end, (keyword, anchored) in self.automaton.iter(folded):
            if keyword not in found:
                found.add(keyword)
                ranks.extend(anchored)
        return frozenset(found), tuple(ranks)

    def _text(self, key: str) -> tuple[frozenset[str], tuple[int, ...]]:
        """Keywords found in a line's text and the rules anchored on them."""
        hit = self._text_cache.get(key)
        if hit is None:
            if len(self._text_cache) > _CACHE_LIMIT:
                self._text_cache.clear()
            hit = self._text_cache[key] = self._search(fold(key))
        return hit

    def _field(self, bit: int, raw: str | None) -> tuple[int, ...]:
        """Rules anchored on one exact field's value (trader, origin, port or direction)."""
        cache = self._field_cache[bit]
        hit = cache.get(raw)
        if hit is None:
            value = (raw or "") if bit == DIRECTION else (norm_port(raw) if bit == PORT else
                                                          norm_code(raw))
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            hit = cache[raw] = tuple(self.anchor_exact[bit].get(value, ()))
        return hit

    def match_ranks(self, line: LineInput) -> list[int]:
        """Ranks (= positions in priority order) of the rules the line matches, ascending."""
        digits, candidates = self._hs(line.hs_code)
        brand, model = line.brand, line.model
        key = line.description if not brand and not model else _text_key(line)
        keywords, by_keyword = self._text(key) if self.has_keywords else _NO_TEXT
        barcode = line.barcode
        pool = {*candidates, *by_keyword, *self.always,
                *self._field(ENTERPRISE, line.trader_code),
                *self._field(COUNTRY, line.origin_country),
                *self._field(PORT, line.port_code), *self._field(DIRECTION, line.direction),
                *(self.barcode_table.get(norm_barcode(barcode), ()) if barcode else ())}
        return self._verify(line, digits, keywords, pool) if pool else []

    def _verify(self, line: LineInput, digits: str, keywords: frozenset[str],
                pool: Iterable[int]) -> list[int]:
        """The candidates whose other fields match too, ascending by rank."""
        values = _line_values(line)
        matched = []
        checks = self.checks
        for rank in set(pool):
            ok = True
            for bit, wanted in checks[rank]:
                if bit == HS:
                    ok = any(digits[:n] in wanted for n in range(1, len(digits) + 1))
                elif bit == KEYWORD:
                    ok = not wanted.isdisjoint(keywords)
                else:
                    ok = values[bit] in wanted
                if not ok:
                    break
            if ok:
                matched.append(rank)
        matched.sort()
        return matched

    def match(self, line: LineInput) -> list[int]:
        ids = self.ids
        return [ids[rank] for rank in self.match_ranks(line)]

    def match_many(self, lines: Sequence[LineInput]) -> list[list[int]]:
        """`match` for each line: the same lookups as `match_ranks`, inlined (the hot loop)."""
        ids = self.ids
        out: list[list[int]] = []
        append = out.append
        hs_cache, text_cache = self._hs_cache, self._text_cache
        fields = self._field_cache
        traders, origins, ports, directions = (fields[ENTERPRISE], fields[COUNTRY],
                                               fields[PORT], fields[DIRECTION])
        field, barcodes, always = self._field, self.barcode_table, self.always
        has_keywords = self.has_keywords
        with no_gc():
            if has_keywords:
                self._fill_texts(lines)
            keywords, by_keyword = _NO_TEXT
            last_header: tuple[str, str | None, str, str] | None = None
            by_header: tuple[int, ...] = ()
            for line in lines:
                code = line.hs_code
                by_hs = hs_cache.get(code) or self._hs(code)
                if has_keywords:
                    key = (line.description if not line.brand and not line.model
                           else _text_key(line))
                    keywords, by_keyword = text_cache.get(key) or self._text(key)
                header = (line.trader_code, line.origin_country, line.port_code,
                          line.direction)
                if header != last_header:  # the lines of a declaration share these four
                    last_header = header
                    by_trader = traders.get(header[0])
                    if by_trader is None:
                        by_trader = field(ENTERPRISE, header[0])
                    by_origin = origins.get(header[1])
                    if by_origin is None:
                        by_origin = field(COUNTRY, header[1])
                    by_port = ports.get(header[2])
                    if by_port is None:
                        by_port = field(PORT, header[2])
                    by_direction = directions.get(header[3])
                    if by_direction is None:
                        by_direction = field(DIRECTION, header[3])
                    by_header = (*by_trader, *by_origin, *by_port, *by_direction, *always)
                barcode = line.barcode
                by_barcode = barcodes.get(norm_barcode(barcode), ()) if barcode else ()
                if by_hs[1] or by_keyword or by_header or by_barcode:
                    ranks = self._verify(line, by_hs[0], keywords,
                                         (*by_hs[1], *by_keyword, *by_header, *by_barcode))
                    append([ids[r] for r in ranks])
                else:
                    append([])
        return out


class CompiledRules:
    """An index of rules for fast matching; build with `compile_rules`.

    `version` is a digest of the rules it was built from (same rules → same version), so a
    caller can keep one compiled index per rule-set version."""

    version: str = ""

    def __init__(self, rules: Iterable[RuleSpec] = ()) -> None:
        self._index = RuleIndex(rules)
        self.rules: tuple[RuleSpec, ...] = self._index.rules  # highest priority first
        self.by_id: dict[int, RuleSpec] = {r.id: r for r in self.rules}
        digest = hashlib.blake2b(digest_size=12)
        for rule in sorted(self.rules, key=lambda r: r.id):
            digest.update(repr(rule).encode())
        self.version = digest.hexdigest()

    def __len__(self) -> int:
        return len(self.rules)

    def match(self, line: LineInput) -> list[int]:
        """Ids of the rules the line matches, highest priority first, then by id."""
        return self._index.match(line)

    def match_many(self, lines: Sequence[LineInput]) -> list[list[int]]:
        """`match` for every line (the fast path: lookups cached per distinct value)."""
        return self._index.match_many(lines)


def compile_rules(rules: Iterable[RuleSpec]) -> CompiledRules:
    """Build the index once per rule-set version (about 10 ms per 1,000 rules)."""
    return CompiledRules(rules)
