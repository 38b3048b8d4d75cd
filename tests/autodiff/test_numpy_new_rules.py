"""append, rot90, rollaxis, atleast_3d, dstack, v/h/dsplit, ptp, sinc, nan_to_num, real,
imag, conj (issue 11): values as NumPy's, derivatives
by check_grads to order 2 in both modes, through steepest.numpy and through plain numpy."""

import numpy as np
import pytest

import steepest.numpy as snp
from steepest.autodiff import check_grads, grad, jvp

rng = np.random.default_rng(111)
V = rng.standard_normal(5)
M = rng.standard_normal((3, 4))
T = rng.standard_normal((2, 3, 4))

CASES = [
    ("append flat", lambda m, a: m.append(a, 2 * a), (M,)),
    ("append axis 0", lambda m, a: m.append(a, a[:1] ** 2, axis=0), (M,)),
    ("append axis 1", lambda m, a: m.append(a, a[:, :2] * 3, axis=1), (M,)),
    *[(f"rot90 k={k}", lambda m, a, k=k: m.rot90(a, k) * np.arange(12.0).reshape(
        m.rot90(a, k).shape), (M,)) for k in (-1, 0, 1, 2, 3, 5)],
    ("rot90 axes", lambda m, a: m.rot90(a, 1, axes=(1, 2)) * np.arange(24.0).reshape(2, 4, 3),
     (T,)),
    *[(f"rollaxis {ax},{st}", lambda m, a, ax=ax, st=st: m.rollaxis(a, ax, st)
       * np.arange(24.0).reshape(np.rollaxis(T, ax, st).shape), (T,))
      for ax, st in ((2, 0), (0, 3), (1, -1), (-1, 1), (1, 1), (0, 2))],
    *[(f"atleast_3d {x.ndim}-d", lambda m, a: m.atleast_3d(a) * 2.0, (x,)) for x in (V, M, T)],
    ("atleast_3d several", lambda m, a, b: m.atleast_3d(a, b)[0] * m.atleast_3d(a, b)[1][0, 0],
     (V, M)),
    ("dstack", lambda m, a, b: m.dstack([a, b, a * b]), (M, M * 0.5)),
    ("vsplit", lambda m, a: m.vsplit(a, [1])[1] * m.vsplit(a, 3)[0], (M,)),
    ("hsplit", lambda m, a: m.hsplit(a, 2)[1] ** 2 + m.hsplit(a, [1, 3])[1], (M,)),
    ("hsplit 1-d", lambda m, a: m.hsplit(a, [2])[0] ** 2, (V,)),
    ("dsplit", lambda m, a: m.dsplit(a, 2)[1] ** 2, (T,)),
    ("ptp", lambda m, a: m.ptp(a), (V,)),
    ("ptp axis", lambda m, a: m.ptp(a, axis=0) + m.ptp(a, axis=1, keepdims=True), (M,)),
    ("sinc", lambda m, a: m.sinc(a), (V,)),
    ("sinc near 0", lambda m, a: m.sinc(a), (np.array([0.0, 1e-4, -3e-4, 2e-3, 1.0]),)),
    ("nan_to_num finite", lambda m, a: m.nan_to_num(a) * a, (V,)),
    ("real", lambda m, a: m.real(a) * a, (V,)),
    ("imag", lambda m, a: m.imag(a) + a, (V,)),
    ("conj", lambda m, a: m.conj(a) * m.conjugate(a), (M,)),
]


@pytest.mark.parametrize("mod", [np, snp], ids=["numpy", "steepest.numpy"])
@pytest.mark.parametrize("name, f, args", CASES, ids=[c[0] for c in CASES])
def test_values_match_numpy_and_derivatives_check_to_order_two(mod, name, f, args):
    assert np.allclose(f(snp, *args), f(np, *args), rtol=1e-15, atol=1e-15)
    check_grads(lambda *a: f(mod, *a), args, modes=("fwd", "rev"), order=2)


def test_sinc_derivatives_at_zero():
    d1 = grad(lambda x: snp.sinc(x))
    assert d1(0.0) == 0.0
    assert np.isclose(grad(d1)(0.0), -np.pi**2 / 3)
    xs = np.array([1e-4, 9.9e-4, 1.01e-3, 0.3])  # either side of the Taylor switch
    eps = 1e-7
    fd = (np.sinc(xs + eps) - np.sinc(xs - eps)) / (2 * eps)
    assert np.allclose([d1(x) for x in xs], fd, rtol=1e-6, atol=1e-9)


def test_nan_to_num_passes_derivatives_only_through_finite_entries():
    x = np.array([1.5, np.nan, np.inf, -np.inf, -2.0])
    w = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    f = lambda a: np.sum(w * np.nan_to_num(a, posinf=7.0, neginf=-7.0))  # noqa: E731
    assert f(x) == 1.5 + 21.0 - 28.0 - 10.0
    assert np.array_equal(grad(f)(x), [1.0, 0.0, 0.0, 0.0, 5.0])
    assert jvp(f, (x,), (np.ones(5),))[1] == 6.0
