"""Complex numbers (issue 11 point 3): autograd's convention, checked by finite differences
along the real and the imaginary directions; holomorphic derivatives; np.fft; refusals."""

import numpy as np
import pytest

import steepest as st
import steepest.numpy as snp
from steepest.autodiff import check_grads, grad, jvp, vjp

rng = np.random.default_rng(1103)
Z = rng.uniform(0.5, 1.5, 3) + 1j * rng.uniform(-1.0, 1.0, 3)
H = 1e-6


def _fd_real_and_imaginary(f, z):
    """(∂f/∂x, ∂f/∂y) of a real f of complex z by central differences, entry by entry."""
    dx, dy = np.zeros(z.shape), np.zeros(z.shape)
    for i in range(z.size):
        e = np.zeros(z.shape)
        e.flat[i] = H
        dx.flat[i] = (f(z + e) - f(z - e)) / (2 * H)
        dy.flat[i] = (f(z + 1j * e) - f(z - 1j * e)) / (2 * H)
    return dx, dy


REAL_LOSSES = {
    "abs2": lambda z: np.sum(np.abs(z) ** 2),
    "abs": lambda z: np.sum(np.abs(z)),
    "real-of-exp": lambda z: np.sum(np.real(np.exp(z) * z)),
    "imag-of-log": lambda z: np.sum(np.imag(np.log(z))),
    "angle": lambda z: np.sum(np.angle(z) ** 2),
    "mixed": lambda z: np.sum(np.abs(np.sin(z) * np.conj(z) + z.real)) + np.prod(np.abs(z)),
    "fft-power": lambda z: np.sum(np.abs(np.fft.fft(z)) ** 2 * np.arange(1.0, 4.0)),
}


@pytest.mark.parametrize("name", list(REAL_LOSSES))
def test_grad_of_a_real_function_is_df_dx_minus_i_df_dy(name):
    f = REAL_LOSSES[name]
    dx, dy = _fd_real_and_imaginary(f, Z)
    g = grad(f)(Z)
    assert g.dtype == np.complex128
    assert np.allclose(g.real, dx, atol=1e-6) and np.allclose(g.imag, -dy, atol=1e-6)


def test_abs_squared_has_the_textbook_gradient():
    z = np.array([3.0 + 4.0j, -1.0 + 0.5j])
    assert np.allclose(grad(lambda z: np.sum(np.abs(z) ** 2))(z), 2 * np.conj(z))


HOLOMORPHIC = {  # f, f'
    "exp": (np.exp, np.exp),
    "log": (np.log, lambda z: 1 / z),
    "sin": (np.sin, np.cos),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sqrt": (np.sqrt, lambda z: 0.5 / np.sqrt(z)),
    "power": (lambda z: z ** 3.5, lambda z: 3.5 * z ** 2.5),
    "rational": (lambda z: (z * z + 1j) / (z - 3.0), lambda z: (z * z - 6 * z - 1j) / (z - 3) ** 2),
}


@pytest.mark.parametrize("name", list(HOLOMORPHIC))
def test_holomorphic_functions_give_the_complex_derivative_in_both_modes(name):
    f, df = HOLOMORPHIC[name]
    out, pullback = vjp(f, Z)
    assert np.allclose(pullback(np.ones(3)), df(Z))  # autograd's grad: the cotangent 1
    assert np.allclose(jvp(f, (Z,), (np.ones(3, complex),))[1], df(Z))
    assert np.allclose(jvp(f, (Z,), (1j * np.ones(3),))[1], 1j * df(Z))  # same along i
    assert np.allclose((f(Z + 1e-7) - f(Z - 1e-7)) / 2e-7, df(Z), atol=1e-6)


def test_the_real_part_of_a_holomorphic_function_satisfies_cauchy_riemann():
    dx, dy = _fd_real_and_imaginary(lambda z: np.sum(np.real(np.exp(z) / z)), Z)
    g = grad(lambda z: np.sum(np.real(np.exp(z) / z)))(Z)
    f_prime = np.exp(Z) / Z - np.exp(Z) / Z ** 2
    assert np.allclose(g, f_prime) and np.allclose(g, dx - 1j * dy, atol=1e-6)


def test_nested_derivatives_of_complex_intermediates():
    def f(t):
        return np.real(np.exp(1j * t) * t ** 2)  # t² cos t

    d2 = grad(grad(f))(0.7)
    exact = 2 * np.cos(0.7) - 4 * 0.7 * np.sin(0.7) - 0.7 ** 2 * np.cos(0.7)
    assert np.isclose(d2, exact)
    assert np.isclose(st.hessian(f)(0.7), exact)


