"""Live comparison with R's ``surveillance`` package through ``Rscript`` (skipped without R).

Install on Debian with ``apt-get install r-cran-surveillance``.  The series come from the test
fixtures; R and Python evaluate the same weeks and must agree on every alarm.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from riskgate.monitoring.detection import (
    FLEXIBLE_PRESETS,
    bayes,
    cusum,
    ears_c,
    farrington,
    farrington_flexible,
    glr_poisson,
    rki,
)
from tests.monitoring.detection_fixtures import read_series_with_dates

pytestmark = pytest.mark.slow

NOUFAILY_B3 = {**FLEXIBLE_PRESETS["noufaily"], "b": 3}
ORIGINAL_B3 = {**FLEXIBLE_PRESETS["original"], "b": 3}

# name -> (R call with RANGE, our call, relative tolerance of the upper bounds)
ALGORITHMS = {
    "C1": (
        "earsC(s, control=list(range=RANGE, method='C1', alpha=0.001))",
        lambda y, r, d: ears_c(y, r, method="C1", alpha=0.001),
        1e-6,
    ),
    "C2": (
        "earsC(s, control=list(range=RANGE, method='C2', alpha=0.001))",
        lambda y, r, d: ears_c(y, r, method="C2", alpha=0.001),
        1e-6,
    ),
    "C3": (
        "earsC(s, control=list(range=RANGE, method='C3', alpha=0.001))",
        lambda y, r, d: ears_c(y, r, method="C3", alpha=0.001),
        1e-6,
    ),
    "cusum": (
        "cusum(s, control=list(range=RANGE, k=1.04, h=2.26, m=NULL, trans='standard'))",
        lambda y, r, d: cusum(y, r, k=1.04, h=2.26),
        1e-6,
    ),
    "farrington": (
        "farrington(s, control=list(range=RANGE, b=3, w=3, reweight=TRUE, alpha=0.01))",
        lambda y, r, d: farrington(y, r, dates=d, b=3, w=3, alpha=0.01),
        1e-3,
    ),
    "original": (
        "farringtonFlexible(s, control=list(range=RANGE, noPeriods=1, b=3, w=3, "
        "weightsThreshold=1, pastWeeksNotIncluded=3, pThresholdTrend=0.05, trend=TRUE, "
        "thresholdMethod='delta', alpha=0.1))",
        lambda y, r, d: farrington_flexible(y, r, dates=d, **ORIGINAL_B3),
        1e-3,
    ),
    "noufaily": (
        "farringtonFlexible(s, control=list(range=RANGE, noPeriods=10, b=3, w=3, "
        "weightsThreshold=2.58, pastWeeksNotIncluded=26, pThresholdTrend=1, trend=TRUE, "
        "thresholdMethod='nbPlugin', alpha=0.1))",
        lambda y, r, d: farrington_flexible(y, r, dates=d, **NOUFAILY_B3),
        1e-3,
    ),
    "muan": (
        "farringtonFlexible(s, control=list(range=RANGE, noPeriods=10, b=3, w=3, "
        "weightsThreshold=2.58, pastWeeksNotIncluded=26, pThresholdTrend=1, trend=TRUE, "
        "thresholdMethod='muan', alpha=0.1))",
        lambda y, r, d: farrington_flexible(
            y, r, dates=d, **{**NOUFAILY_B3, "threshold_method": "muan"}
        ),
        1e-3,
    ),
    "rki": (
        "rki(s, control=list(range=RANGE, b=2, w=4, actY=FALSE))",
        lambda y, r, d: rki(y, r, b=2, w=4),
        1e-6,
    ),
    "bayes": (
        "bayes(s, control=list(range=RANGE, b=2, w=4, actY=FALSE, alpha=0.05))",
        lambda y, r, d: bayes(y, r, b=2, w=4, current_year=False),
        1e-6,
    ),
    "glr": (
        "glrnb(s, control=list(range=RANGE, c.ARL=5, dir='inc', ret='cases', alpha=0))",
        lambda y, r, d: glr_poisson(y, r, c_arl=5),
        1e-3,
    ),
}

SERIES = ["k1", "n1", "s1", "shadar", "hepatitisA", "stsNewport", "salmonella.agona"]


@cache
def _r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(surveillance))"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return probe.returncode == 0


def _monitored_range(n_time: int) -> np.ndarray:
    # Enough history for b = 3 years plus the windows; at most the last two years.
    return np.arange(max(n_time - 104, 3 * 52 + 3), n_time)


def _run_r(counts, dates, start, times, workdir: Path) -> dict[str, tuple[np.ndarray, ...]]:
    data = workdir / "series.csv"
    with open(data, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["observed", "date"])
        for i, value in enumerate(counts):
            writer.writerow([int(value), "" if dates is None else str(dates[i])])
    if dates is None:
        build = f"s <- sts(observed=x$observed, start=c({start[0]}, {start[1]}), freq=52)"
    else:
        build = (
            "s <- sts(observed=x$observed, epoch=as.numeric(as.Date(x$date)), "
            "epochAsDate=TRUE, freq=52)"
        )
    lines = [
        "suppressMessages(library(surveillance))",
        f"x <- read.csv('{data}')",
        build,
        f"RANGE <- {times[0] + 1}:{times[-1] + 1}",
    ]
    for name, (call, _, _) in ALGORITHMS.items():
        lines.append(
            f"res <- suppressWarnings(suppressMessages({call})); "
            f"write.csv(data.frame(ub=as.numeric(res@upperbound), al=as.numeric(res@alarm)), "
            f"'{workdir / name}.csv', row.names=FALSE)"
        )
    done = subprocess.run(
        ["Rscript", "-e", "\n".join(lines)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = {}
    for name in ALGORITHMS:
        with open(workdir / f"{name}.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        upper = np.array([float(r["ub"]) if r["ub"] != "NA" else np.nan for r in rows])
        alarm = np.array([r["al"] == "1" for r in rows])
        results[name] = (upper, alarm)
    return results


@pytest.mark.parametrize("series", SERIES)
def test_live_r_agrees(series, tmp_path):
    if not _r_available():
        pytest.skip("Rscript with the 'surveillance' package is not installed")
    counts, dates, start = read_series_with_dates(series)
    times = _monitored_range(counts.size)
    from_r = _run_r(counts, dates, start, times, tmp_path)
    for name, (_, ours_call, tolerance) in ALGORITHMS.items():
        upper_r, alarm_r = from_r[name]
        ours = ours_call(counts, times, dates)
        np.testing.assert_array_equal(ours.alarm, alarm_r, err_msg=f"{series}/{name} alarms")
        both = np.isfinite(upper_r) & np.isfinite(ours.upperbound)
        if name != "cusum":  # R's CUSUM gives 0 where we report an undefined (NaN) bound
            np.testing.assert_array_equal(np.isnan(ours.upperbound), np.isnan(upper_r))
        np.testing.assert_allclose(
            ours.upperbound[both],
            upper_r[both],
            rtol=tolerance,
            atol=1e-12,
            err_msg=f"{series}/{name} upper bounds",
        )
