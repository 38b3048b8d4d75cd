"""Property tests: random compositions of primitives differentiate like finite differences,
and forward and reverse mode agree exactly enough."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from steepest.autodiff import check_grads, grad, jacfwd, jacrev

UNARY = {
    "sin": np.sin, "tanh": np.tanh, "exp-scaled": lambda x: np.exp(0.3 * x),
    "softplus-ish": lambda x: np.logaddexp(0.0, x), "square": np.square,
    "cube": lambda x: x**3 / 3.0, "atan": np.arctan, "abs-smooth": lambda x: np.sqrt(x**2 + 1.0),
}
BINARY = {
    "add": np.add, "mul": np.multiply, "hypot": np.hypot, "max": np.maximum,
    "div": lambda a, b: a / (1.5 + np.cos(b)),
}
REDUCE = {"sum": np.sum, "mean": np.mean, "lse": lambda x: np.log(np.sum(np.exp(x))),
          "norm": np.linalg.norm}

steps = st.lists(st.tuples(st.sampled_from(sorted(UNARY)), st.sampled_from(sorted(BINARY)),
                           st.integers(0, 3)), min_size=1, max_size=4)


def build(program, reduce_name):
    def f(x):
        h = x
        for un, bi, shift in program:
            h = BINARY[bi](UNARY[un](h), np.roll(x, shift))
        return REDUCE[reduce_name](h)

    return f


@given(program=steps, reduce_name=st.sampled_from(sorted(REDUCE)),
       seed=st.integers(0, 2**16))
def test_random_programs_pass_check_grads(program, reduce_name, seed):
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, 4)
    f = build(program, reduce_name)
    check_grads(f, (x,), order=1, rtol=1e-4, atol=1e-5)


@given(program=steps, seed=st.integers(0, 2**16))
def test_forward_and_reverse_jacobians_agree(program, seed):
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, 3)

    def f(x):
        h = x
        for un, bi, shift in program:
            h = BINARY[bi](UNARY[un](h), np.roll(x, shift))
        return h

    np.testing.assert_allclose(jacfwd(f)(x), jacrev(f)(x), rtol=1e-10, atol=1e-12)
    g = grad(lambda z: np.sum(f(z)))(x)
    np.testing.assert_allclose(g, jacrev(f)(x).sum(axis=0), rtol=1e-10, atol=1e-12)
