"""curve_fit: the same popt and pcov as scipy.optimize.curve_fit, its conventions and errors."""


import numpy as np
import pytest
import scipy.optimize as so

from steepest.fitting import curve_fit

TIGHT = {"ftol": 1e-12, "xtol": 1e-12, "gtol": 1e-12}


def decay(x, a, b, c):
    return a * np.exp(-b * x) + c


def _data(seed=0, m=60):
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 4.0, m)
    sigma = 0.05 + 0.02 * x
    return x, decay(x, 2.5, 1.3, 0.5) + sigma * rng.standard_normal(m), sigma


@pytest.mark.parametrize("options", [
    {},
    {"sigma": "1d"},
    {"sigma": "1d", "absolute_sigma": True},
    {"sigma": "2d"},
    {"bounds": ([0.0, 0.0, -1.0], [10.0, 5.0, 2.0])},
    {"method": "trf"},
])
def test_popt_and_pcov_equal_scipys_on_an_exponential_decay(options):
    x, y, sigma = _data()
    options = dict(options)
    if options.get("sigma") == "1d":
        options["sigma"] = sigma
    elif options.get("sigma") == "2d":
        rho = 0.3 ** np.abs(np.subtract.outer(np.arange(x.size), np.arange(x.size)))
        options["sigma"] = np.outer(sigma, sigma) * rho
    popt, pcov = curve_fit(decay, x, y, p0=[1.0, 1.0, 1.0], **options, **TIGHT)
    ref_popt, ref_pcov = so.curve_fit(decay, x, y, p0=[1.0, 1.0, 1.0], **options, **TIGHT)
    np.testing.assert_allclose(popt, ref_popt, rtol=1e-8)
    np.testing.assert_allclose(pcov, ref_pcov, rtol=1e-6, atol=1e-6 * np.abs(ref_pcov).max())


def test_pcov_is_the_scaled_inverse_gauss_newton_hessian():
    x, y, _ = _data(seed=1)
    popt, pcov = curve_fit(decay, x, y, p0=[1.0, 1.0, 1.0], **TIGHT)
    J = np.stack([np.exp(-popt[1] * x), -popt[0] * x * np.exp(-popt[1] * x), np.ones_like(x)], 1)
    r = decay(x, *popt) - y
    np.testing.assert_allclose(pcov, np.linalg.inv(J.T @ J) * (r @ r) / (x.size - 3), rtol=1e-6)


def test_user_jacobian_is_weighted_like_the_residuals():
    x, y, sigma = _data(seed=2)

    def jac(t, a, b, c):
        e = np.exp(-b * t)
        return np.stack([e, -a * t * e, np.ones_like(t)], axis=1)

    popt, pcov = curve_fit(decay, x, y, p0=[1, 1, 1], sigma=sigma, jac=jac, **TIGHT)
    ref_popt, ref_pcov = so.curve_fit(decay, x, y, p0=[1, 1, 1], sigma=sigma, jac=jac, **TIGHT)
    np.testing.assert_allclose(popt, ref_popt, rtol=1e-8)
    np.testing.assert_allclose(pcov, ref_pcov, rtol=1e-6)


def test_p0_defaults_to_ones_counted_from_the_signature():
    x = np.linspace(0.0, 1.0, 20)
    popt, _ = curve_fit(lambda t, a, b: a * t + b, x, 3.0 * x - 1.0)
    np.testing.assert_allclose(popt, [3.0, -1.0], atol=1e-10)
    with pytest.raises(ValueError, match="pass p0"):
        curve_fit(lambda *p: p[0], x, x)


def test_default_start_respects_the_bounds():
    x = np.linspace(0.0, 1.0, 20)
    popt, _ = curve_fit(lambda t, a, b: a * t + b, x, 3.0 * x + 4.0, bounds=([2, 3], [5, 10]))
    np.testing.assert_allclose(popt, [3.0, 4.0], atol=1e-8)


def test_no_spare_data_point_gives_inf_pcov_with_scipys_warning():
    x = np.array([0.0, 1.0])
    with pytest.warns(so.OptimizeWarning, match="could not be estimated"):
        _, pcov = curve_fit(lambda t, a, b: a * t + b, x, [1.0, 3.0])
    assert np.all(np.isinf(pcov))


def test_full_output_reports_evaluations_and_residuals():
    x, y, _ = _data()
    popt, _, info, mesg, ier = curve_fit(decay, x, y, p0=[1, 1, 1], full_output=True)
    np.testing.assert_allclose(info["fvec"], decay(x, *popt) - y)
    assert info["nfev"] > 0 and ier in (1, 2, 3, 4) and "converged" in mesg


def test_not_converging_raises_runtime_error():
    x, y, _ = _data()
    with pytest.raises(RuntimeError, match="optimal parameters not found"):
        curve_fit(decay, x, y, p0=[1, 1, 1], maxfev=2)
