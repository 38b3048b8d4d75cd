"""``np.linalg.eig``/``eigvals`` of general real matrices: the real-arithmetic rules pass
``check_grads`` to order 2 in both modes on complex and real eigenpairs, on stacks, and follow
LAPACK's normalisation; the facade returns NumPy's values and dtypes."""

import numpy as np
import pytest

import steepest as st
import steepest.numpy as snp
from steepest.autodiff import check_grads
from steepest.autodiff.rules.eig import eig_packed

rng = np.random.default_rng(5)


def _real_spectrum(batch, n=3):
    """``S diag(λ) S⁻¹`` with distinct real ``λ``: a non-symmetric matrix with real eigenpairs."""
    s = rng.standard_normal(batch + (n, n)) + 2 * np.eye(n)
    lam = np.arange(1.0, n + 1) + rng.uniform(0, 0.3, batch + (n,))
    return s @ (lam[..., None] * np.linalg.inv(s))


GENERAL = rng.standard_normal((4, 4))  # two real and a complex pair of eigenvalues
STACK = rng.standard_normal((2, 3, 3, 3))


@pytest.mark.parametrize("a", [GENERAL, STACK, _real_spectrum(())],
                         ids=["complex-pair", "stack", "real-spectrum"])
def test_packed_eig_rules_pass_check_grads_to_second_order(a):
    assert np.iscomplexobj(np.linalg.eigvals(GENERAL))
    check_grads(eig_packed, (a,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("batch", [(2,), (2, 3)])
def test_eig_of_matrices_with_real_eigenpairs_passes_check_grads(batch):
    a = _real_spectrum(batch)
    check_grads(lambda m: np.linalg.eig(m)[0], (a,), order=2)
    check_grads(lambda m: np.linalg.eig(m)[1] ** 2, (a,), order=2)
    check_grads(lambda m: np.max(np.linalg.eigvals(m), axis=-1), (a,), order=2)


def test_eig_values_and_dtypes_match_numpy():
    a = _real_spectrum((2,))
    value = st.value_and_grad(lambda m: np.sum(np.linalg.eig(m)[0]))(a)[0]
    np.testing.assert_allclose(value, np.sum(np.linalg.eigvals(a)))
    got = snp.linalg.eig(a)
    assert got.eigenvalues.dtype == np.linalg.eig(a).eigenvalues.dtype == np.float64
    w, v = np.linalg.eig(GENERAL)
    packed = eig_packed(GENERAL)
    np.testing.assert_array_equal(packed[0] + 1j * packed[1], w)
    np.testing.assert_array_equal(packed[2:6] + 1j * packed[6:], v)


def test_spectral_abscissa_and_radius_from_the_packed_parts():
    # real-valued functions of complex eigenvalues, written on the real and imaginary parts
    def radius(m):
        p = eig_packed(m)
        return np.max(p[0] ** 2 + p[1] ** 2)

    check_grads(radius, (GENERAL,), order=2)
    # dλ_i/dA_jk = (V⁻¹)_ij V_ki (Magnus 1985), for the eigenvalue of largest real part
    w, V = np.linalg.eig(GENERAL)
    i = int(np.argmax(w.real))
    left = np.linalg.inv(V)[i]
    expected = np.real(np.outer(left, V[:, i]))
    got = st.grad(lambda m: np.max(eig_packed(m)[0]))(GENERAL)
    np.testing.assert_allclose(got, expected, atol=1e-10)


def test_sum_of_eigenvalues_is_the_trace_even_at_a_repeated_eigenvalue():
    s = rng.standard_normal((3, 3)) + 3 * np.eye(3)
    a = s @ np.diag([2.0, 2.0, 5.0]) @ np.linalg.inv(s)
    g = st.grad(lambda m: np.sum(np.linalg.eigvals(m)))(a)
    np.testing.assert_allclose(g, np.eye(3), atol=1e-8)


def test_eig_of_a_non_square_matrix_is_refused_with_the_argument_named():
    with pytest.raises(np.linalg.LinAlgError, match="needs a square matrix a"):
        st.grad(lambda m: np.sum(np.linalg.eigvals(m)))(np.ones((2, 3)))
