"""Batched Poisson / quasi-Poisson log-linear GLM fitted by IRLS, mirroring R's ``glm.fit``.

Many small GLMs (one per evaluated week, and per series) are fitted at once: every array has a
leading batch axis.  The iteration reproduces R's ``glm.fit`` closely enough that convergence
decisions agree: start at ``mu = y + 0.1``, at most 25 iterations, relative deviance change below
``1e-8``, step halving on an invalid fit.  Like R's fitted object, the working weights, the
unscaled covariance and the hat values refer to the last IRLS step (they are computed from the
means *before* the final coefficient update), which matters for the Farrington reweighting.

Two design types share one interface: :class:`DenseDesign` (any (B, n, p) matrix) and
:class:`LevelTrendDesign` (one indicator per seasonal level plus an optional linear trend, the
Farrington design), whose cross products are segment sums and cost O(n) instead of O(n p^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

# NumPy's stubs type many results (einsum, ufuncs on arrays) as Any; the functions below name
# what they return by assigning to a typed local first, which changes nothing at run time.

MAX_ITERATIONS = 25
EPSILON = 1e-8
# R's poisson()$linkinv and mu.eta are pmax(exp(eta), .Machine$double.eps): fitted means never
# drop below machine epsilon, which bounds diverging fits (e.g. all-zero reference windows).
MU_FLOOR = float(np.finfo(float).eps)
_LOG_MU_FLOOR = float(np.log(MU_FLOOR))


def inverse_link(eta: np.ndarray) -> np.ndarray:
    """R's log-link inverse: ``max(exp(eta), DBL_EPSILON)``."""
    with np.errstate(over="ignore", under="ignore"):
        mu: np.ndarray = np.maximum(np.exp(eta), MU_FLOOR)
    return mu


class DenseDesign:
    """A general design matrix of shape (B, n, p)."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = np.asarray(matrix, dtype=float)
        self.n_coef = self.matrix.shape[2]

    def take(self, idx: np.ndarray) -> DenseDesign:
        return DenseDesign(self.matrix[idx])

    def linear(self, beta: np.ndarray) -> np.ndarray:
        eta: np.ndarray = np.einsum("bnp,bp->bn", self.matrix, beta)
        return eta

    def gram(self, weights: np.ndarray) -> np.ndarray:
        gram: np.ndarray = np.swapaxes(self.matrix * weights[:, :, None], 1, 2) @ self.matrix
        return gram

    def cross(self, values: np.ndarray) -> np.ndarray:
        cross: np.ndarray = np.einsum("bnp,bn->bp", self.matrix, values)
        return cross

    def row_quadratic(self, cov: np.ndarray) -> np.ndarray:
        quadratic: np.ndarray = np.einsum("bnp,bnp->bn", self.matrix @ cov, self.matrix)
        return quadratic

    def empty_columns(self, good: np.ndarray) -> np.ndarray:
        empty: np.ndarray = ~np.any((self.matrix != 0) & good[:, :, None], axis=1)
        return empty


class LevelTrendDesign:
    """Indicators of ``n_levels`` seasonal levels (cell means) plus an optional time trend.

    The column space equals R's ``response ~ 1 + wtime + seasgroups``; IRLS iterates do not
    depend on the parametrisation, so fits and predictions agree with R's.
    """

    def __init__(
        self,
        level: np.ndarray,
        wtime: np.ndarray,
        in_model: np.ndarray,
        n_levels: int,
        with_trend: bool,
    ) -> None:
        self.level, self.wtime, self.in_model = level, wtime, in_model
        self.n_levels, self.with_trend = n_levels, with_trend
        self.n_coef = n_levels + int(with_trend)
        batch = level.shape[0]
        self._bins = (level + n_levels * np.arange(batch)[:, None]).ravel()

    def take(self, idx: np.ndarray) -> LevelTrendDesign:
        return LevelTrendDesign(
            self.level[idx], self.wtime[idx], self.in_model[idx], self.n_levels, self.with_trend
        )

    def _level_sums(self, values: np.ndarray) -> np.ndarray:
        batch = values.shape[0]
        sums = np.bincount(self._bins, weights=values.ravel(), minlength=batch * self.n_levels)
        return sums.reshape(batch, self.n_levels)

    def _per_row(self, per_level: np.ndarray) -> np.ndarray:
        """Look up a (B, n_levels) array at each row's level."""
        return np.take(np.ascontiguousarray(per_level).ravel(), self._bins).reshape(
            self.level.shape
        )

    def linear(self, beta: np.ndarray) -> np.ndarray:
        eta = self._per_row(beta[:, : self.n_levels])
        if self.with_trend:
            eta = eta + beta[:, self.n_levels, None] * self.wtime
        return np.where(self.in_model, eta, 0.0)

    def gram(self, weights: np.ndarray) -> np.ndarray:
        p = self.n_levels
        gram = np.zeros((weights.shape[0], self.n_coef, self.n_coef))
        diagonal = np.arange(p)
        gram[:, diagonal, diagonal] = self._level_sums(weights)
        if self.with_trend:
            weighted_time = weights * self.wtime
            border = self._level_sums(weighted_time)
            gram[:, :p, p] = border
            gram[:, p, :p] = border
            gram[:, p, p] = np.sum(weighted_time * self.wtime, axis=1)
        return gram

    def cross(self, values: np.ndarray) -> np.ndarray:
        parts = [self._level_sums(values)]
        if self.with_trend:
            parts.append(np.sum(values * self.wtime, axis=1)[:, None])
        return np.concatenate(parts, axis=1)

    def row_quadratic(self, cov: np.ndarray) -> np.ndarray:
        p = self.n_levels
        diagonal = np.diagonal(cov[:, :p, :p], axis1=1, axis2=2)
        quadratic = self._per_row(diagonal)
        if self.with_trend:
            cross = self._per_row(cov[:, :p, p])
            quadratic = quadratic + 2 * cross * self.wtime + cov[:, p, p, None] * self.wtime**2
        inside: np.ndarray = np.where(self.in_model, quadratic, 0.0)
        return inside

    def empty_columns(self, good: np.ndarray) -> np.ndarray:
        empty: np.ndarray = self._level_sums(good.astype(float)) == 0
        if self.with_trend:
            trend_empty = ~np.any(good & (self.wtime != 0), axis=1)
            empty = np.concatenate([empty, trend_empty[:, None]], axis=1)
        return empty


