"""Projections: P(x) is feasible and satisfies ⟨x − P(x), y − P(x)⟩ ≤ 0 for feasible y."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from steepest.constrained import (
    Affine,
    Box,
    Halfspace,
    Hyperplane,
    L1Ball,
    L2Ball,
    LinfBall,
    NonnegativeOrthant,
    Product,
    Simplex,
)

N = 5
rng0 = np.random.default_rng(0)
A_AFF = rng0.standard_normal((2, N))
B_AFF = A_AFF @ rng0.standard_normal(N)
A_HALF = rng0.standard_normal(N)


def _ball_samples(rng, k, n, radius):
    d = rng.standard_normal((k, n))
    d /= np.linalg.norm(d, axis=1, keepdims=True)
    return d * radius * rng.uniform(size=(k, 1)) ** (1 / n)


def _simplex_samples(rng, k, n, scale=1.0):
    return rng.dirichlet(np.ones(n), size=k) * scale


def _l1_samples(rng, k, n, radius):
    w = rng.dirichlet(np.ones(n), size=k) * rng.uniform(size=(k, 1))
    return w * radius * rng.choice([-1.0, 1.0], size=(k, n))


def _affine_samples(rng, k, n):
    aff = Affine(A_AFF, B_AFF)
    return np.array([aff._xb + aff.tangent_project(None, rng.standard_normal(n)) * 3
                     for _ in range(k)])


def _half_samples(rng, k, n):
    y = rng.standard_normal((k, n)) * 3
    viol = np.maximum(y @ A_HALF - 0.5, 0)
    return y - np.outer(viol + rng.uniform(size=k), A_HALF) / (A_HALF @ A_HALF)


def _plane_samples(rng, k, n):
    y = rng.standard_normal((k, n)) * 3
    return y - np.outer(y @ A_HALF - 0.5, A_HALF) / (A_HALF @ A_HALF)


CASES = {
    "box": (Box(-1.0, np.arange(N) * 0.5),
            lambda r, k, n: r.uniform(-1.0, np.arange(n) * 0.5, size=(k, n))),
    "orthant": (NonnegativeOrthant(), lambda r, k, n: r.exponential(size=(k, n))),
    "l2": (L2Ball(1.5), lambda r, k, n: _ball_samples(r, k, n, 1.5)),
    "l2-centered": (L2Ball(0.7, center=np.ones(N)),
                    lambda r, k, n: 1.0 + _ball_samples(r, k, n, 0.7)),
    "l1": (L1Ball(2.0), lambda r, k, n: _l1_samples(r, k, n, 2.0)),
    "linf": (LinfBall(0.3), lambda r, k, n: r.uniform(-0.3, 0.3, size=(k, n))),
    "simplex": (Simplex(), lambda r, k, n: _simplex_samples(r, k, n)),
    "simplex-3": (Simplex(3.0), lambda r, k, n: _simplex_samples(r, k, n, 3.0)),
    "affine": (Affine(A_AFF, B_AFF), _affine_samples),
    "halfspace": (Halfspace(A_HALF, 0.5), _half_samples),
    "hyperplane": (Hyperplane(A_HALF, 0.5), _plane_samples),
}

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, N, elements=finite)


@pytest.mark.parametrize("name", sorted(CASES))
@given(x=vectors)
def test_variational_inequality(name, x):
    P, sampler = CASES[name]
    p = P(x)
    scale = 1.0 + np.abs(x).max()
    assert P.contains(p, tol=1e-9 * scale)
    ys = sampler(np.random.default_rng(1), 64, N)
    assert all(P.contains(y, tol=1e-9 * scale) for y in ys)
    inner = (ys - p) @ (x - p)
    assert np.all(inner <= 1e-9 * scale**2)


@pytest.mark.parametrize("name", sorted(CASES))
@given(x=vectors)
def test_idempotent_and_nonexpansive(name, x):
    P, _ = CASES[name]
    p = P(x)
    np.testing.assert_allclose(P(p), p, atol=1e-9 * (1 + np.abs(x).max()))
    z = x + np.random.default_rng(2).standard_normal(N)
    assert np.linalg.norm(P(z) - p) <= np.linalg.norm(z - x) * (1 + 1e-12) + 1e-12


@given(x=vectors, y=vectors)
def test_product_is_blockwise_and_variational(x, y):
    P = Product([Simplex(), L2Ball(1.0), Box(0, 1)], sizes=[2, 2, 1])
    p = P(x)
    assert P.contains(p, tol=1e-9 * (1 + np.abs(x).max()))
    q = P(y)  # any feasible point
    assert (q - p) @ (x - p) <= 1e-9 * (1 + np.abs(x).max()) ** 2 * 10


def test_affine_tangent_projection_is_null_space():
    aff = Affine(A_AFF, B_AFF)
    v = np.random.default_rng(3).standard_normal(N)
    t = aff.tangent_project(None, v)
    np.testing.assert_allclose(A_AFF @ t, 0, atol=1e-12)
    np.testing.assert_allclose(t @ (v - t), 0, atol=1e-12)


def test_affine_rank_deficient_and_inconsistent():
    A = np.vstack([A_AFF, A_AFF[0] * 2])
    b = np.concatenate([B_AFF, [B_AFF[0] * 2]])
    x = np.random.default_rng(4).standard_normal(N)
    np.testing.assert_allclose(Affine(A, b)(x), Affine(A_AFF, B_AFF)(x), atol=1e-10)
    with pytest.raises(ValueError, match="no solution"):
        Affine(A, b + np.array([0, 0, 1.0]))


@pytest.mark.parametrize("bad", [lambda: Box(1, 0), lambda: L2Ball(-1), lambda: Simplex(0),
                                 lambda: L1Ball(-2), lambda: Halfspace(np.zeros(3)),
                                 lambda: Product([Box()], [0])])
def test_bad_parameters_raise(bad):
    with pytest.raises(ValueError):
        bad()


def test_rejects_matrices():
    with pytest.raises(ValueError, match="1-D"):
        Box(0, 1)(np.zeros((2, 2)))
