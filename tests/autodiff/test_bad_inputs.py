"""Bad input to the autodiff transforms: one row per case (issue 14's catalogue).

Each row asserts the exception type, that steepest raised it at its boundary (not NumPy) and
that the message names the argument and the fix (see ``tests/_bad_input.py``).
"""

from __future__ import annotations

import numpy as np

import steepest as st
from _bad_input import assert_clear_error, case, parametrize


def f(x):
    return np.sum(x**2)


def mul(a, b):
    return a * b


X = np.array([1.0, 2.0])
NAN = float("nan")
SCALAR = ("scalar output", "jacobian(f)")
NON_NUMERIC = ("non-numeric", "pass a float array")
INTEGER = ("integer/boolean", "dtype=float")
COMPLEX = ("complex", "real and imaginary parts")
ARGNUMS_TYPE = ("argnums must be an int or a tuple of ints", "argnums=(0, 1)")
ARGNUMS_RANGE = ("argnums=", "pass the index of an argument that exists")
NOT_CALLABLE = ("f must be callable", "pass a function")
SHAPE = ("of shape (3,) for a", "give them one shape")

CASES = [
    # argnums
    case("grad argnums out of range", lambda: st.grad(f, argnums=3)(X), ValueError,
         *ARGNUMS_RANGE),
    case("grad argnums negative out of range", lambda: st.grad(f, argnums=-5)(X), ValueError,
         *ARGNUMS_RANGE),
    case("grad argnums str", lambda: st.grad(f, argnums="0"), TypeError, *ARGNUMS_TYPE),
    case("grad argnums float", lambda: st.grad(f, argnums=0.0), TypeError, *ARGNUMS_TYPE),
    case("grad argnums bool", lambda: st.grad(f, argnums=True), TypeError, *ARGNUMS_TYPE),
    case("grad argnums tuple of str", lambda: st.grad(mul, argnums=("a",)), TypeError,
         *ARGNUMS_TYPE),
    case("grad argnums repeated", lambda: st.grad(mul, argnums=(0, 0)), ValueError,
         "argnums must name each argument once", "argnums=(0, 1)"),
    case("grad argnums empty", lambda: st.grad(mul, argnums=()), ValueError,
         "at least one", "argnums=(0, 1)"),
    case("grad argnums past the arguments given", lambda: st.grad(mul, argnums=1)(1.0),
         ValueError, *ARGNUMS_RANGE),
    case("value_and_grad argnums out of range", lambda: st.value_and_grad(f, argnums=2)(X),
         ValueError, *ARGNUMS_RANGE),
    case("value_and_grad argnums str", lambda: st.value_and_grad(f, argnums="x"), TypeError,
         *ARGNUMS_TYPE),
    case("jacfwd argnums out of range", lambda: st.jacfwd(f, argnums=1)(X), ValueError,
         *ARGNUMS_RANGE),
    case("jacrev argnums out of range", lambda: st.jacrev(f, argnums=1)(X), ValueError,
         *ARGNUMS_RANGE),
    case("jacobian argnums str", lambda: st.jacobian(f, argnums="a"), TypeError, *ARGNUMS_TYPE),
    case("jacfwd argnums repeated", lambda: st.jacfwd(mul, argnums=[1, 1]), ValueError,
         "once", "argnums=(0, 1)"),
    case("hessian argnums out of range", lambda: st.hessian(f, argnums=2)(X), ValueError,
         *ARGNUMS_RANGE),
    case("hessian argnums float", lambda: st.hessian(f, argnums=1.0), TypeError, *ARGNUMS_TYPE),
    # f itself
    case("grad of a number", lambda: st.grad(3), TypeError, *NOT_CALLABLE),
    case("value_and_grad of None", lambda: st.value_and_grad(None), TypeError, *NOT_CALLABLE),
    case("jvp of None", lambda: st.jvp(None, (X,), (X,)), TypeError, *NOT_CALLABLE),
    case("vjp of a string", lambda: st.vjp("f", X), TypeError, *NOT_CALLABLE),
    case("jacfwd of None", lambda: st.jacfwd(None), TypeError, *NOT_CALLABLE),
    case("jacrev of a list", lambda: st.jacrev([f]), TypeError, *NOT_CALLABLE),
    case("hessian of None", lambda: st.hessian(None), TypeError, *NOT_CALLABLE),
    case("hvp of None", lambda: st.hvp(None, X, X), TypeError, *NOT_CALLABLE),
    case("explain of None", lambda: st.explain(None, X), TypeError, *NOT_CALLABLE),
    case("trace_graph of None", lambda: st.trace_graph(None, X), TypeError, *NOT_CALLABLE),
    case("check_grads of None", lambda: st.check_grads(None, (X,)), TypeError, *NOT_CALLABLE),
    # outputs that have no gradient
    case("grad of a vector output", lambda: st.grad(lambda x: x**2)(X), TypeError, *SCALAR),
    case("grad of a list output", lambda: st.grad(lambda x: [x[0], x[1]])(X), TypeError,
         *SCALAR),
    case("grad of None output", lambda: st.grad(lambda x: None)(X), TypeError,
         "f returned None", "real scalar"),
    case("grad of a str output", lambda: st.grad(lambda x: "a")(X), TypeError,
         "f returned the str 'a'", "real scalar"),
    case("grad of a complex output", lambda: st.grad(lambda x: np.sum(1j * x))(X), TypeError,
         "real floating-point output", "complex"),
    case("value_and_grad of a vector output", lambda: st.value_and_grad(lambda x: x)(X),
         TypeError, *SCALAR),
    case("hessian of a vector output", lambda: st.hessian(lambda x: x**2)(X), TypeError,
         *SCALAR),
    case("hvp of a vector output", lambda: st.hvp(lambda x: x**2, X, X), TypeError, *SCALAR),
    case("jvp of f returning None (was (None, None))", lambda: st.jvp(lambda x: None, (X,), (X,)),
         TypeError, "f returned None", "must return an array"),
    case("jvp of f returning a str", lambda: st.jvp(lambda x: "a", (X,), (X,)), TypeError,
         "f returned text", "must return an array"),
    case("vjp of f returning None", lambda: st.vjp(lambda x: None, X), TypeError,
         "vjp: f returned None"),
    case("jacrev of f returning None", lambda: st.jacrev(lambda x: None)(X), TypeError,
         "jacrev: f returned None", "must return an array"),
    case("jacfwd of f returning a str", lambda: st.jacfwd(lambda x: "a")(X), TypeError,
         "f returned text"),
    case("hessian of f returning None", lambda: st.hessian(lambda x: None)(X), TypeError,
         "f returned None", "real scalar"),
    case("grad has_aux without a pair", lambda: st.grad(f, has_aux=True)(X), TypeError,
         "has_aux=True", "pair (output, aux)"),
    case("vjp has_aux without a pair", lambda: st.vjp(f, X, has_aux=True), TypeError,
         "has_aux=True", "pair (output, aux)"),
    # inputs that cannot be differentiated
    case("grad at a complex array of a complex f", lambda: st.grad(f)(np.array([1 + 1j, 2.0])),
         TypeError, "real floating-point output", "vjp(f, z)[1](1.0)"),
    case("grad at an object array", lambda: st.grad(f)(np.array([1.0, None], dtype=object)),
         TypeError, *NON_NUMERIC),
    case("grad at a str", lambda: st.grad(f)("abc"), TypeError, *NON_NUMERIC),
    case("grad at a str array", lambda: st.grad(f)(np.array(["a", "b"])), TypeError,
         *NON_NUMERIC),
    case("grad at a bool array", lambda: st.grad(f)(np.array([True, False])), TypeError,
         *INTEGER),
    case("grad at an int array", lambda: st.grad(f)(np.array([1, 2])), TypeError, *INTEGER),
    case("grad at a complex leaf of a dict, complex f", lambda: st.grad(lambda t: f(t["a"]))(
        {"a": np.array([1j])}), TypeError, "real floating-point output", "holomorphic"),
    case("jacrev at a complex array", lambda: st.jacrev(lambda x: x)(1j * np.ones(2)),
         TypeError, *COMPLEX),
    case("jacfwd at a str", lambda: st.jacfwd(lambda x: x)("a"), TypeError, *NON_NUMERIC),
    case("jacfwd at an int array", lambda: st.jacfwd(lambda x: x)(np.arange(2)), TypeError,
         *INTEGER),
    case("hessian at a str", lambda: st.hessian(f)("x"), TypeError, *NON_NUMERIC),
    case("explain at a str", lambda: st.explain(f, "x"), TypeError, *NON_NUMERIC),
    case("trace_graph at a complex", lambda: st.trace_graph(f, 1j), TypeError, *COMPLEX),
    # tangents and cotangents
    case("jvp tangent of another shape", lambda: st.jvp(f, (X,), (np.ones(3),)), ValueError,
         *SHAPE),
    case("jvp more tangents than primals", lambda: st.jvp(f, (X,), (X, X)), ValueError,
         "tangents must have the structure of primals"),
    case("jvp primals not a tuple", lambda: st.jvp(f, X, X), TypeError,
         "primals and tangents as tuples", "jvp(f, (x,), (v,))"),
    case("jvp int tangent", lambda: st.jvp(f, (X,), (np.array([1, 2]),)), TypeError,
         "integer/boolean tangent", "dtype=float"),
    case("jvp complex tangent", lambda: st.jvp(f, (X,), (1j * np.ones(2),)), TypeError,
         "complex tangent", "real and imaginary parts"),
    case("jvp str tangent", lambda: st.jvp(f, (X,), ("ab",)), TypeError,
         "non-numeric tangent", "pass a float array"),
    case("vjp cotangent of another shape", lambda: st.vjp(lambda x: x**2, X)[1](np.ones(3)),
         ValueError, *SHAPE),
    case("vjp scalar cotangent for a vector", lambda: st.vjp(lambda x: x**2, X)[1](1.0),
         ValueError, "cotangent of shape ()", "give them one shape"),
    case("vjp str cotangent", lambda: st.vjp(f, X)[1]("a"), TypeError,
         "non-numeric cotangent", "pass a float array"),
    case("vjp without primals", lambda: st.vjp(f), TypeError, "vjp needs the point",
         "vjp(f, x)"),
    case("linearize tangent of another shape", lambda: st.linearize(f, X)[1](np.ones(3)),
         ValueError, *SHAPE),
    case("hvp direction of another shape", lambda: st.hvp(f, X, np.ones(3)), ValueError, *SHAPE),
    case("hvp direction a str", lambda: st.hvp(f, X, "a"), TypeError, "non-numeric tangent"),
    case("directional_derivative u of another shape",
         lambda: st.directional_derivative(f, X, np.ones(3)), ValueError, *SHAPE),
    # check_grads and finite differences
    case("check_grads misspelt mode", lambda: st.check_grads(f, (X,), modes=("fwd", "reverse")),
         ValueError, "mode must be one of 'fwd', 'rev'", "did you mean 'rev'?"),
    case("check_grads modes a str", lambda: st.check_grads(f, (X,), modes="rev"), TypeError,
         "modes must be a tuple", "modes=('rev',)"),
    case("check_grads order 0", lambda: st.check_grads(f, (X,), order=0), ValueError,
         "order must be >= 1", "pass order >= 1"),
    case("check_grads order 1.5", lambda: st.check_grads(f, (X,), order=1.5), TypeError,
         "order must be an integer", "pass an int"),
    case("check_grads eps negative", lambda: st.check_grads(f, (X,), eps=-1), ValueError,
         "eps must be a finite number > 0", "pass eps > 0"),
    case("check_grads eps nan", lambda: st.check_grads(f, (X,), eps=NAN), ValueError,
         "eps must be a finite number > 0"),
    case("check_grads rtol negative", lambda: st.check_grads(f, (X,), rtol=-1), ValueError,
         "rtol must be a finite number >= 0", "pass rtol >= 0"),
    case("check_grads atol nan", lambda: st.check_grads(f, (X,), atol=NAN), ValueError,
         "atol must be a finite number >= 0"),
    case("check_grads args an array", lambda: st.check_grads(f, X), TypeError,
         "args must be a tuple", "args=(x,)"),
    case("check_grads seed str", lambda: st.check_grads(f, (X,), seed="a"), TypeError,
         "seed must be an int", "seed=0"),
    case("check_grads str argument", lambda: st.check_grads(f, ("ab",)),
         TypeError, *NON_NUMERIC),
    case("numerical_gradient step 0", lambda: st.numerical_gradient(f, X, step=0), ValueError,
         "step must be a finite number > 0", "pass step > 0"),
    case("numerical_gradient step negative", lambda: st.numerical_gradient(f, X, step=-1.0),
         ValueError, "step must be a finite number > 0"),
    case("numerical_gradient step nan", lambda: st.numerical_gradient(f, X, step=NAN),
         ValueError, "step must be a finite number > 0"),
    case("numerical_gradient at a str", lambda: st.numerical_gradient(f, "ab"), TypeError,
         "x must be an array of real numbers"),
    case("numerical_gradient at a complex", lambda: st.numerical_gradient(f, 1j * X), TypeError,
         "x is complex", "separate real entries"),
    case("numerical_gradient at nan", lambda: st.numerical_gradient(f, [NAN, 1.0]), ValueError,
         "x contains NaN or inf", "pass finite values"),
    case("numerical_gradient of a vector function", lambda: st.numerical_gradient(
        lambda x: x, X), ValueError, "not a scalar", "numerical_jacobian(f, x)"),
    case("numerical_gradient of f returning None", lambda: st.numerical_gradient(
        lambda x: None, X), TypeError, "f returned None", "real number or array"),
    case("numerical_jacobian step 0", lambda: st.numerical_jacobian(lambda x: x, X, step=0.0),
         ValueError, "step must be a finite number > 0"),
    case("numerical_hessian step negative", lambda: st.numerical_hessian(f, X, step=-1.0),
         ValueError, "step must be a finite number > 0"),
    case("numerical_hessian grad of another length", lambda: st.numerical_hessian(
        f, X, grad=lambda x: np.ones(3)), ValueError, "grad returned an array of shape (3,)",
         "one entry per entry of x"),
    # explain, primitives
    case("explain j 0", lambda: st.explain(f, X, j=0), ValueError, "j must be >= 1"),
    case("explain j past the inputs", lambda: st.explain(f, X, j=5), ValueError, "j=5",
         "pick 1..2"),
    case("explain j str", lambda: st.explain(f, X, j="a"), TypeError, "j must be an integer"),
    case("primitive of a number", lambda: st.primitive(3), TypeError, "fun must be callable"),
    case("defvjp on a plain function", lambda: st.defvjp(np.sin, lambda g, ans, x: g),
         TypeError, "defvjp needs a Primitive", "prim = primitive(fun)"),
    case("defjvp on a plain function", lambda: st.defjvp(np.sin, lambda t, ans, x: t),
         TypeError, "defjvp needs a Primitive", "primitive(fun)"),
    case("defvjp with a rule that is not callable", lambda: st.defvjp(
        st.primitive(np.sin), 2.0), TypeError, "rule must be callable"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_valid_argnums_forms_still_work():
    g = st.grad(mul, argnums=(0, 1))(2.0, 3.0)
    assert [float(v) for v in g] == [3.0, 2.0]
    assert float(st.grad(mul, argnums=-1)(2.0, 3.0)) == 2.0
