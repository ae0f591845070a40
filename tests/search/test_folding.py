"""Folding and tokenising: properties (hypothesis) and the cases that matter for search."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from riskgate.search.backends import fts5_query, tsquery, tsvector
from riskgate.search.folding import fold
from riskgate.search.tokens import Term, document_text, query_terms, tokens, warm_up

warm_up()  # jieba's dictionary loads once, not inside a timed example

CHINESE = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30)
ANY_TEXT = st.one_of(st.text(max_size=200), CHINESE)


@given(ANY_TEXT)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@given(ANY_TEXT)
def test_fold_never_raises_and_keeps_length_sane(text):
    folded = fold(text)
    assert isinstance(folded, str)
    # NFKC and case folding can expand a character (ﷺ, ß) but never wildly.
    assert len(folded) <= 18 * len(text)


@settings(max_examples=200)
@given(ANY_TEXT)
def test_tokens_are_folded_spaceless_and_bounded(text):
    words, chars = tokens(fold(text))
    for token in words + chars:
        assert token and " " not in token and len(token) <= 64
        assert fold(token) == token or not token.isascii()
    assert len(chars) <= len(fold(text))


@given(ANY_TEXT)
def test_query_terms_never_raise_and_build_valid_expressions(text):
    terms = query_terms(text)
    assert len(terms) <= 12
    if terms:
        assert fts5_query(terms) and tsquery(terms)


@given(st.lists(st.text(max_size=50), max_size=5))
def test_document_text_is_tokens_joined_by_single_spaces(parts):
    body = document_text(parts)
    assert "  " not in body and body == body.strip()
    assert tsvector(body) == "" or tsvector(body).startswith("'")


def test_full_width_and_case_fold():
    assert fold("ＡＢＣ１２３ Toys") == "abc123 toys"
    assert fold("Straße") == "strasse"


def test_traditional_becomes_simplified():
    assert fold("兒童玩具含鉛量超標，臺灣製造") == "儿童玩具含铅量超标,台湾制造"


def test_document_has_words_then_characters():
    body = document_text(["儿童玩具含铅量超标", "Türkiye ＰＶＣ"])
    words = body.split()
    assert {"儿童", "玩具", "儿童玩具", "超标", "turkiye", "pvc"} <= set(words)
    assert "".join(w for w in words if len(w) == 1) == "儿童玩具含铅量超标"


def test_query_terms():
    assert query_terms("玩具 铅") == [Term("玩具", ("玩", "具")), Term("铅")]
    assert query_terms("Toys TOYS toys") == [Term("toys")]
    assert query_terms("!!!") == []


def test_expressions_quote_every_token():
    terms = [Term("玩具", ("玩", "具")), Term("o'neil")]
    assert fts5_query(terms) == '("玩具" OR "玩 具") AND "o\'neil"'
    assert tsquery(terms) == "('玩具' | ('玩' <-> '具')) & 'o''neil'"
    assert tsvector("a b a 玩具 玩 具 玩") == "'a':1,3 'b':2 '玩具':4 '玩':5,7 '具':6"
