"""Robust losses: ρ′ and ρ″ are the derivatives of ρ; the rescaling gives the cost's gradient."""

import numpy as np
import pytest

from steepest.fitting.losses import LOSSES, make_loss, rescale

Z = np.array([0.0, 0.3, 0.9, 1.1, 4.0, 30.0])


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_first_and_second_derivatives_match_central_differences(name):
    rho = LOSSES[name]
    z = Z[1:] + 1e-3  # off the huber kink at z = 1
    h = 1e-6
    d1 = (rho(z + h)[0] - rho(z - h)[0]) / (2 * h)
    d2 = (rho(z + h)[1] - rho(z - h)[1]) / (2 * h)
    np.testing.assert_allclose(rho(z)[1], d1, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(rho(z)[2], d2, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_every_loss_is_least_squares_near_zero(name):
    out = LOSSES[name](np.array([0.0, 1e-9]))
    np.testing.assert_allclose(out[:, 0], [0.0, 1.0, out[2, 0]])
    assert out[0, 1] == pytest.approx(1e-9, rel=1e-6)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_rescaled_model_gradient_is_the_robust_cost_gradient(name):
    rng = np.random.default_rng(7)
    A, b = rng.standard_normal((12, 3)), 3.0 * rng.standard_normal(12)
    loss = make_loss(name, 0.7)
    x = rng.standard_normal(3)
    f_hat, J_hat = rescale(loss, A @ x - b, A)
    cost = lambda y: loss.cost(A @ y - b)  # noqa: E731
    h = 1e-6
    num = np.array([(cost(x + h * e) - cost(x - h * e)) / (2 * h) for e in np.eye(3)])
    np.testing.assert_allclose(J_hat.T @ f_hat, num, rtol=1e-6, atol=1e-8)


def test_unknown_and_malformed_losses():
    with pytest.raises(ValueError, match="did you mean 'cauchy'"):
        make_loss("cauchi", 1.0)
    with pytest.raises(TypeError, match="loss must be a name or a callable"):
        make_loss(3, 1.0)
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        make_loss(lambda z: z, 1.0)(np.ones(2))
