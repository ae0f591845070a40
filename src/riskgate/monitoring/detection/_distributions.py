"""Discrete quantiles with R's conventions (``qnbinom``, ``qpois``).

R returns the smallest integer ``x`` with ``P(X <= x) >= p * (1 - 64 * DBL_EPSILON)``; the tiny
fuzz makes quantiles at exact CDF steps land on the left value.  The search here starts at the
Cornish-Fisher approximation (as R does) and finishes with an integer bisection on the CDF only:
SciPy's negative binomial ``ppf`` can hang on extreme parameters, its ``cdf`` cannot.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

# The CDF of the distributions searched, at `x` for the distributions picked by `rows`.
Cdf = Callable[[np.ndarray, "np.ndarray | slice"], np.ndarray]

_FUZZ = 1.0 - 64.0 * np.finfo(float).eps


def _quantile_search(cdf: Cdf, target: np.ndarray, mean: np.ndarray, sd: np.ndarray,
                     skew: np.ndarray) -> np.ndarray:
    """Smallest integer x >= 0 with cdf(x) >= target, for arrays of distributions."""
    z = special.ndtri(target)
    with np.errstate(invalid="ignore", over="ignore"):
        guess = np.floor(mean + sd * (z + skew * (z * z - 1) / 6))
    guess = np.where(np.isnan(guess), 0.0, np.maximum(guess, 0.0))
    # Past 2^50 the integer search is meaningless in double precision; the Cornish-Fisher value
    # is then accurate to far better than the 1e-3 relative tolerance of the bounds.
    huge = guess > 2.0**50
    guess = np.where(huge, 0.0, guess)
    at_guess = cdf(guess, slice(None)) >= target
    below = np.where(guess > 0, cdf(guess - 1, slice(None)), 0.0) >= target
    answer = guess.copy()
    todo = np.flatnonzero((~at_guess | below) & ~huge)
    if todo.size:
        # Bracket (low, high] with cdf(low) < target <= cdf(high), then bisect.
        low = np.where(below[todo], -1.0, guess[todo])
        high = np.where(below[todo], guess[todo], guess[todo] * 2 + 1)
        need = cdf(high, todo) < target[todo]
        while need.any():
            low = np.where(need, high, low)
            high = np.where(need, high * 2 + 1, high)
            need = (cdf(high, todo) < target[todo]) & (high < 2.0**62)
        while True:
            middle = np.floor((low + high) / 2)
            # Beyond 2^53 consecutive integers are not representable: stop when no progress.
            open_ = (high - low > 1) & (middle > low) & (middle < high)
            if not open_.any():
                break
            reached = cdf(middle, todo) >= target[todo]
            high = np.where(open_ & reached, middle, high)
            low = np.where(open_ & ~reached, middle, low)
        answer[todo] = high
    with np.errstate(invalid="ignore", over="ignore"):
        approximate = np.floor(mean + sd * (z + skew * (z * z - 1) / 6))
    quantile: np.ndarray = np.where(huge, approximate, answer)
    return quantile


def nbinom_quantile(p: ArrayLike, size: ArrayLike, prob: ArrayLike) -> np.ndarray:
    """R's ``qnbinom(p, size, prob)`` for 0 < p < 1 (NaN where the parameters are invalid)."""
    p, size, prob = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (p, size, prob)))
    out = np.full(p.shape, np.nan)
    valid = (size > 0) & (prob > 0) & (prob <= 1) & np.isfinite(size) & (p > 0) & (p < 1)
    if valid.any():
        s, q, target = size[valid], prob[valid], p[valid] * _FUZZ
        tail = (1 - q) / q
        mean, sd = s * tail, np.sqrt(s * tail / q)
        with np.errstate(divide="ignore", invalid="ignore"):
            skew = np.where(sd > 0, (1 / q + tail) / sd, 0.0)
        out[valid] = _quantile_search(
            lambda x, rows: stats.nbinom.cdf(x, s[rows], q[rows]), target, mean, sd, skew
        )
    return out


def poisson_quantile(p: ArrayLike, mean: ArrayLike) -> np.ndarray:
    """R's ``qpois(p, lambda)`` for 0 < p < 1 (NaN where the mean is invalid)."""
    p, mean = np.broadcast_arrays(np.asarray(p, dtype=float), np.asarray(mean, dtype=float))
    out = np.full(p.shape, np.nan)
    valid = (mean >= 0) & np.isfinite(mean) & (p > 0) & (p < 1)
    if valid.any():
        lam, target = mean[valid], p[valid] * _FUZZ
        sd = np.sqrt(lam)
        with np.errstate(divide="ignore", invalid="ignore"):
            skew = np.where(sd > 0, 1 / sd, 0.0)
        out[valid] = _quantile_search(
            lambda x, rows: stats.poisson.cdf(x, lam[rows]), target, lam, sd, skew
        )
    return out
