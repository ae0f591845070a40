"""Benchmark of riskgate.monitoring.detection against R's surveillance package.

Three parts, each optional:

1. ``--series N`` synthetic weekly series (5 years, seeded Poisson/negative binomial with
   seasonality and injected outbreaks): EARS C1-C3, CUSUM and farringtonFlexible (Noufaily
   settings) in our code and, in the same run, in R through ``Rscript``; alarms are compared
   cell by cell and the speed ratio is reported.  R's time is measured inside R with
   ``system.time`` around each algorithm call (start-up and data loading excluded).
2. ``--large N`` series: wall time of our detection only.
3. Sensitivity and false-alarm rate on the labelled RKI series (``state`` column) of the
   shared ``surveillance_ts/series`` directory.

Quick run:  python bench/bench_detection.py --series 50 --large 1000
Full run:   python bench/bench_detection.py --series 1000 --large 100000 [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import platform
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from riskgate.monitoring.detection import (
    FLEXIBLE_PRESETS,
    Reason,
    bayes,
    cusum,
    cusum_many,
    ears_c,
    ears_c_many,
    farrington,
    farrington_flexible,
    farrington_flexible_many,
    glr_poisson,
    rki,
)

WEEKS_PER_YEAR = 52
NOUFAILY = FLEXIBLE_PRESETS["noufaily"]  # b=4, w=3, noPeriods=10, nbPlugin, alpha=0.1
DEFAULT_LABELLED = Path("/work/shared/data/surveillance_ts/series")
LABELLED_SERIES = [
    "m1",
    "m2",
    "m3",
    "m4",
    "m5",
    "q1_nrwh",
    "q2",
    "s1",
    "s2",
    "s3",
    "k1",
    "n1",
    "n2",
    "h1_nrwrp",
]

R_SCRIPT = r"""
suppressMessages(library(surveillance))
args <- commandArgs(TRUE)
x <- as.matrix(read.csv(args[1], header = FALSE))
rng <- as.integer(args[2]):as.integer(args[3])
outdir <- args[4]
s <- sts(observed = x, start = c(2001, 1), frequency = 52)
calls <- list(
  C1 = function() earsC(s, control = list(range = rng, method = "C1", alpha = 0.001)),
  C2 = function() earsC(s, control = list(range = rng, method = "C2", alpha = 0.001)),
  C3 = function() earsC(s, control = list(range = rng, method = "C3", alpha = 0.001)),
  cusum = function() cusum(s, control = list(range = rng, k = 1.04, h = 2.26, m = NULL,
                                             trans = "standard")),
  noufaily = function() farringtonFlexible(s, control = list(range = rng, noPeriods = 10,
      b = 4, w = 3, weightsThreshold = 2.58, pastWeeksNotIncluded = 26, pThresholdTrend = 1,
      trend = TRUE, thresholdMethod = "nbPlugin", alpha = 0.1, glmWarnings = FALSE))
)
timing <- c()
for (name in names(calls)) {
  elapsed <- system.time(res <- suppressWarnings(suppressMessages(calls[[name]]())))[["elapsed"]]
  timing[name] <- elapsed
  write.table(res@alarm * 1, file.path(outdir, paste0(name, "_alarm.csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, na = "NA")
  write.table(res@upperbound, file.path(outdir, paste0(name, "_upper.csv")), sep = ",",
              row.names = FALSE, col.names = FALSE, na = "NA")
}
write.csv(data.frame(algorithm = names(timing), seconds = timing), file.path(outdir, "timing.csv"),
          row.names = FALSE)
"""


def synthetic_series(n_series: int, n_weeks: int, monitored: np.ndarray, seed: int):
    """Seasonal Poisson / gamma-Poisson counts with outbreaks injected into the monitored weeks."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_weeks)
    base = np.clip(np.exp(rng.normal(1.0, 1.1, n_series)), 0.2, 300.0)[:, None]
    amplitude = rng.uniform(0.0, 0.8, n_series)[:, None]
    phase = rng.uniform(0, 2 * np.pi, n_series)[:, None]
    trend = rng.normal(0.0, 0.05, n_series)[:, None] * t / WEEKS_PER_YEAR
    mean = base * np.exp(amplitude * np.sin(2 * np.pi * t / WEEKS_PER_YEAR + phase) + trend)
    overdispersed = rng.random(n_series) < 0.5
    shape = 1.0 / 0.3  # gamma mixing with variance mean + 0.3 mean^2
    mixing = np.where(overdispersed[:, None], rng.gamma(shape, 1 / shape, mean.shape), 1.0)
    counts = rng.poisson(mean * mixing).astype(float)
    outbreak = np.zeros(counts.shape, dtype=bool)
    for s in np.flatnonzero(rng.random(n_series) < 0.5):
        length = int(rng.integers(1, 5))
        start = int(rng.integers(monitored[0], monitored[-1] - length + 2))
        weeks = np.arange(start, start + length)
        extra = rng.poisson(rng.uniform(2.0, 5.0) * np.sqrt(mean[s, weeks]) + 2.0)
        counts[s, weeks] += extra
        outbreak[s, weeks] = True
    return counts, outbreak


ALGORITHM_NAMES = ("C1", "C2", "C3", "cusum", "noufaily")


def _call(name: str, counts: np.ndarray, monitored: np.ndarray):
    if name in ("C1", "C2", "C3"):
        return ears_c_many(counts, monitored, method=name, alpha=0.001)
    if name == "cusum":
        return cusum_many(counts, monitored, k=1.04, h=2.26)
    return farrington_flexible_many(counts, monitored, **NOUFAILY)


def run_ours(counts: np.ndarray, monitored: np.ndarray, chunk: int = 2000):
    """Our five algorithms on every series; returns per algorithm (seconds, alarms, bounds).

    Series are processed in chunks through the multi-series functions, which share the
    work across series (the 1-d functions give identical results, one series at a time).
    """
    out = {}
    for name in ALGORITHM_NAMES:
        start = time.perf_counter()
        alarms, bounds = [], []
        for first in range(0, counts.shape[0], chunk):
            for result in _call(name, counts[first : first + chunk], monitored):
                alarms.append(result.alarm)
                bounds.append(result.upperbound)
        out[name] = (time.perf_counter() - start, np.array(alarms), np.array(bounds))
    return out


def _count_alarms(job) -> int:
    name, counts, monitored = job
    return sum(int(result.alarm.sum()) for result in _call(name, counts, monitored))


def run_large(name: str, counts: np.ndarray, monitored: np.ndarray, workers: int, chunk=2000):
    """Wall time and number of alarms of one algorithm over all series (optionally in parallel)."""
    jobs = [(name, counts[i : i + chunk], monitored) for i in range(0, counts.shape[0], chunk)]
    start = time.perf_counter()
    if workers == 1:
        alarms = sum(_count_alarms(job) for job in jobs)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            alarms = sum(pool.map(_count_alarms, jobs))
    return time.perf_counter() - start, alarms


def time_single_series_calls(counts: np.ndarray, monitored: np.ndarray) -> list[str]:
    """Per-series cost of the plain 1-d functions (what a simple caller would loop over)."""
    calls = {
        "C1": lambda y: ears_c(y, monitored, method="C1", alpha=0.001),
        "cusum": lambda y: cusum(y, monitored),
        "noufaily": lambda y: farrington_flexible(y, monitored, **NOUFAILY),
    }
    lines = []
    for name, call in calls.items():
        start = time.perf_counter()
        for row in counts:
            call(row)
        per_series = (time.perf_counter() - start) / counts.shape[0]
        lines.append(f"- {name}: {1e3 * per_series:.2f} ms/series with the 1-d function")
    return lines


def run_r(counts: np.ndarray, monitored: np.ndarray):
    """The same five algorithms in R; returns per algorithm (seconds, alarms, bounds) or None."""
    if shutil.which("Rscript") is None:
        return None, "Rscript not found"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        np.savetxt(workdir / "counts.csv", counts.T, fmt="%d", delimiter=",")
        (workdir / "run.R").write_text(R_SCRIPT)
        start = time.perf_counter()
        done = subprocess.run(
            [
                "Rscript",
                str(workdir / "run.R"),
                str(workdir / "counts.csv"),
                str(monitored[0] + 1),
                str(monitored[-1] + 1),
                str(workdir),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            return None, f"Rscript failed: {done.stderr[-500:]}"
        with open(workdir / "timing.csv", newline="") as handle:
            timing = {row["algorithm"]: float(row["seconds"]) for row in csv.DictReader(handle)}
        out = {}
        for name, seconds in timing.items():
            alarm = np.genfromtxt(workdir / f"{name}_alarm.csv", delimiter=",", ndmin=2)
            upper = np.genfromtxt(workdir / f"{name}_upper.csv", delimiter=",", ndmin=2)
            out[name] = (seconds, np.nan_to_num(alarm.T).astype(bool), upper.T)
        return out, f"R wall time incl. start-up and I/O: {wall:.1f} s"


def compare(ours, theirs) -> list[str]:
    lines = [
        "| algorithm | ours (s) | R (s) | speed-up | alarms ours / R | differing cells | "
        "max rel. diff of bounds |",
        "|---|---|---|---|---|---|---|",
    ]
    total_ours = total_r = 0.0
    for name, (seconds, alarm, upper) in ours.items():
        r_seconds, r_alarm, r_upper = theirs[name]
        both = np.isfinite(upper) & np.isfinite(r_upper)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(upper[both] - r_upper[both]) / np.maximum(np.abs(r_upper[both]), 1e-12)
        total_ours += seconds
        total_r += r_seconds
        lines.append(
            f"| {name} | {seconds:.2f} | {r_seconds:.2f} | {r_seconds / seconds:.0f}x | "
            f"{alarm.sum()} / {r_alarm.sum()} | {(alarm != r_alarm).sum()} | "
            f"{rel.max() if rel.size else 0:.1e} |"
        )
    lines.append(
        f"| **all five** | {total_ours:.2f} | {total_r:.2f} | {total_r / total_ours:.0f}x | | | |"
    )
    return lines


def detection_rates(alarm: np.ndarray, outbreak: np.ndarray, evaluated: np.ndarray) -> dict:
    """Week-level sensitivity and false-alarm rate over evaluated weeks."""
    tp = np.sum(alarm & outbreak & evaluated)
    fn = np.sum(~alarm & outbreak & evaluated)
    fp = np.sum(alarm & ~outbreak & evaluated)
    tn = np.sum(~alarm & ~outbreak & evaluated)
    return {
        "sensitivity": tp / max(tp + fn, 1),
        "false_alarm_rate": fp / max(fp + tn, 1),
        "outbreak_weeks": int(tp + fn),
        "other_weeks": int(fp + tn),
        "alarms": int(alarm.sum()),
    }


def labelled_benchmark(directory: Path) -> list[str]:
    """Sensitivity / FAR of every algorithm on the RKI series with expert-labelled outbreaks."""
    settings = {
        "EARS C1": lambda y, r: ears_c(y, r, method="C1"),
        "EARS C2": lambda y, r: ears_c(y, r, method="C2"),
        "EARS C3": lambda y, r: ears_c(y, r, method="C3"),
        "CUSUM (k=1.04, h=2.26)": lambda y, r: cusum(y, r),
        "Farrington (b=1, w=3, alpha=0.01)": lambda y, r: farrington(y, r, b=1, alpha=0.01),
        "farringtonFlexible original (b=1)": lambda y, r: farrington_flexible(
            y, r, **{**FLEXIBLE_PRESETS["original"], "b": 1}
        ),
        "farringtonFlexible Noufaily (b=1)": lambda y, r: farrington_flexible(
            y, r, **{**NOUFAILY, "b": 1}
        ),
        "RKI (b=1, w=4)": lambda y, r: rki(y, r, b=1, w=4),
        "Bayes (b=0, w=6)": lambda y, r: bayes(y, r),
        "GLR Poisson (c.ARL=5)": lambda y, r: glr_poisson(y, r, c_arl=5),
    }
    data = {}
    for name in LABELLED_SERIES:
        with open(directory / f"{name}.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        data[name] = (
            np.array([float(r["observed"]) for r in rows]),
            np.array([r["state"] == "1" for r in rows]),
        )
    lines = [
        "| algorithm | outbreak weeks | sensitivity | other weeks | false-alarm rate | "
        "outbreaks with >= 1 alarm |",
        "|---|---|---|---|---|---|",
    ]
    for label, call in settings.items():
        alarms, states, evaluated, episodes, hit = [], [], [], 0, 0
        for counts, state in data.values():
            monitored = np.arange(56, counts.size)  # one year + window of history
            result = call(counts, monitored)
            alarm, outbreak = result.alarm, state[monitored]
            alarms.append(alarm)
            states.append(outbreak)
            evaluated.append(np.array([r in (None, Reason.FEW_CASES) for r in result.reason]))
            starts = np.flatnonzero(np.diff(np.concatenate([[0], outbreak.astype(int)])) == 1)
            for first in starts:
                last = first
                while last + 1 < outbreak.size and outbreak[last + 1]:
                    last += 1
                episodes += 1
                hit += bool(alarm[first : last + 1].any())
        rates = detection_rates(
            np.concatenate(alarms), np.concatenate(states), np.concatenate(evaluated)
        )
        lines.append(
            f"| {label} | {rates['outbreak_weeks']} | {rates['sensitivity']:.3f} | "
            f"{rates['other_weeks']} | {rates['false_alarm_rate']:.4f} | {hit}/{episodes} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=1000, help="synthetic series compared with R")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--large", type=int, default=100_000, help="series for the wall-time run")
    parser.add_argument("--workers", type=int, default=1, help="processes for the --large run")
    parser.add_argument("--no-r", action="store_true", help="skip the R side")
    parser.add_argument("--labelled-dir", type=Path, default=DEFAULT_LABELLED)
    args = parser.parse_args()

    n_weeks = args.years * WEEKS_PER_YEAR
    history = NOUFAILY["b"] * WEEKS_PER_YEAR + NOUFAILY["w"]
    monitored = np.arange(history, n_weeks)  # every week with enough history for b=4, w=3
    print(
        f"# detection benchmark  {time.strftime('%Y-%m-%d %H:%M')}  "
        f"python {platform.python_version()}  numpy {np.__version__}  cpus {_cpus()}"
    )

    if args.series:
        counts, outbreak = synthetic_series(args.series, n_weeks, monitored, args.seed)
        print(
            f"\n## {args.series} synthetic series x {n_weeks} weeks, "
            f"{monitored.size} monitored weeks (t = {monitored[0] + 1}..{n_weeks})"
        )
        ours = run_ours(counts, monitored)
        theirs, note = (None, "skipped (--no-r)") if args.no_r else run_r(counts, monitored)
        if theirs is None:
            print(f"R side: {note}; ours only:")
            for name, (seconds, alarm, _) in ours.items():
                print(f"- {name}: {seconds:.2f} s, {alarm.sum()} alarms")
        else:
            print("\n".join(compare(ours, theirs)))
            print(f"({note})")
        print("\nOne series per call (first 100 series):")
        print("\n".join(time_single_series_calls(counts[:100], monitored)))
        print("\nSynthetic outbreaks (ours): week-level sensitivity / false-alarm rate")
        monitored_outbreak = outbreak[:, monitored]
        for name, (_, alarm, upper) in ours.items():
            rates = detection_rates(alarm, monitored_outbreak, np.isfinite(upper))
            print(
                f"- {name}: sensitivity {rates['sensitivity']:.3f}, "
                f"false-alarm rate {rates['false_alarm_rate']:.4f}"
            )

    if args.large:
        counts, _ = synthetic_series(args.large, n_weeks, monitored, args.seed + 1)
        workers = max(1, args.workers)
        print(
            f"\n## {args.large} synthetic series x {n_weeks} weeks, ours only "
            f"({workers} process{'es' if workers > 1 else ''})"
        )
        total = 0.0
        for name in ALGORITHM_NAMES:
            seconds, alarms = run_large(name, counts, monitored, workers)
            total += seconds
            print(
                f"- {name}: {seconds:.1f} s ({1e3 * seconds / args.large:.3f} ms/series), "
                f"{alarms} alarms"
            )
        print(f"- all five: {total:.1f} s")

    if args.labelled_dir.is_dir():
        print(f"\n## Labelled RKI series ({len(LABELLED_SERIES)} series, weeks 57..209)")
        print("\n".join(labelled_benchmark(args.labelled_dir)))
    else:
        print(f"\nlabelled series not found in {args.labelled_dir}; skipped")


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


if __name__ == "__main__":
    main()
