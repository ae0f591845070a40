"""The pure parts: tracking numbers and access codes, content sniffing, region matching."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from riskgate.reports import attachments, tracking
from riskgate.reports.receiving import match_length
from tests.reports.conftest import EXE, png_bytes


def test_tracking_numbers_are_random_and_well_formed():
    numbers = {tracking.new_tracking_number("complaint", 2026) for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        assert re.fullmatch(r"TS-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", number)
        assert tracking.normalise_tracking_number(number) == number


def test_typed_numbers_and_codes_are_read_forgivingly():
    assert tracking.normalise_tracking_number(" ts 2026 7k3m q9px ") == "TS-2026-7K3M-Q9PX"
    assert tracking.normalise_tracking_number("TS-2026-7K3M-Q9PO") == "TS-2026-7K3M-Q9P0"
    code = tracking.new_access_code()
    assert tracking.access_code_matches(code.lower().replace("-", " "),
                                        tracking.hash_access_code(code))
    assert not tracking.access_code_matches("AAAAA-AAAAA", tracking.hash_access_code(code))


@given(st.text(max_size=40))
def test_normalising_never_fails_and_is_idempotent(text):
    number = tracking.normalise_tracking_number(text)
    assert number is None or tracking.normalise_tracking_number(number) == number
    code = tracking.normalise_access_code(text)
    assert code is None or len(code) == tracking.ACCESS_CODE_LENGTH
    assert not tracking.access_code_matches(text, "0" * 64)


def test_types_are_read_from_the_content_not_the_name():
    assert attachments.sniff(png_bytes()) == "image/png"
    assert attachments.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert attachments.sniff(b"GIF89a....") == "image/gif"
    assert attachments.sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert attachments.sniff(b"%PDF-1.7\n") == "application/pdf"
    assert attachments.sniff(EXE) is None
    assert attachments.sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert attachments.sniff(b"") is None


@given(st.binary(max_size=64))
def test_sniffing_any_bytes_never_fails(data):
    assert attachments.sniff(data) in (None, "image/jpeg", "image/png", "image/gif",
                                       "image/webp", "application/pdf")


def test_file_names_are_reduced_to_a_safe_last_component():
    assert attachments.safe_name("../../etc/passwd") == "passwd"
    assert attachments.safe_name("C:\\Users\\x\\照片.jpg") == "照片.jpg"
    assert attachments.safe_name("\x00\x01") == "attachment"


def test_region_matching_prefers_the_closest_regulator():
    assert match_length("310115", "310115") == 3
    assert match_length("310115", "310100") == 2
    assert match_length("310115", "310000") == 1
    assert match_length("371500", "370100") == 0
    assert match_length("371500", "370100", same_province=True) == 1
    assert match_length("310115", None) == 0
