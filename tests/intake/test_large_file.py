"""A 100 MB file streams through the import with bounded memory (measured in a child process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from tests.intake.conftest import balanced  # noqa: F401  (same accounting as the other tests)

FILE_BYTES = 100 * 1024 * 1024
HEADER = "source_channel,external_reference,title,product_name,description,hs_code\n"

# Runs in a fresh interpreter so that its peak RSS is the import's, not the test run's.
CHILD = r"""
import json, resource, sys
from riskgate.core.migrations import upgrade
from riskgate.core.db import make_engine, make_session_factory, transaction
from riskgate.core.context import Actor
from riskgate.identity import service
from riskgate.identity.enums import OrgLevel, OrgType
from riskgate.intake.service import ingest_batch

url, path = sys.argv[1], sys.argv[2]
upgrade(url)
engine = make_engine(url)
factory = make_session_factory(engine)
with transaction(factory) as db:
    org = service.create_organisation(db, Actor.system("test"), service.OrganisationInput(
        code="BIG", name_zh="大文件", name_en="Big", org_type=OrgType.DISTRICT_CUSTOMS,
        level=OrgLevel.PROVINCIAL, parent_id=None))
    org_id = org.id
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with transaction(factory) as db, open(path, "rb") as binary:
    batch = ingest_batch(db, Actor.system("test"), profile_name="riskgate_csv", binary=binary,
                         file_name="big.csv", organisation_id=org_id)
    counts = batch.counts()
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, **counts}))
"""


def _write_big_file(path) -> int:  # type: ignore[no-untyped-def]
    """~100 MB of rows with 5 KB descriptions; references repeat (duplicates), a few are bad."""
    filler = "风险描述 description " * 250
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        written = len(HEADER)
        while written < FILE_BYTES:
            hs = "9503" if rows % 1000 else "95"  # every 1000th: still valid (a chapter)
            hs = "950" if rows % 997 == 0 else hs  # wrong length: quarantined
            line = f"hotline_12315,BIG-{rows % 500},电暖器起火 {rows % 500},电暖器,{filler},{hs}\n"
            out.write(line)
            written += len(line.encode())
            rows += 1
    return rows


def test_a_100_mb_file_streams_with_bounded_memory(tmp_path):
    source = tmp_path / "big.csv"
    rows = _write_big_file(source)
    assert source.stat().st_size >= FILE_BYTES
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, f"sqlite:///{tmp_path / 'big.db'}", str(source)],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows_read"] == rows
    assert result["imported"] + result["duplicates"] + result["quarantined"] == rows
    assert result["quarantined"] == len(range(0, rows, 997))
    grown_mb = (result["after_kb"] - result["before_kb"]) / 1024
    # The whole file would be 100 MB (several times that as Python strings); a chunk is ~2.5 MB.
    assert grown_mb < 40, f"peak RSS grew by {grown_mb:.0f} MB while importing 100 MB"
    print(f"100 MB import: {time.monotonic() - started:.1f} s, peak RSS +{grown_mb:.0f} MB", result)
