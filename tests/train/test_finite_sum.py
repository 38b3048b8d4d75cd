"""FiniteSum values/gradients and the minibatch facts of Liquet et al. §4.2.

Unbiasedness and variance are checked two ways: *exactly*, by enumerating every possible
minibatch (all C(n, n_b) subsets without replacement, all n^n_b ordered draws with
replacement), and *statistically*, on the batches our sampler actually produces.

Variance facts tested (σ² = (1/n) Σᵢ ‖∇Cᵢ − ∇C‖², the population variance of one example's
gradient, summed over coordinates):
  with replacement (i.i.d. indices):     E‖ĝ − ∇C‖² = σ² / n_b                (Liquet §4.2)
  without replacement (shuffled epochs): E‖ĝ − ∇C‖² = σ² / n_b · (n − n_b)/(n − 1)
                                         (finite-population correction)
"""

import itertools

import numpy as np
import pytest

from steepest.train import BatchSampler, FiniteSum

from ._losses import mse as loss
from ._losses import mse_value_and_grad as value_and_grad


def _problem(n=8, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n)
    return X, y, rng.normal(size=d)


def example_losses(w, batch):
    X, y = batch
    return (X @ w - y) ** 2


def per_example_grads(w, X, y):
    return 2.0 * (X @ w - y)[:, None] * X


def test_full_value_is_the_mean_of_the_example_losses():
    X, y, w = _problem()
    C = FiniteSum(loss, (X, y), value_and_grad=value_and_grad)
    Ce = FiniteSum(example_losses, (X, y), per_example=True)
    terms = C.example_losses(w)
    assert terms.shape == (8,)
    assert np.allclose(Ce.example_losses(w), terms, rtol=1e-14, atol=0)
    assert C.value(w) == pytest.approx(terms.mean(), rel=1e-14)
    assert Ce.value(w) == pytest.approx(terms.mean(), rel=1e-14)
    assert C(w) == C.value(w)
    idx = np.array([1, 5])
    assert C.value(w, idx) == pytest.approx(terms[idx].mean(), rel=1e-14)


def test_full_gradient_matches_central_differences():
    X, y, w = _problem()
    C = FiniteSum(loss, (X, y), value_and_grad=value_and_grad)
    g = C.grad(w)
    h = 1e-6
    fd = np.array([(C.value(w + h * e) - C.value(w - h * e)) / (2 * h) for e in np.eye(3)])
    assert np.allclose(g, fd, rtol=1e-7, atol=1e-8)
    assert np.allclose(g, per_example_grads(w, X, y).mean(axis=0), rtol=1e-13)


def _exact_moments(C, w, batches):
    grads = np.array([C.grad(w, np.asarray(b)) for b in batches])
    mean = grads.mean(axis=0)
    return mean, np.mean(np.sum((grads - C.grad(w)) ** 2, axis=1))


@pytest.mark.parametrize("nb", [1, 2, 3, 5])
def test_minibatch_gradient_is_unbiased_exactly_and_variance_has_fpc(nb):
    X, y, w = _problem()
    n = len(y)
    C = FiniteSum(loss, (X, y), value_and_grad=value_and_grad)
    G = per_example_grads(w, X, y)
    sigma2 = np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1))
    # without replacement: every subset of size nb is equally likely
    mean, var = _exact_moments(C, w, itertools.combinations(range(n), nb))
    assert np.allclose(mean, C.grad(w), rtol=1e-12, atol=1e-12)
    assert var == pytest.approx(sigma2 / nb * (n - nb) / (n - 1), rel=1e-10)
    # with replacement: every ordered tuple of nb indices is equally likely
    mean_r, var_r = _exact_moments(C, w, itertools.product(range(n), repeat=nb))
    assert np.allclose(mean_r, C.grad(w), rtol=1e-12, atol=1e-12)
    assert var_r == pytest.approx(sigma2 / nb, rel=1e-10)


