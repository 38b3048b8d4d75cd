"""The constrained driver's boundary: method names and a Hessian built from ``hessp``."""

from pathlib import Path

import numpy as np
import pytest

import steepest
from steepest.constrained import Eq, Ineq, minimize_constrained

STEEPEST = Path(steepest.__file__).parent
LINE = Eq(lambda x: x[0] + x[1] - 1.0)


def f(x):
    return float(np.sum((x - 2.0) ** 2))


@pytest.mark.parametrize("method, closest", [("sqpp", "sqp"), ("sq", "sqp"),
                                             ("augmented-lagrangain", "augmented-lagrangian"),
                                             ("projected_gradient", "projected-gradient"),
                                             ("lbgfs", "lbfgs")])
def test_a_misspelt_method_lists_the_valid_ones_and_suggests_the_closest(method, closest):
    with pytest.raises(ValueError) as info:
        minimize_constrained(f, np.zeros(2), method=method, constraints=[LINE])
    message = str(info.value)
    assert f"did you mean {closest!r}?" in message
    assert all(name in message for name in ("'al'", "'sqp'", "'projected-gradient'"))
    assert Path(str(info.traceback[-1].path)).is_relative_to(STEEPEST)


@pytest.mark.parametrize("length", [1, 3])
@pytest.mark.parametrize("method", ["sqp", "newton"])  # the methods that use ∇²f
def test_a_hessp_of_the_wrong_length_is_named_as_hessp(method, length):
    """Issue 14: it was reported as "hess must return an (2, 2) matrix"."""
    with pytest.raises(ValueError) as info:
        steepest.minimize(f, np.zeros(2), method=method, jac=lambda x: 2.0 * (x - 2.0),
                          hessp=lambda x, p: np.ones(length),
                          constraints=[Ineq(lambda x: 1.0 - x @ x)])
    message = str(info.value)
    assert message.startswith("hessp must return a vector of shape (2,)")
    assert f"got shape ({length},)" in message and "hess must" not in message


def test_a_right_hessp_gives_the_hessian_it_stands_for():
    """The columns ∇²f e_i of a correct hessp solve the problem as hess does."""
    kw = dict(method="sqp", jac=lambda x: 2.0 * (x - 2.0), constraints=[LINE])
    by_hessp = steepest.minimize(f, np.zeros(2), hessp=lambda x, p: 2.0 * p, **kw)
    by_hess = steepest.minimize(f, np.zeros(2), hess=lambda x: 2.0 * np.eye(2), **kw)
    assert by_hessp.success and np.allclose(by_hessp.x, [0.5, 0.5], atol=1e-8)
    assert np.array_equal(by_hessp.x, by_hess.x)