def test_value_and_grad_and_pytrees_of_complex_leaves():
    def loss(p):
        return np.sum(np.abs(p["z"] * p["w"]) ** 2)

    p = {"z": Z, "w": 0.5}
    value, g = st.value_and_grad(loss)(p)
    assert np.isclose(value, np.sum(np.abs(Z * 0.5) ** 2))
    assert np.allclose(g["z"], 2 * 0.25 * np.conj(Z)) and np.isreal(g["w"])
    assert np.isclose(g["w"], 2 * 0.5 * np.sum(np.abs(Z) ** 2))


def test_imag_and_angle_of_real_values_are_constants_with_real_zero_gradients():
    x = np.array([0.3, -1.2])
    g = grad(lambda x: np.sum(np.imag(x) + np.angle(x) + x.imag * x + x))(x)
    assert g.dtype == np.float64 and np.array_equal(g, np.ones(2))
    assert np.array_equal(jvp(lambda x: np.angle(x) + np.imag(x), (x,), (x,))[1], np.zeros(2))


def test_casts_between_real_and_complex_keep_the_derivative():
    x = np.array([0.3, -1.2])
    f = lambda x: np.sum(np.abs(x.astype(complex) * (1 + 2j)) ** 2)  # noqa: E731  5 Σ x²
    assert np.allclose(grad(f)(x), 10 * x)
    g = grad(lambda z: np.sum(snp.astype(z, float) ** 2))(Z)  # the real part
    assert np.allclose(g, 2 * Z.real)


# ---- np.fft --------------------------------------------------------------------------------
XR = rng.standard_normal((3, 6))
XC = XR + 1j * rng.standard_normal((3, 6))
F = np.fft
FFT_CASES = [
    ("fft", lambda x, nm: F.fft(x, norm=nm)),
    ("fft-n4-axis0", lambda x, nm: F.fft(x, 4, 0, nm)),
    ("fft-n8", lambda x, nm: F.fft(x, n=8, norm=nm)),
    ("ifft-n5", lambda x, nm: F.ifft(x, 5, -1, nm)),
    ("rfft", lambda x, nm: F.rfft(np.real(x), norm=nm)),
    ("rfft-n7-axis0", lambda x, nm: F.rfft(np.real(x), n=7, axis=0, norm=nm)),
    ("irfft", lambda x, nm: F.irfft(x, norm=nm)),
    ("irfft-n7", lambda x, nm: F.irfft(x, 7, norm=nm)),
    ("irfft-n4-axis0", lambda x, nm: F.irfft(x, n=4, axis=0, norm=nm)),
    ("fft2", lambda x, nm: F.fft2(x, norm=nm)),
    ("ifft2-s", lambda x, nm: F.ifft2(x, (4, 4), norm=nm)),
    ("fftn", lambda x, nm: F.fftn(x, norm=nm)),
    ("ifftn-axes", lambda x, nm: F.ifftn(x, axes=(0,), norm=nm)),
    ("rfftn", lambda x, nm: F.rfftn(np.real(x), norm=nm)),
    ("rfftn-s", lambda x, nm: F.rfftn(np.real(x), s=(2, 5), axes=(0, 1), norm=nm)),
    ("irfftn", lambda x, nm: F.irfftn(x, norm=nm)),
    ("irfftn-s", lambda x, nm: F.irfftn(x, s=(4, 9), axes=(0, 1), norm=nm)),
    ("rfft2", lambda x, nm: F.rfft2(np.real(x), norm=nm)),
    ("irfft2", lambda x, nm: F.irfft2(x, norm=nm)),
    ("hfft", lambda x, nm: F.hfft(x, norm=nm)),
    ("ihfft", lambda x, nm: F.ihfft(np.real(x), norm=nm)),
    ("fftshift", lambda x, nm: F.fftshift(x)),
    ("ifftshift-axis1", lambda x, nm: F.ifftshift(x, 1)),
]


@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
@pytest.mark.parametrize(("name", "f"), FFT_CASES, ids=[c[0] for c in FFT_CASES])
def test_fft_rules_pass_check_grads_to_second_order(name, f, norm):
    for x in (XR, XC):
        traced_value = jvp(lambda v: f(v, norm), (x,), (np.ones_like(x),))[0]
        assert np.allclose(traced_value, f(x, norm))  # the traced call is NumPy's transform
        check_grads(lambda v: f(v, norm), (x,), order=2)


@pytest.mark.parametrize("mod", [np, snp], ids=["numpy", "steepest.numpy"])
def test_parseval_gradient_through_both_namespaces(mod):
    x = rng.standard_normal(8)
    assert np.allclose(grad(lambda x: mod.sum(mod.abs(mod.fft.fft(x)) ** 2))(x), 16 * x)
    half = lambda x: mod.sum(mod.abs(mod.fft.rfft(x, norm="ortho")) ** 2)  # noqa: E731
    dx = np.array([(half(x + H * e) - half(x - H * e)) / (2 * H) for e in np.eye(8)])
    assert np.allclose(grad(half)(x), dx, atol=1e-6)


