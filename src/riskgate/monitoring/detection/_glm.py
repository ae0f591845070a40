"""Batched Poisson / quasi-Poisson log-linear GLM fitted by IRLS, mirroring R's ``glm.fit``.

Many small GLMs (one per evaluated week, and per series) are fitted at once: every array has a
leading batch axis.  The iteration reproduces R's ``glm.fit`` closely enough that convergence
decisions agree: start at ``mu = y + 0.1``, at most 25 iterations, relative deviance change below
``1e-8``, step halving on an invalid fit.  Like R's fitted object, the working weights, the
unscaled covariance and the hat values refer to the last IRLS step (they are computed from the
means *before* the final coefficient update), which matters for the Farrington reweighting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

MAX_ITERATIONS = 25
EPSILON = 1e-8


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

    def hat_values(self, design: np.ndarray) -> np.ndarray:
        """Diagonal of the weighted hat matrix, as R's ``hatvalues()`` on the fitted glm."""
        projected = design @ self.cov_unscaled
        return self.working_weights * np.einsum("bnp,bnp->bn", projected, design)

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
        return 2.0 * stats.t.sf(np.abs(t_value), self.df_residual)


def poisson_deviance(y: np.ndarray, mu: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Poisson deviance summed over the last axis, with R's convention for zero counts."""
    positive = y > 0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_ratio = np.where(positive, np.log(np.where(positive, y, 1.0) / mu), 0.0)
    unit = np.where(positive, y * log_ratio - (y - mu), mu)
    return 2.0 * np.sum(weights * unit, axis=-1)


def _solve(gram: np.ndarray, rhs: np.ndarray, empty_columns: np.ndarray) -> np.ndarray:
    # Columns without data make the Gram matrix singular; pin their coefficient to 0, which is
    # what R's pivoting QR does in effect (the coefficient is NA and ignored in predictions).
    gram = gram.copy()
    batch_idx, col_idx = np.nonzero(empty_columns)
    gram[batch_idx, col_idx, col_idx] = 1.0
    try:
        return np.linalg.solve(gram, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        # Exactly collinear columns (rare): a minimum-norm solution keeps predictions defined.
        return (np.linalg.pinv(gram, hermitian=True) @ rhs[..., None])[..., 0]


def _inverse(gram: np.ndarray, empty_columns: np.ndarray) -> np.ndarray:
    gram = gram.copy()
    batch_idx, col_idx = np.nonzero(empty_columns)
    gram[batch_idx, col_idx, col_idx] = 1.0
    inverse = np.linalg.pinv(gram, hermitian=True)
    inverse[batch_idx, col_idx, :] = 0.0
    inverse[batch_idx, :, col_idx] = 0.0
    return inverse


def fit_log_linear(
    design: np.ndarray,
    y: np.ndarray,
    prior_weights: np.ndarray,
    offset: np.ndarray | None = None,
    *,
    max_iterations: int = MAX_ITERATIONS,
    epsilon: float = EPSILON,
) -> LogLinearFit:
    """Fit ``log E[y] = X beta + offset`` by IRLS for every batch element.

    ``design`` is (B, n, p), ``y`` and ``prior_weights`` are (B, n); rows with a zero prior
    weight (padding, missing weeks) take no part in the fit, as in R.
    """
    design = np.asarray(design, dtype=float)
    y = np.asarray(y, dtype=float)
    prior = np.asarray(prior_weights, dtype=float)
    batch, n_obs, n_coef = design.shape
    offset = np.zeros_like(y) if offset is None else np.asarray(offset, dtype=float)
    good = prior > 0
    y = np.where(good, y, 0.0)
    empty_columns = ~np.any((design != 0) & good[:, :, None], axis=1)
    rank = n_coef - empty_columns.sum(axis=1)

    # Starting values of R's poisson()$initialize; the offset is not part of the start.
    mu = y + 0.1
    eta = np.log(mu)
    dev_old = poisson_deviance(y, mu, prior)

    coef = np.zeros((batch, n_coef))
    coef_old: np.ndarray | None = None
    final_mu = mu.copy()
    final_w = np.zeros_like(y)
    final_gram = np.zeros((batch, n_coef, n_coef))
    converged = np.zeros(batch, dtype=bool)
    usable = np.ones(batch, dtype=bool)
    active = np.ones(batch, dtype=bool)

    for _ in range(max_iterations):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        x_act, mu_act, eta_act = design[idx], mu[idx], eta[idx]
        w_act = np.where(good[idx], prior[idx] * mu_act, 0.0)
        z_act = (eta_act - offset[idx]) + (y[idx] - mu_act) / mu_act
        x_weighted = x_act * w_act[:, :, None]
        gram = np.swapaxes(x_weighted, 1, 2) @ x_act
        rhs = np.einsum("bnp,bn->bp", x_weighted, z_act)
        beta = _solve(gram, rhs, empty_columns[idx])
        eta_new = np.einsum("bnp,bp->bn", x_act, beta) + offset[idx]
        with np.errstate(over="ignore", under="ignore"):
            mu_new = np.exp(eta_new)
        dev = poisson_deviance(y[idx], mu_new, prior[idx])

        invalid = ~np.isfinite(dev) | ~np.all(np.isfinite(mu_new) & (mu_new > 0), axis=1)
        if invalid.any():
            if coef_old is None:
                # R stops with "no valid set of coefficients has been found".
                usable[idx[invalid]] = False
                active[idx[invalid]] = False
                keep = ~invalid
                idx, beta, eta_new, mu_new, dev = (
                    idx[keep], beta[keep], eta_new[keep], mu_new[keep], dev[keep]
                )
                w_act, gram = w_act[keep], gram[keep]
            else:
                beta, eta_new, mu_new, dev = _halve_steps(
                    beta, coef_old[idx], invalid, x_act, offset[idx], y[idx], prior[idx],
                    max_iterations,
                )
        coef[idx], eta[idx], mu[idx] = beta, eta_new, mu_new
        final_mu[idx], final_w[idx], final_gram[idx] = mu_new, w_act, gram
        done = np.abs(dev - dev_old[idx]) / (np.abs(dev) + 0.1) < epsilon
        converged[idx[done]] = True
        active[idx[done]] = False
        dev_old[idx] = dev
        coef_old = coef.copy()

    cov_unscaled = _inverse(final_gram, empty_columns)
    df_residual = good.sum(axis=1) - rank
    with np.errstate(divide="ignore", invalid="ignore"):
        working_residuals = (y - final_mu) / final_mu
    pearson = np.sum(np.where(final_w > 0, final_w * working_residuals**2, 0.0), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dispersion = np.where(df_residual > 0, pearson / df_residual, np.nan)
    return LogLinearFit(
        coef=coef,
        mu=final_mu,
        working_weights=final_w,
        cov_unscaled=cov_unscaled,
        dispersion=dispersion,
        df_residual=df_residual,
        converged=converged,
        usable=usable,
    )


def _halve_steps(beta, beta_old, invalid, design, offset, y, prior, max_halvings):
    """Move invalid updates half-way back towards the previous coefficients until valid."""
    beta = beta.copy()
    for _ in range(max_halvings):
        if not invalid.any():
            break
        beta[invalid] = (beta[invalid] + beta_old[invalid]) / 2.0
        eta = np.einsum("bnp,bp->bn", design, beta) + offset
        with np.errstate(over="ignore", under="ignore"):
            mu = np.exp(eta)
        dev = poisson_deviance(y, mu, prior)
        invalid = ~np.isfinite(dev) | ~np.all(np.isfinite(mu) & (mu > 0), axis=1)
    eta = np.einsum("bnp,bp->bn", design, beta) + offset
    with np.errstate(over="ignore", under="ignore"):
        mu = np.exp(eta)
    return beta, eta, mu, poisson_deviance(y, mu, prior)
