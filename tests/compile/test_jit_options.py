"""``minimize(..., options={"jit": True})`` and ``train.fit(..., jit=True)``: the same
iterates as eager autodiff, bit for bit, and clear errors for a non-bool switch."""

import numpy as np
import pytest

import steepest as st


def rosen(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


@pytest.mark.parametrize("method", ["bfgs", "l-bfgs", "newton-cg", "cg"])
def test_minimize_with_jit_follows_the_eager_iterates(method):
    x0 = np.array([-1.2, 1.0])
    eager = st.minimize(rosen, x0, method=method)
    jitted = st.minimize(rosen, x0, method=method, options={"jit": True})
    assert jitted.nit == eager.nit
    np.testing.assert_array_equal(jitted.x, eager.x)
    assert jitted.fun == eager.fun


def test_minimize_jit_keeps_a_given_gradient_and_args():
    def f(x, a):
        return np.sum((x - a) ** 2)

    a = np.array([1.0, -2.0, 3.0])
    res = st.minimize(f, np.zeros(3), args=(a,), jac=lambda x, a: 2 * (x - a),
                      options={"jit": True})
    np.testing.assert_allclose(res.x, a, atol=1e-6)
    res = st.minimize(f, np.zeros(3), args=(a,), options={"jit": True})
    np.testing.assert_allclose(res.x, a, atol=1e-6)


def test_minimize_jit_must_be_bool():
    with pytest.raises(TypeError, match=r"options\['jit'\]"):
        st.minimize(rosen, np.zeros(2), options={"jit": "yes"})


def test_fit_with_jit_equals_eager_fit():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 5))
    y = X @ rng.standard_normal(5)

    def loss(w, batch):
        xb, yb = batch
        return np.mean((xb @ w - yb) ** 2)

    runs = [st.train.fit(loss, np.zeros(5), (X, y), st.optimizers.adam(0.05), epochs=3,
                         batch_size=64, progress=False, jit=j) for j in (False, True)]
    np.testing.assert_array_equal(runs[0].params, runs[1].params)
    assert list(runs[0].history["loss"]) == list(runs[1].history["loss"])
    with pytest.raises(TypeError, match="jit must be True or False"):
        st.train.fit(loss, np.zeros(5), (X, y), st.optimizers.adam(0.05), epochs=1,
                     progress=False, jit="on")
