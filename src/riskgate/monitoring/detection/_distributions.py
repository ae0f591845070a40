"""Discrete quantiles with R's conventions (``qnbinom``, ``qpois``).

R returns the smallest integer ``x`` with ``P(X <= x) >= p * (1 - 64 * DBL_EPSILON)``; the tiny
fuzz makes quantiles at exact CDF steps land on the left value.  SciPy's ``ppf`` has no such fuzz,
so its answer is refined here by checking the neighbouring integers.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

_FUZZ = 1.0 - 64.0 * np.finfo(float).eps


def _refine(cdf, start: np.ndarray, target: np.ndarray) -> np.ndarray:
    quantile = np.where(np.isfinite(start), start, 0.0)
    for _ in range(64):
        lower_ok = (quantile > 0) & (cdf(quantile - 1) >= target)
        too_low = cdf(quantile) < target
        if not (lower_ok.any() or too_low.any()):
            break
        quantile = quantile - lower_ok + too_low
    return quantile


def nbinom_quantile(p: np.ndarray, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """R's ``qnbinom(p, size, prob)`` for 0 < p < 1 (NaN where the parameters are invalid)."""
    p, size, prob = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (p, size, prob)))
    valid = (size > 0) & (prob > 0) & (prob <= 1) & np.isfinite(size)
    out = np.full(p.shape, np.nan)
    if valid.any():
        target = p[valid] * _FUZZ
        s, q = size[valid], prob[valid]
        start = stats.nbinom.ppf(target, s, q)
        out[valid] = _refine(lambda x: stats.nbinom.cdf(x, s, q), start, target)
    return out


def poisson_quantile(p: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """R's ``qpois(p, lambda)`` for 0 < p < 1 (NaN where the mean is invalid)."""
    p, mean = np.broadcast_arrays(np.asarray(p, dtype=float), np.asarray(mean, dtype=float))
    valid = (mean >= 0) & np.isfinite(mean)
    out = np.full(p.shape, np.nan)
    if valid.any():
        target = p[valid] * _FUZZ
        lam = mean[valid]
        start = stats.poisson.ppf(target, lam)
        out[valid] = _refine(lambda x: stats.poisson.cdf(x, lam), start, target)
    return out
