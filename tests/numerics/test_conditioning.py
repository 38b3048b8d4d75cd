"""Condition numbers, solve with an error bound, perturbation reports (Goodfellow §4.2)."""

import warnings

import mpmath
import numpy as np
import pytest
import scipy.linalg as sla

import steepest.numerics as sn
from steepest.numerics import conditioning

SEED_A = np.array([[4.1, 2.8], [9.7, 6.6]])


def _with_cond(n, cond, rng):
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (u * np.geomspace(1.0, 1.0 / cond, n)) @ v.T


def test_svd_kind_is_singular_value_ratio_for_any_shape():
    rng = np.random.default_rng(0)
    for shape in [(3, 3), (5, 2), (2, 6)]:
        a = rng.standard_normal(shape)
        s = np.linalg.svd(a, compute_uv=False)
        assert sn.condition_number(a) == pytest.approx(s[0] / s[-1], rel=1e-12)
        assert sn.condition_number(a, 2) == sn.condition_number(a, "svd")


def test_eig_kind_is_eq_4_2_and_equals_svd_for_symmetric():
    rng = np.random.default_rng(1)
    m = rng.standard_normal((4, 4))
    sym = m + m.T
    lam = np.abs(np.linalg.eigvalsh(sym))
    assert sn.condition_number(sym, "eig") == pytest.approx(lam.max() / lam.min(), rel=1e-10)
    assert sn.condition_number(sym, "eig") == pytest.approx(sn.condition_number(sym), rel=1e-10)


@pytest.mark.parametrize("a", [10.0, 1e3, 1e6])
def test_shear_matrix_eig_ratio_one_but_svd_ratio_a_squared(a):
    m = np.array([[1.0, a], [0.0, 1.0]])
    assert sn.condition_number(m, "eig") == 1.0
    exact = ((a * a + 2) + a * np.sqrt(a * a + 4)) / 2  # sigma_max / sigma_min, det = 1
    assert sn.condition_number(m, "svd") == pytest.approx(exact, rel=1e-9)
    assert sn.condition_number(m, "svd") == pytest.approx(a * a, rel=3 / a**2 + 1e-9)


@pytest.mark.parametrize("kind", [1, np.inf, "fro"])
def test_norm_kinds_match_numpy(kind):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((5, 5))
    assert sn.condition_number(a, kind) == pytest.approx(np.linalg.cond(a, kind), rel=1e-10)


@pytest.mark.parametrize("kind", ["svd", "eig", 1, np.inf, "fro"])
def test_numerically_singular_is_inf(kind):
    rank_one = np.outer([1.0, 2.0, 3.0], [0.1, 0.7, 0.3])
    assert sn.condition_number(rank_one, kind) == np.inf
    assert sn.condition_number(np.zeros((2, 2)), kind) == np.inf
    assert np.isfinite(sn.condition_number(SEED_A, kind))


def test_condition_number_errors_name_the_fix():
    with pytest.raises(ValueError, match=r"'svd', 2, 'eig', 1, np.inf, 'fro'"):
        sn.condition_number(SEED_A, "two")
    with pytest.raises(ValueError, match="square.*kind='svd'"):
        sn.condition_number(np.ones((2, 3)), "eig")
    with pytest.raises(ValueError, match="2-D"):
        sn.condition_number(np.ones(3))
    with pytest.raises(ValueError, match="nan or inf"):
        sn.condition_number([[1.0, np.nan], [0.0, 1.0]])
    with pytest.raises(TypeError, match="real"):
        sn.condition_number(np.eye(2) * 1j)


def test_solve_matches_numpy_and_bound_is_small_when_well_conditioned():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((6, 6)) + 6 * np.eye(6)
    b = rng.standard_normal((6, 2))
    r = sn.solve(a, b)
    np.testing.assert_allclose(r.x, np.linalg.solve(a, b), rtol=1e-12)
    assert r.trustworthy and r.status is sn.SolveStatus.WELL_CONDITIONED
    assert r.error_bound < 1e-13 and r.digits > 13
    # Hager/Higham 1-norm estimate: a lower bound on the exact kappa_1, rarely off by > 3x
    exact = np.linalg.cond(a, 1)
    assert exact / 3 <= r.cond <= exact * (1 + 1e-12)


