"""``steepest.scipy.linalg``: SciPy's signatures, SciPy's values on plain and traced inputs,
derivatives checked to order 2 in both modes (on stacks where SciPy batches)."""

import numpy as np
import pytest
import scipy.linalg as sla

import steepest as st
import steepest.scipy.linalg as ssla
from steepest.autodiff import check_grads

rng = np.random.default_rng(7)
N = 3


def _sq(batch=()):
    return rng.standard_normal(batch + (N, N)) + 3 * np.eye(N)


def _spd(batch=()):
    a = rng.standard_normal(batch + (N, N))
    return a @ np.swapaxes(a, -1, -2) + N * np.eye(N)


SQ, STACK, SPD, SPD_STACK = _sq(), _sq((2, 3)), _spd(), _spd((2,))
B, BM = rng.standard_normal(N), rng.standard_normal((N, 2))

CASES = [
    ("solve_triangular-upper", lambda a, b: ssla.solve_triangular(a, b), (SQ, B)),
    ("solve_triangular-lower-trans", lambda a, b: ssla.solve_triangular(
        a, b, trans="T", lower=True), (SQ, BM)),
    ("solve_triangular-unit", lambda a, b: ssla.solve_triangular(
        a, b, lower=True, unit_diagonal=True, trans=1), (SQ, B)),
    ("solve_triangular-stack", lambda a, b: ssla.solve_triangular(a, b, lower=True),
     (STACK, rng.standard_normal((2, 3, N, 2)))),
    ("cho_factor/cho_solve-upper", lambda a, b: ssla.cho_solve(ssla.cho_factor(a), b),
     (SPD, B)),
    ("cho_factor/cho_solve-lower", lambda a, b: ssla.cho_solve(
        ssla.cho_factor(a, lower=True), b), (SPD_STACK, rng.standard_normal((2, N, 2)))),
    ("cholesky", ssla.cholesky, (SPD,)), ("cholesky-lower", lambda a: ssla.cholesky(
        a, lower=True), (SPD_STACK,)),
    ("expm", ssla.expm, (SQ / 3,)), ("expm-stack", ssla.expm, (STACK / 3,)),
    ("lu_factor", lambda a: ssla.lu_factor(a)[0], (SQ,)),
    ("lu_factor-pivoting", lambda a: ssla.lu_factor(a)[0], (SQ[::-1].copy(),)),
    ("lu_factor-stack", lambda a: ssla.lu_factor(a)[0], (STACK[..., ::-1, :].copy(),)),
    ("lu_solve-stack", lambda a, b: ssla.lu_solve(ssla.lu_factor(a), b, trans=1),
     (STACK[..., [2, 0, 1], :].copy(), rng.standard_normal((2, 3, N, 2)))),
    ("lu_solve-stack-vector-b", lambda a, b: ssla.lu_solve(ssla.lu_factor(a), b),
     (STACK[..., [1, 2, 0], :].copy(), B)),
    ("lu_solve", lambda a, b: ssla.lu_solve(ssla.lu_factor(a), b), (SQ[[1, 2, 0]].copy(), B)),
    ("lu_solve-trans", lambda a, b: ssla.lu_solve(ssla.lu_factor(a), b, trans=1),
     (SQ[[2, 0, 1]].copy(), BM)),
    ("solve", lambda a, b: ssla.solve(a, b, assume_a="sym"), (SPD, BM)),
    ("solve-pos-lower", lambda a, b: ssla.solve(a, b, assume_a="pos", lower=True), (SPD, B)),
    ("solve-lower-triangular", lambda a, b: ssla.solve(a, b, assume_a="lower triangular"),
     (SQ, BM)),
    ("solve-diagonal", lambda a, b: ssla.solve(a, b, assume_a="diagonal"), (SQ, B)),
    ("solve-transposed", lambda a, b: ssla.solve(a, b, transposed=True), (SQ, B)),
    ("inv", ssla.inv, (SQ,)), ("det", ssla.det, (STACK,)),
]


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_scipy_linalg_passes_check_grads_to_second_order(name, f, args):
    check_grads(f, args, modes=("fwd", "rev"), order=2)


