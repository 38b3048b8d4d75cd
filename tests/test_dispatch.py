"""The one dispatch table: what it maps, and the invariant the traced fast paths rely on."""

import operator

import numpy as np
import pytest

import steepest as st
from steepest._dispatch import TRACED, implements, is_traced, register_override, traceable
from steepest.autodiff import grad
from steepest.autodiff.arraylike import _NOT_PRIMITIVE, Composite, NonDifferentiable
from steepest.autodiff.primitives import Primitive


def test_every_ufunc_maps_to_a_primitive_or_a_non_differentiable_call():
    ufuncs = {key: impl for key, impl in TRACED.items() if isinstance(key, np.ufunc)}
    assert np.sin in ufuncs and np.floor in ufuncs and np.matmul in ufuncs
    for key, impl in ufuncs.items():
        # a Composite (np.frexp's two outputs, an unsupported scipy ufunc's error) is called,
        # never recorded: the fast path of __array_ufunc__ skips it like NonDifferentiable
        assert isinstance(impl, (Primitive, NonDifferentiable, Composite)), key
    assert isinstance(ufuncs[np.frexp], Composite) and Composite in _NOT_PRIMITIVE


def test_numpy_functions_numerics_and_indexing_share_the_table():
    for public in (np.sum, np.reshape, np.linalg.solve, np.argmax, operator.getitem,
                   st.softmax, st.logsumexp, st.cross_entropy):
        assert public in TRACED, public


def test_non_differentiable_entries_return_plain_values_inside_a_trace():
    seen = []

    def f(x):
        seen.append((np.floor(x), np.argmax(np.stack([x, 2 * x])), np.isfinite(x)))
        return x * x

    assert float(grad(f)(1.5)) == 3.0
    assert not any(is_traced(v) for v in seen[0])
    assert float(seen[0][0]) == 1.0 and int(seen[0][1]) == 1


def test_traceable_routes_traced_calls_to_the_registered_implementation():
    calls = []
    double = traceable(lambda x: 2.0 * x)
    register_override(double, lambda x: calls.append("traced") or 2.0 * x)
    try:
        assert double(3.0) == 6.0 and calls == []
        assert float(grad(double)(3.0)) == 2.0 and calls == ["traced"]
    finally:
        TRACED.pop(double)


def test_register_override_needs_a_traceable_function_and_implements_registers():
    with pytest.raises(TypeError, match="traceable"):
        register_override(len, len)
    marker = object()
    try:
        assert implements(marker)(len) is len and TRACED[marker] is len
    finally:
        TRACED.pop(marker)