def test_error_bound_holds_against_exact_solution():
    rng = np.random.default_rng(4)
    mpmath.mp.dps = 60
    for _ in range(25):
        n = int(rng.integers(2, 6))
        a = _with_cond(n, 10.0 ** rng.uniform(0, 14), rng)
        b = rng.standard_normal(n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sn.ConditioningWarning)
            r = sn.solve(a, b)
        exact = np.array(mpmath.lu_solve(mpmath.matrix(a.tolist()), mpmath.matrix(b.tolist())),
                         dtype=float).ravel()
        err = np.abs(r.x - exact).sum() / np.abs(r.x).sum()
        assert err <= r.error_bound


def test_solve_warns_when_cond_eps_makes_answer_untrustworthy():
    assert issubclass(sn.ConditioningWarning, Warning)
    h = sla.hilbert(9)
    with pytest.warns(sn.ConditioningWarning, match="cond"):
        r = sn.solve(h, np.ones(9))
    assert r.status is sn.SolveStatus.ILL_CONDITIONED and not r.trustworthy
    assert r.error_bound > np.sqrt(np.finfo(float).eps)
    with pytest.warns(sn.ConditioningWarning, match="numerically singular"):
        r = sn.solve(sla.hilbert(13), np.ones(13))
    assert r.status is sn.SolveStatus.NUMERICALLY_SINGULAR
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sn.solve(SEED_A, [4.1, 9.7])
        sn.solve(h, np.ones(9), warn_tol=1e-2)


def test_solve_never_forms_an_inverse(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("solve must not form an inverse")

    monkeypatch.setattr(np.linalg, "inv", forbidden)
    monkeypatch.setattr(sla, "inv", forbidden)
    r = sn.solve(SEED_A, [4.1, 9.7])
    np.testing.assert_allclose(SEED_A @ r.x, [4.1, 9.7], rtol=1e-14)


def test_solve_errors():
    with pytest.raises(np.linalg.LinAlgError, match="singular"):
        sn.solve(np.zeros((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match=r"pass b of shape \(2,\)"):
        sn.solve(SEED_A, np.ones(3))
    with pytest.raises(ValueError, match="square"):
        sn.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match="nan or inf"):
        sn.solve(SEED_A, [np.inf, 1.0])


def test_seed_example_solution_jumps():
    rep = sn.perturbation_report(SEED_A, [4.1, 9.7], [0.01, 0.0])
    np.testing.assert_allclose(rep.x, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(rep.x_perturbed, [0.34, 0.97], atol=0.005)  # as quoted
    exact = np.linalg.solve(SEED_A, [4.11, 9.7])  # b + db solved directly
    np.testing.assert_allclose(rep.x_perturbed, exact, rtol=1e-10)
    assert rep.amplification > 1000 and rep.bound_holds
    assert "within the bound" in rep.describe()


def test_amplification_never_exceeds_cond_and_worst_case_attains_it():
    rng = np.random.default_rng(5)
    for _ in range(20):
        a = _with_cond(4, 10.0 ** rng.uniform(0, 8), rng)
        rep = sn.perturbation_report(a, rng.standard_normal(4), 1e-6 * rng.standard_normal(4))
        assert rep.bound_holds
    a = _with_cond(4, 1e6, rng)
    u, s, _ = np.linalg.svd(a)
    rep = sn.perturbation_report(a, u[:, 0], 1e-8 * u[:, -1])
    assert rep.amplification == pytest.approx(rep.cond, rel=1e-4)


def test_perturbation_report_errors():
    with pytest.raises(ValueError, match="non-zero"):
        sn.perturbation_report(SEED_A, [0.0, 0.0], [1.0, 0.0])
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        sn.perturbation_report(SEED_A, [1.0, 0.0], [1.0, 0.0, 0.0])


def test_condition_kinds_table_is_complete():
    assert set(conditioning._KINDS) == {"svd", 2, "eig", 1, np.inf, "fro"}
