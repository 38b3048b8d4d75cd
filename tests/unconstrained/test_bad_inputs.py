"""Bad input to ``minimize``: one row per case (issue 14, defect 8).

Each row asserts the exception type, that the message names the argument and the fix, and
that steepest raised it at its boundary (the raising frame is a file of ``src/steepest``, not
NumPy's or the user's).
"""

from __future__ import annotations

import pathlib
import re
import traceback

import numpy as np
import pytest

import steepest
from steepest import minimize
from steepest.unconstrained import BFGS

ROOT = pathlib.Path(steepest.__file__).resolve().parent
X0 = np.array([1.0, 2.0])


def sq(x):
    return x @ x


def sq_grad(x):
    return 2 * x


def _min(fun=sq, x0=X0, **kw):
    return lambda: minimize(fun, x0, **kw)


# (id, call, exception type, regex naming the argument, regex naming the fix)
CASES = [
    ("option-misspelt", _min(options={"maxiters": 5}), ValueError,
     r"unknown option 'maxiters' for method 'bfgs'", r"did you mean 'maxiter'\?"),
    ("option-misspelt-line-search", _min(options={"c3": 0.5}), ValueError,
     r"unknown option 'c3' for method 'bfgs'", r"valid options are \[.*'c1'.*'maxiter'"),
    ("option-misspelt-lbfgs", _min(method="lbfgs", options={"mm": 5}), ValueError,
     r"unknown option 'mm' for method 'lbfgs'", r"did you mean 'm'\?"),
    ("option-misspelt-gd", _min(method="gd", options={"step-size": 0.1}), ValueError,
     r"unknown option 'step-size' for method 'gd'", r"did you mean 'step_size'\?"),
    ("options-not-a-dict", _min(options=[("maxiter", 5)]), TypeError,
     r"options must be a dict", r"options=\{'maxiter': 100\}"),
    ("option-on-solver-object", _min(method=BFGS(), options={"m": 3}), ValueError,
     r"unknown option 'm' for a BFGS solver object", r"constructor"),
    ("hess-unknown-scheme", _min(method="newton", hess="4-point"), ValueError,
     r"hess='4-point'", r"'2-point', '3-point'"),
    ("hess-not-callable", _min(method="newton", hess=5), TypeError,
     r"hess must be callable", r"'2-point'"),
    ("hessp-wrong-length", _min(method="newton-cg", jac=sq_grad,
                                hessp=lambda x, p: np.ones(3)), ValueError,
     r"hessp returned 3 entries", r"hessp must return an array .*shape of x"),
    ("fun-returns-none-jac", _min(fun=lambda x: None, jac=sq_grad), TypeError,
     r"fun returned None", r"must return a real scalar"),
    ("fun-returns-none-autodiff", _min(fun=lambda x: None), TypeError,
     r"fun returned None", r"must return a real scalar"),
    ("fun-returns-none-2-point", _min(fun=lambda x: None, jac="2-point"), TypeError,
     r"fun returned None", r"must return a real scalar"),
    ("fun-returns-str-jac", _min(fun=lambda x: "1.0", jac=sq_grad), TypeError,
     r"fun returned the str '1.0'", r"real scalar .*float\(\.\.\.\)"),
    ("fun-returns-str-autodiff", _min(fun=lambda x: "1.0"), TypeError,
     r"fun returned the str '1.0'", r"real scalar"),
    ("fun-returns-complex-jac", _min(fun=lambda x: 1 + 1j, jac=sq_grad), TypeError,
     r"fun returned a complex value", r"real part or its modulus"),
    ("fun-returns-np-complex", _min(fun=lambda x: np.complex128(1 + 2j), jac=sq_grad),
     TypeError, r"fun returned a complex value", r"real part or its modulus"),
    ("fun-returns-complex-autodiff", _min(fun=lambda x: 1j * (x @ x)), TypeError,
     r"fun returned a complex value", r"real part or its modulus"),
    ("fun-returns-dict", _min(fun=lambda x: {"f": 1.0}, jac=sq_grad), TypeError,
     r"fun returned dict", r"must return a real scalar"),
    ("x0-complex", _min(x0=np.array([1 + 1j, 2.0])), TypeError,
     r"x0 is complex", r"real and imaginary parts as separate real entries"),
    ("x0-complex-list", _min(x0=[1 + 1j, 2.0]), TypeError,
     r"x0 is complex", r"separate real entries"),
    ("x0-complex-in-pytree", _min(fun=lambda t: t["a"] @ t["a"], x0={"a": np.array([1j, 1.0])}),
     TypeError, r"x0 is complex", r"separate real entries"),
    ("x0-string", _min(x0="abc"), TypeError,
     r"x0 must be a real array .*got str 'abc'", r"np\.array\(\[1\.0, 2\.0\]\)"),
    ("x0-numeric-string", _min(x0="1.0"), TypeError,
     r"x0 must be a real array .*got str", r"np\.array"),
    ("x0-string-array", _min(x0=np.array(["a", "b"])), TypeError,
     r"x0 must hold real numbers, got dtype <U1", r"float array"),
    ("x0-object-array", _min(x0=np.array([1.0, None], dtype=object)), TypeError,
     r"x0 must hold real numbers, got dtype object", r"float array"),
    ("x0-none", _min(x0=None), TypeError, r"x0 must be a real array .*NoneType", r"np\.array"),
    ("method-misspelt", _min(method="bfgss"), ValueError, r"unknown method 'bfgss'",
     r"did you mean 'bfgs'\?"),
    ("tol-negative-named-tol", _min(tol=-1), ValueError, r"tol must be a finite number >= 0",
     r"it sets options\['gtol'\]"),
    ("jac-returns-none", _min(jac=lambda x: None), TypeError, r"jac returned None",
     r"return. statement missing"),
    ("line-search-misspelt", _min(options={"line_search": "wolf"}), ValueError,
     r"unknown line search 'wolf'", r"did you mean 'wolfe'\?"),
]


def _raising_file(exc: BaseException) -> pathlib.Path:
    return pathlib.Path(traceback.extract_tb(exc.__traceback__)[-1].filename).resolve()


@pytest.mark.parametrize(("call", "exc_type", "names_arg", "names_fix"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_bad_input_is_named_with_its_fix(call, exc_type, names_arg, names_fix):
    with pytest.raises(exc_type) as info:
        call()
    message = str(info.value)
    assert re.search(names_arg, message), message
    assert re.search(names_fix, message), message
    assert ROOT in _raising_file(info.value).parents, _raising_file(info.value)


def test_catalogue_ids_are_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))