def test_fft_convolution_has_the_direct_gradient():
    k = np.array([0.5, -1.0, 0.25, 0.0, 2.0, 1.0])

    def circular(x):
        return np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(k), n=x.size)

    def direct(x):
        return np.array([sum(x[j] * k[(i - j) % 6] for j in range(6)) for i in range(6)])

    x = rng.standard_normal(6)
    assert np.allclose(circular(x), direct(x))
    w = rng.standard_normal(6)
    assert np.allclose(grad(lambda x: circular(x) @ w)(x), grad(lambda x: direct(x) @ w)(x))


# ---- what stays refused ------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "f"), [
    ("maximum", lambda z: np.sum(np.abs(np.maximum(z, 0.5)))),
    ("var", lambda z: np.var(z)),  # real result of complex values: refused as well
    ("linalg.inv", lambda z: np.sum(np.abs(np.linalg.inv(np.diag(z))))),
])
def test_functions_without_complex_rules_are_refused_by_name(name, f):
    with pytest.raises(TypeError, match="complex") as info:
        grad(f)(Z)
    assert name.split(".")[-1] in str(info.value) and "real and imaginary parts" in str(info.value)


def test_check_grads_catches_a_complex_rule_missing_its_conjugate():
    bad = st.primitive(lambda z: z * np.conj(z))  # |z|², not holomorphic
    st.defvjp(bad, lambda g, ans, z: 2 * g * z)  # should be 2 g z̄
    st.defjvp(bad, lambda t, ans, z: 2 * z * t)  # should be 2 Re(z̄ t)
    bad.complex_ok = True
    for mode in ("fwd", "rev"):
        with pytest.raises(st.GradientCheckError):
            check_grads(bad, (Z,), modes=(mode,), order=1)


# ---- optimizers stay over real variables ---------------------------------------------------
@pytest.mark.parametrize(("who", "call"), [
    ("minimize", lambda: st.minimize(lambda x: np.sum(np.abs(x) ** 2), Z)),
    ("maximize", lambda: st.maximize(lambda x: -np.sum(np.abs(x) ** 2), Z)),
    ("optimizers.adam", lambda: st.optimizers.adam(0.1).init({"z": Z})),
    ("lstsq", lambda: st.lstsq(np.diag(Z), np.ones(3))),
])
def test_optimizers_refuse_complex_parameters_and_say_to_split_them(who, call):
    with pytest.raises(TypeError, match="complex.*real and imaginary parts"):
        call()


def test_optimizing_the_split_parts_uses_the_complex_gradient():
    target = np.array([1.0 - 2.0j, 0.5j])

    def loss(p):
        z = p["re"] + 1j * p["im"]
        return np.sum(np.abs(z - target) ** 2)

    res = st.minimize(loss, {"re": np.zeros(2), "im": np.zeros(2)})
    assert np.allclose(res.x["re"] + 1j * res.x["im"], target, atol=1e-6)
    g = grad(lambda z: np.sum(np.abs(z - target) ** 2))(np.zeros(2, complex))
    gp = grad(loss)({"re": np.zeros(2), "im": np.zeros(2)})
    assert np.allclose(g, gp["re"] - 1j * gp["im"])  # the convention, once more


# ---- the peer whose convention this is -----------------------------------------------------
PEER_LOSSES = {
    "abs2": lambda m, z: m.sum(m.abs(z) ** 2),
    "mixed": lambda m, z: m.sum(m.abs(m.sin(z) * m.conj(z) + m.real(z))) + m.prod(m.abs(z)),
    "angle": lambda m, z: m.sum(m.angle(z * z) ** 2),
    "fft": lambda m, z: m.sum(m.abs(m.fft.fft(z, n=6)) ** 2 * m.arange(1.0, 7.0)),
    "ifft2": lambda m, z: m.sum(m.real(m.fft.ifft2(m.reshape(z, (2, 2))) * (1 + 2j)) ** 2),
    "rfft-irfft": lambda m, z: m.sum(m.fft.irfft(m.fft.rfft(m.real(z)) * z[:3], n=4) ** 3),
}


@pytest.mark.parametrize("name", list(PEER_LOSSES))
def test_gradients_equal_autograds(name):
    autograd = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    loss = PEER_LOSSES[name]
    for z in (Z[:2].repeat(2), Z.real.repeat(2)[:4]):
        expected = autograd.grad(lambda z: loss(anp, z))(z)
        assert np.allclose(grad(lambda z: loss(np, z))(z), expected, rtol=1e-12, atol=1e-14)
    holomorphic = lambda m, z: m.exp(z) * m.sin(z) / z  # noqa: E731
    expected = autograd.holomorphic_grad(lambda z: holomorphic(anp, z))(Z[0])
    assert np.isclose(vjp(lambda z: holomorphic(np, z), Z[0])[1](1.0)[0], expected)