PAIRS = {
    "solve_triangular": (lambda a: ssla.solve_triangular(a, B, lower=True, trans=1),
                         lambda a: sla.solve_triangular(a, B, lower=True, trans=1)),
    "expm": (lambda a: ssla.expm(a / 3), lambda a: sla.expm(a / 3)),
    "lu_solve": (lambda a: ssla.lu_solve(ssla.lu_factor(a), B, trans=1),
                 lambda a: sla.lu_solve(sla.lu_factor(a), B, trans=1)),
    "cho_solve": (lambda a: ssla.cho_solve(ssla.cho_factor(a @ a.T + np.eye(N)), B),
                  lambda a: sla.cho_solve(sla.cho_factor(a @ a.T + np.eye(N)), B)),
    "lu_factor": (lambda a: ssla.lu_factor(a)[0], lambda a: sla.lu_factor(a)[0]),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_traced_values_equal_scipy(name):
    ours, ref = PAIRS[name]
    a = SQ[[2, 0, 1]]
    w = np.random.default_rng(0).standard_normal(np.shape(ref(a)))
    got = st.value_and_grad(lambda m: np.sum(w * ours(m)))(a)[0]
    np.testing.assert_allclose(got, np.sum(w * ref(a)), rtol=1e-12)


def test_plain_inputs_get_scipys_own_results():
    for name in ("expm", "inv", "det", "cholesky"):
        np.testing.assert_array_equal(getattr(ssla, name)(SPD), getattr(sla, name)(SPD))
    c, lower = ssla.cho_factor(SPD)
    np.testing.assert_array_equal(c, sla.cho_factor(SPD)[0])
    np.testing.assert_array_equal(ssla.lu_factor(SQ)[1], sla.lu_factor(SQ)[1])


def test_expm_gradient_is_the_frechet_derivative():
    # d/dε tr(W expm(A + εE)) = tr(W L(A, E)), with SciPy's expm_frechet as the reference
    a, e, w = SQ / 3, rng.standard_normal((N, N)), rng.standard_normal((N, N))
    g = st.grad(lambda m: np.sum(w * ssla.expm(m)))(a)
    np.testing.assert_allclose(np.sum(g * e), np.sum(w * sla.expm_frechet(a, e)[1]),
                               rtol=1e-10)


def test_scipy_functions_on_traced_values_fail_and_the_alternative_works():
    with pytest.raises((TypeError, ValueError)):
        st.grad(lambda m: np.sum(sla.expm(m)))(SQ)
    assert np.all(np.isfinite(st.grad(lambda m: np.sum(ssla.expm(m)))(SQ / 3)))


@pytest.mark.parametrize(("call", "needles"), [
    (lambda m: ssla.solve_triangular(m, B, trans="X"), ("trans='X'", "pass 0, 1, 2")),
    (lambda m: ssla.expm(m[:2]), ("expm", "square")),
    (lambda m: ssla.lu_factor(m[:2])[0], ("lu_factor", "square")),
    (lambda m: ssla.inv(m * np.nan), ("contains infs or NaNs", "check_finite=False")),
    (lambda m: ssla.lu_solve(ssla.lu_factor(m), B, trans=5), ("trans=5", "'T' or 'C'")),
])
def test_bad_input_to_traced_calls_is_named(call, needles):
    with pytest.raises((ValueError, np.linalg.LinAlgError)) as info:
        st.grad(lambda m: np.sum(call(m)))(SQ)
    for needle in needles:
        assert needle in str(info.value)


def test_every_new_linalg_primitive_has_vjp_and_jvp_for_the_same_arguments():
    from steepest.autodiff.primitives import Primitive
    from steepest.autodiff.rules import eig, linalg, scipy_linalg

    new = {"eig", "svdvals", "eigvalsh", "cofactor", "solve_triangular", "expm", "lu_factor"}
    prims = {v.name: v for mod in (eig, linalg, scipy_linalg) for v in vars(mod).values()
             if isinstance(v, Primitive) and v.name in new}
    assert set(prims) == new
    for prim in prims.values():
        assert set(prim.vjps) == set(prim.jvps) != set(), prim.name