# The designs `fit_log_linear` takes (both offer the same methods).
Design = DenseDesign | LevelTrendDesign


@dataclass(frozen=True)
class LogLinearFit:
    """A batch of fitted log-linear GLMs (leading axis = batch)."""

    coef: np.ndarray  # (B, p); 0 for columns that have no data (R: NA, aliased)
    mu: np.ndarray  # (B, n) fitted means
    working_weights: np.ndarray  # (B, n) prior weight * mu of the last IRLS step, 0 if unused
    cov_unscaled: np.ndarray  # (B, p, p) (X' W X)^-1 of the last IRLS step
    dispersion: np.ndarray  # (B,) Pearson estimate as summary.glm(); NaN if no residual df
    df_residual: np.ndarray  # (B,)
    converged: np.ndarray  # (B,) bool
    usable: np.ndarray  # (B,) False if no valid coefficients could be found at all

    def hat_values(self, design: Design) -> np.ndarray:
        """Diagonal of the weighted hat matrix, as R's ``hatvalues()`` on the fitted glm."""
        hat: np.ndarray = self.working_weights * design.row_quadratic(self.cov_unscaled)
        return hat

    def predict_link(
        self, x_new: np.ndarray, offset_new: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Linear predictor at ``x_new`` (B, p) and its unscaled variance x'(X'WX)^-1 x."""
        eta = np.einsum("bp,bp->b", x_new, self.coef)
        if offset_new is not None:
            eta = eta + offset_new
        variance = np.einsum("bp,bpq,bq->b", x_new, self.cov_unscaled, x_new)
        return eta, variance

    def coefficient_p_value(self, column: int) -> np.ndarray:
        """Two-sided t-test p-value of one coefficient with estimated dispersion (quasi family)."""
        se = np.sqrt(self.dispersion * self.cov_unscaled[:, column, column])
        with np.errstate(divide="ignore", invalid="ignore"):
            t_value = self.coef[:, column] / se
        p_value: np.ndarray = 2.0 * stats.t.sf(np.abs(t_value), self.df_residual)
        return p_value


def _row_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dot: np.ndarray = np.einsum("bn,bn->b", a, b)
    return dot


def poisson_deviance(
    constant: np.ndarray,
    prior: np.ndarray,
    prior_y: np.ndarray,
    mu: np.ndarray,
    eta: np.ndarray,
) -> np.ndarray:
    """Poisson deviance per batch element, 2 sum w [y log(y/mu) - (y - mu)], as R's dev.resids.

    ``constant`` is sum w (y log y - y), precomputed once per fit; log(mu) = eta except where
    mu sits on its floor.  Zero counts contribute w mu.
    """
    log_mu = np.maximum(eta, _LOG_MU_FLOOR)
    deviance: np.ndarray = 2.0 * (constant + _row_dot(prior, mu) - _row_dot(prior_y, log_mu))
    return deviance


def _pin_empty(gram: np.ndarray, empty_columns: np.ndarray) -> np.ndarray:
    # Columns without data make the Gram matrix singular; pin their coefficient to 0, which is
    # what R's pivoting QR does in effect (the coefficient is NA and ignored in predictions).
    if empty_columns.any():
        gram = gram.copy()
        batch_idx, col_idx = np.nonzero(empty_columns)
        gram[batch_idx, col_idx, col_idx] = 1.0
    return gram


def _solve(gram: np.ndarray, rhs: np.ndarray, empty_columns: np.ndarray) -> np.ndarray:
    gram = _pin_empty(gram, empty_columns)
    finite = np.isfinite(gram).all(axis=(1, 2)) & np.isfinite(rhs).all(axis=1)
    # Non-finite systems never reach LAPACK (some builds misbehave on NaN); their NaN solution
    # makes the fit invalid, which the caller handles.
    solution = np.full(rhs.shape, np.nan)
    if finite.any():
        try:
            solution[finite] = np.linalg.solve(gram[finite], rhs[finite][..., None])[..., 0]
        except np.linalg.LinAlgError:
            # Exactly collinear columns (rare): a minimum-norm solution keeps predictions defined.
            pseudo = np.linalg.pinv(gram[finite], hermitian=True)
            solution[finite] = (pseudo @ rhs[finite][..., None])[..., 0]
    return solution


def _inverse(gram: np.ndarray, empty_columns: np.ndarray) -> np.ndarray:
    gram = _pin_empty(gram, empty_columns)
    finite = np.isfinite(gram).all(axis=(1, 2))
    inverse = np.full(gram.shape, np.nan)
    if finite.any():
        try:
            inverse[finite] = np.linalg.inv(gram[finite])
        except np.linalg.LinAlgError:
            inverse[finite] = np.linalg.pinv(gram[finite], hermitian=True)
    batch_idx, col_idx = np.nonzero(empty_columns)
    inverse[batch_idx, col_idx, :] = 0.0
    inverse[batch_idx, :, col_idx] = 0.0
    return inverse


def _rows(array: np.ndarray, rows: np.ndarray, whole: bool) -> np.ndarray:
    """The rows of the fits still iterating (all of them: the array itself)."""
    return array if whole else array[rows]


def fit_log_linear(
    design: Design | np.ndarray,
    y: np.ndarray,
    prior_weights: np.ndarray,
    offset: np.ndarray | None = None,
    *,
    max_iterations: int = MAX_ITERATIONS,
    epsilon: float = EPSILON,
) -> LogLinearFit:
    """Fit ``log E[y] = X beta + offset`` by IRLS for every batch element.

    ``design`` is a :class:`DenseDesign`, a :class:`LevelTrendDesign` or a (B, n, p) array;
    ``offset`` is None or (B, n);
    ``y`` and ``prior_weights`` are (B, n).  Rows with a zero prior weight (padding, missing
    weeks, fully down-weighted outliers) take no part in the fit, as in R.
    """
    if isinstance(design, np.ndarray):
        design = DenseDesign(design)
    y = np.asarray(y, dtype=float)
    prior = np.asarray(prior_weights, dtype=float)
    batch = y.shape[0]
    n_coef = design.n_coef
    good = prior > 0
    y = np.where(good, y, 0.0)
    prior_y = prior * y
    with np.errstate(divide="ignore", invalid="ignore"):
        y_log_y = np.where(y > 0, y * np.log(y), 0.0)
    constant = _row_dot(prior, y_log_y - y)
    empty_columns = design.empty_columns(good)
    rank = n_coef - empty_columns.sum(axis=1)

    # Starting values of R's poisson()$initialize; the offset is not part of the start.
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = poisson_deviance(constant, prior, prior_y, mu, eta)

    coef = np.zeros((batch, n_coef))
    coef_old: np.ndarray | None = None
    final_w = np.zeros_like(y)
    final_gram = np.zeros((batch, n_coef, n_coef))
    converged = np.zeros(batch, dtype=bool)
    usable = np.ones(batch, dtype=bool)
    active = np.arange(batch)

    # Extreme counts can overflow the cross products; such fits turn invalid and are handled
    # below (step halving, then given up), so the floating-point warnings carry no news.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for _ in range(max_iterations):
            if active.size == 0:
                break
            everyone = active.size == batch
            part = design if everyone else design.take(active)
            prior_a, prior_y_a, mu_a, eta_a = (
                _rows(a, active, everyone) for a in (prior, prior_y, mu, eta))
            offset_a = None if offset is None else _rows(offset, active, everyone)
            constant_a = _rows(constant, active, everyone)
            w_a = prior_a * mu_a  # working weights; zero where the prior weight is zero
            # w z with z = (eta - offset) + (y - mu) / mu, R's working response for the log link
            centred = eta_a if offset_a is None else eta_a - offset_a
            w_z = w_a * centred + (prior_y_a - w_a)
            gram = part.gram(w_a)
            beta = _solve(gram, part.cross(w_z), _rows(empty_columns, active, everyone))
            eta_new = part.linear(beta)
            if offset_a is not None:
                eta_new += offset_a
            mu_new = inverse_link(eta_new)
            dev = poisson_deviance(constant_a, prior_a, prior_y_a, mu_new, eta_new)

            invalid = ~np.isfinite(dev) | ~np.all(np.isfinite(mu_new), axis=1)
            if invalid.any() and coef_old is not None:
                beta, eta_new, mu_new, dev, invalid = _halve_steps(
                    beta,
                    coef_old[active],
                    invalid,
                    part,
                    offset_a,
                    (constant_a, prior_a, prior_y_a),
                    max_iterations,
                )
            if invalid.any():
                # R stops with "no valid set of coefficients" (first step) or "cannot correct step
                # size"; here only the affected fits are given up.
                usable[active[invalid]] = False
                keep = ~invalid
                active, beta, eta_new, mu_new, dev = (
                    active[keep],
                    beta[keep],
                    eta_new[keep],
                    mu_new[keep],
                    dev[keep],
                )
                w_a, gram = w_a[keep], gram[keep]
            coef[active], eta[active], mu[active] = beta, eta_new, mu_new
            final_w[active], final_gram[active] = w_a, gram
            done = np.abs(dev - dev_old[active]) / (np.abs(dev) + 0.1) < epsilon
            converged[active[done]] = True
            dev_old[active] = dev
            coef_old = coef.copy() if coef_old is None else coef_old
            coef_old[active] = beta
            active = active[~done]

    cov_unscaled = _inverse(final_gram, empty_columns)
    df_residual = good.sum(axis=1) - rank
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        working_residuals = (y - mu) / mu
        pearson = np.sum(np.where(final_w > 0, final_w * working_residuals**2, 0.0), axis=1)
        dispersion = np.where(df_residual > 0, pearson / df_residual, np.nan)
    return LogLinearFit(
        coef=coef,
        mu=mu,
        working_weights=final_w,
        cov_unscaled=cov_unscaled,
        dispersion=dispersion,
        df_residual=df_residual,
        converged=converged,
        usable=usable,
    )


def _halve_steps(
    beta: np.ndarray,
    beta_old: np.ndarray,
    invalid: np.ndarray,
    design: Design,
    offset: np.ndarray | None,
    deviance_terms: tuple[np.ndarray, np.ndarray, np.ndarray],
    max_halvings: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Move invalid updates half-way back towards the previous coefficients until valid."""
    beta = beta.copy()

    def evaluate(coefficients: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        eta = design.linear(coefficients)
        if offset is not None:
            eta = eta + offset
        mu = inverse_link(eta)
        return eta, mu, poisson_deviance(*deviance_terms, mu, eta)

    for _ in range(max_halvings):
        if not invalid.any():
            break
        beta[invalid] = (beta[invalid] + beta_old[invalid]) / 2.0
        _, mu, dev = evaluate(beta)
        invalid = ~np.isfinite(dev) | ~np.all(np.isfinite(mu), axis=1)
    eta, mu, dev = evaluate(beta)
    return beta, eta, mu, dev, invalid
