"""GLM machinery shared by the Farrington (1996) and the flexible Farrington/Noufaily methods.

One "problem" is one evaluated week of one series: the baseline rows (positions in the series),
their seasonal level and their time relative to the evaluated week.  Problems are padded to a
common length and fitted together in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import special, stats

from ._distributions import nbinom_quantile, poisson_quantile
from ._glm import LevelTrendDesign, LogLinearFit, fit_log_linear, inverse_link

# Rows x levels x coefficients per batch: keeps the temporary arrays around 100 MB at most.
_BATCH_ELEMENTS = 1_500_000


@dataclass(frozen=True)
class BaselineRows:
    """Padded baseline rows of K problems; ``in_model`` is False for padding."""

    rows: np.ndarray  # (K, n) int positions in the series
    in_model: np.ndarray  # (K, n) bool
    level: np.ndarray  # (K, n) int seasonal level, n_levels - 1 = reference windows
    wtime: np.ndarray  # (K, n) float time relative to the evaluated week
    n_levels: int

    @classmethod
    def from_lists(cls, rows: Sequence[np.ndarray], levels: Sequence[np.ndarray],
                   wtimes: Sequence[np.ndarray], n_levels: int) -> BaselineRows:
        width = max((len(r) for r in rows), default=1) or 1
        shape = (len(rows), width)
        out_rows, out_level = np.zeros(shape, dtype=int), np.zeros(shape, dtype=int)
        out_wtime, in_model = np.zeros(shape), np.zeros(shape, dtype=bool)
        for i, (r, lv, wt) in enumerate(zip(rows, levels, wtimes, strict=True)):
            out_rows[i, : len(r)], out_level[i, : len(r)], out_wtime[i, : len(r)] = r, lv, wt
            in_model[i, : len(r)] = True
        return cls(out_rows, in_model, out_level, out_wtime, n_levels)


@dataclass(frozen=True)
class GlmSettings:
    trend: bool
    reweight: bool
    weights_threshold: float
    p_threshold_trend: float
    b: int
    # Farrington (1996) in R keeps a non-converged fit; farringtonFlexible gives up on the week.
    fail_on_no_convergence: bool
    # farringtonFlexible overwrites the fitted model's working weights with the reweighting
    # weights, so summary() (trend test, prediction SE) sees a different dispersion estimate.
    summary_uses_prior_weights: bool = False


@dataclass(frozen=True)
class BaselinePrediction:
    """Prediction for the evaluated week of each problem (all arrays have shape (B,))."""

    eta: np.ndarray  # log of the expected count
    var_unscaled: np.ndarray  # x0' (X'WX)^-1 x0
    phi: np.ndarray  # max(dispersion, 1) of the final model
    dispersion: np.ndarray  # dispersion that R's summary() reports for the final model
    trend_used: np.ndarray  # bool
    trend_coef: np.ndarray  # NaN where no trend is used
    failed: np.ndarray  # bool: no usable model


def _design(base: BaselineRows, idx: np.ndarray, with_trend: bool) -> LevelTrendDesign:
    return LevelTrendDesign(
        base.level[idx], base.wtime[idx], base.in_model[idx], base.n_levels, with_trend
    )


def _anscombe_weights(
    y: np.ndarray,
    fit: LogLinearFit,
    design: LevelTrendDesign,
    valid: np.ndarray,
    phi: np.ndarray,
    threshold: float,
) -> np.ndarray:
    """Farrington's reweighting: down-weight rows whose Anscombe residual exceeds a threshold."""
    hat = fit.hat_values(design)
    mu = fit.mu
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        root_mu = np.sqrt(mu)
        # y^(2/3) mu^(-1/6) - mu^(1/2), with cube roots instead of slower general powers
        raw = 1.5 * (np.cbrt(y) ** 2 / np.sqrt(np.cbrt(mu)) - root_mu)
        s = raw / np.sqrt(phi[:, None] * (1.0 - hat))
        exceed = valid & (s > threshold)
        inverse_square = np.where(exceed, s**-2.0, 1.0)
    total = np.sum(np.where(valid, inverse_square, 0.0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gamma = valid.sum(axis=1) / total
    gamma = np.where(np.isfinite(gamma), gamma, 1.0)
    return np.where(valid, gamma[:, None] * inverse_square, 0.0)


def _fit_reweighted(
    y: np.ndarray, valid: np.ndarray, design: LevelTrendDesign, offset: np.ndarray | None,
    settings: GlmSettings,
) -> tuple[np.ndarray, np.ndarray, LogLinearFit, np.ndarray]:
    """R's fitGLM step: quasi-Poisson fit, optional reweighting and refit, phi = max(disp, 1)."""
    first = fit_log_linear(design, y, valid.astype(float), offset)
    phi = np.maximum(first.dispersion, 1.0)
    final = first
    if settings.reweight:
        omega = _anscombe_weights(y, first, design, valid, phi, settings.weights_threshold)
        final = fit_log_linear(design, y, omega, offset)
        phi = np.maximum(final.dispersion, 1.0)
        if settings.summary_uses_prior_weights:
            with np.errstate(divide="ignore", invalid="ignore"):
                residuals = (y - final.mu) / final.mu
                pearson = np.sum(np.where(omega > 0, omega * residuals**2, 0.0), axis=1)
                quirk = np.where(final.df_residual > 0, pearson / final.df_residual, np.nan)
            final = replace(final, dispersion=quirk)
    return first.converged & first.usable, first.usable & final.usable, final, phi


def _predict_chunk(
    base: BaselineRows,
    idx: np.ndarray,
    y: np.ndarray,
    valid: np.ndarray,
    offset: np.ndarray | None,
    offset_now: np.ndarray | None,
    settings: GlmSettings,
) -> BaselinePrediction:
    size = idx.size
    p = base.n_levels
    x_now = np.zeros((size, p + 1))
    x_now[:, p - 1] = 1.0  # evaluated week belongs to the reference-window level; wtime = 0
    out = {
        "eta": np.full(size, np.nan),
        "var_unscaled": np.full(size, np.nan),
        "phi": np.full(size, np.nan),
        "dispersion": np.full(size, np.nan),
        "trend_used": np.zeros(size, dtype=bool),
        "trend_coef": np.full(size, np.nan),
        "failed": np.zeros(size, dtype=bool),
    }

    def store(where: np.ndarray, fit: LogLinearFit, phi: np.ndarray, columns: int,
              trend_used: bool) -> None:
        eta, var = fit.predict_link(x_now[where][:, :columns], None)
        if offset_now is not None:
            eta = eta + offset_now[where]
        out["eta"][where], out["var_unscaled"][where] = eta, var
        out["phi"][where], out["dispersion"][where] = phi, fit.dispersion
        out["trend_used"][where] = trend_used
        if trend_used:
            out["trend_coef"][where] = fit.coef[:, p]

    need_plain = np.ones(size, dtype=bool)
    # With fewer than three years the trend is always dropped, so its fit can be skipped.
    if settings.trend and settings.b >= 3:
        design = _design(base, idx, with_trend=True)
        converged, usable, fit, phi = _fit_reweighted(y, valid, design, offset, settings)
        eta_t, _ = fit.predict_link(x_now, None if offset_now is None else offset_now[:])
        max_response = np.max(np.where(valid, y, -np.inf), axis=1)
        with np.errstate(invalid="ignore"):
            significant = fit.coefficient_p_value(p) < settings.p_threshold_trend
        keep = converged & usable & significant & (inverse_link(eta_t) <= max_response)
        if keep.any():
            chosen = np.flatnonzero(keep)
            store(chosen, _take(fit, chosen), phi[chosen], p + 1, True)
        need_plain = ~keep
    plain = np.flatnonzero(need_plain)
    if plain.size:
        design = _design(base, idx[plain], with_trend=False)
        converged, usable, fit, phi = _fit_reweighted(
            y[plain], valid[plain], design, None if offset is None else offset[plain], settings
        )
        store(plain, fit, phi, p, False)
        failed = ~usable | (~converged if settings.fail_on_no_convergence else False)
        out["failed"][plain] = failed
    return BaselinePrediction(**out)


def _take(fit: LogLinearFit, where: np.ndarray) -> LogLinearFit:
    return LogLinearFit(*(getattr(fit, name)[where] for name in fit.__dataclass_fields__))


def predict_baselines(
    base: BaselineRows,
    counts: np.ndarray,
    settings: GlmSettings,
    population: np.ndarray | None = None,
    population_now: np.ndarray | None = None,
) -> BaselinePrediction:
    """Fit the baseline GLM of every (series, week) problem and predict the evaluated week.

    ``counts`` is (S, T): each series is combined with every row set of ``base`` (K problems),
    giving S*K problems in series-major order.  ``population`` (S, T) adds ``log(population)``
    as an offset, ``population_now`` (S, K) is the population of the evaluated weeks.
    """
    n_series = counts.shape[0]
    n_weeks, width = base.rows.shape
    total = n_series * n_weeks
    per_problem = max(1, width * (base.n_levels + 1))
    chunk = max(1, _BATCH_ELEMENTS // per_problem)
    pieces = []
    for start in range(0, total, chunk):
        flat = np.arange(start, min(total, start + chunk))
        series, week = np.divmod(flat, n_weeks)
        y = counts[series[:, None], base.rows[week]]
        valid = base.in_model[week] & ~np.isnan(y)
        y = np.where(valid, y, 0.0)
        offset = offset_now = None
        if population is not None:
            offset = np.where(valid, np.log(population[series[:, None], base.rows[week]]), 0.0)
            assert population_now is not None, "population_now goes with population"
            offset_now = np.log(population_now[series, week])
        pieces.append(_predict_chunk(base, week, y, valid, offset, offset_now, settings))
    return BaselinePrediction(
        *(
            np.concatenate([getattr(piece, name) for piece in pieces])
            for name in BaselinePrediction.__dataclass_fields__
        )
    )


def power_transform_bound(
    mu0: np.ndarray, se_mu0: np.ndarray, phi: np.ndarray, z: float, power: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Farrington's prediction bounds on a transformed scale (returns lower, upper, se, exponent).

    ``tau = phi + var(mu0_hat) / mu0`` is the relative prediction variance; the bounds are
    ``(mu0^e -/+ z * se)^(1/e)`` with the delta-method SE of ``Y^e``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = phi + se_mu0**2 / mu0
        if power == "none":
            exponent, se = 1.0, np.sqrt(mu0 * tau)
        elif power == "1/2":
            exponent, se = 0.5, np.sqrt(0.25 * tau)
        else:
            exponent, se = 2 / 3, np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau)
        centre = mu0**exponent
        upper = (centre + z * se) ** (1 / exponent)
        lower = (centre - z * se) ** (1 / exponent)
    lower = np.where(np.isnan(lower), 0.0, np.maximum(lower, 0.0))
    return lower, upper, se, exponent


def negative_binomial_bound(
    eta: np.ndarray,
    se_eta: np.ndarray,
    phi: np.ndarray,
    alpha: float,
    y: np.ndarray,
    method: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Noufaily et al. (2013) bound: (1-alpha) quantile of NB(mean mu, variance phi*mu).

    ``nbPlugin`` plugs in ``mu = exp(eta)``; ``muan`` uses the upper (1-alpha) confidence limit
    of the mean.  Returns the bound and the upper tail probability P(Y >= y).
    """
    if method == "nbPlugin":
        mean = np.exp(eta)
    else:
        with np.errstate(over="ignore"):
            mean = np.exp(eta + se_eta * special.ndtri(1 - alpha))
    upper = np.full(eta.shape, np.nan)
    tail = np.full(eta.shape, np.nan)
    finite = np.isfinite(mean) & np.isfinite(phi)
    over = finite & (phi > 1)
    plain = finite & ~over
    if over.any():
        size = mean[over] / (phi[over] - 1)
        upper[over] = nbinom_quantile(1 - alpha, size, 1 / phi[over])
        tail[over] = stats.nbinom.sf(y[over] - 1, size, 1 / phi[over])
    if plain.any():
        upper[plain] = poisson_quantile(1 - alpha, mean[plain])
        tail[plain] = stats.poisson.sf(y[plain] - 1, mean[plain])
    return upper, tail