@pytest.mark.parametrize("replacement", [False, True])
def test_sampler_batches_give_unbiased_gradients_with_predicted_variance(replacement):
    X, y, w = _problem(n=24, d=2, seed=1)
    n = len(y)
    C = FiniteSum(loss, (X, y), value_and_grad=value_and_grad)
    G = per_example_grads(w, X, y)
    g = G.mean(axis=0)
    sigma2 = np.mean(np.sum((G - g) ** 2, axis=1))
    rng = np.random.default_rng(2024)
    observed = {}
    for nb in (1, 2, 4, 8):
        sampler = BatchSampler(n, nb, replacement=replacement)
        batches = [b for _ in range(3000 // (n // nb) + 1) for b in sampler.epoch(rng)]
        est = np.array([G[b].mean(axis=0) for b in batches])
        assert np.allclose(est[:20], [C.grad(w, b) for b in batches[:20]], rtol=1e-13)
        dev = est - g
        m = len(est)
        theory = sigma2 / nb * (1.0 if replacement else (n - nb) / (n - 1))
        # unbiased: the sample mean lies within 4.5 standard errors of the full gradient
        # (conservative without replacement, where the batches of an epoch are dependent)
        assert np.all(np.abs(dev.mean(axis=0)) < 4.5 * np.sqrt(dev.var(axis=0) / m))
        observed[nb] = np.mean(np.sum(dev**2, axis=1))
        assert observed[nb] == pytest.approx(theory, rel=0.12)
    # the 1/n_b law: doubling the batch halves the variance (FPC-adjusted without replacement)
    for a, b in [(1, 2), (2, 4), (4, 8)]:
        fpc = 1.0 if replacement else ((n - b) / (n - 1)) / ((n - a) / (n - 1))
        assert observed[b] / observed[a] == pytest.approx(a / b * fpc, rel=0.15)


def test_user_gradient_or_type_errors():
    X, y, _ = _problem()
    with pytest.raises(TypeError, match="loss must be callable"):
        FiniteSum(3.0, (X, y))
    with pytest.raises(TypeError, match="value_and_grad"):
        FiniteSum(loss, (X, y), value_and_grad="no")
    with pytest.raises(ValueError, match="leading"):
        FiniteSum(loss, (X, y[:3]))


@pytest.mark.parametrize("replacement", [False, True])
def test_minibatch_variance_formula_matches_enumeration(replacement):
    X, y, w = _problem(n=7, d=2, seed=4)
    C = FiniteSum(loss, (X, y), value_and_grad=value_and_grad)
    assert np.allclose(C.example_grads(w), per_example_grads(w, X, y), rtol=1e-13)
    for nb in (1, 3) if replacement else (1, 3, 6, 7):
        draws = (itertools.product(range(7), repeat=nb) if replacement
                 else itertools.combinations(range(7), nb))
        _, exact = _exact_moments(C, w, draws)
        assert C.minibatch_variance(w, nb, replacement=replacement) == pytest.approx(
            exact, rel=1e-10, abs=1e-14)
    assert C.minibatch_variance(w, 7) == pytest.approx(0.0, abs=1e-12)  # the full batch
    with pytest.raises(ValueError, match="batch_size"):
        C.minibatch_variance(w, 8)


def test_default_gradient_comes_from_autodiff():
    X, y, w = _problem()
    C = FiniteSum(loss, (X, y))  # no value_and_grad: steepest.autodiff differentiates loss
    Ce = FiniteSum(example_losses, (X, y), per_example=True)
    idx = np.array([0, 3, 4])
    for objective in (C, Ce):
        value, g = objective.value_and_grad(w, idx)
        ref_value, ref_g = value_and_grad(w, (X[idx], y[idx]))
        assert float(value) == pytest.approx(ref_value, rel=1e-14)
        assert np.allclose(g, ref_g, rtol=1e-13)
        assert np.allclose(objective.grad(w), per_example_grads(w, X, y).mean(axis=0),
                           rtol=1e-13)
