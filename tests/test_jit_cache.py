"""``minimize(options={"jit": True})`` reuses the compiled objective of an earlier call only
while nothing the function reads has changed (:mod:`steepest._jit_cache`)."""

from __future__ import annotations

import functools
import gc
import types
import weakref

import numpy as np
import pytest

import steepest as st
from steepest._jit_cache import compiled_objective, fingerprint

_CENTRE = 1.0
_TARGET = np.array([1.0, -2.0, 0.5])
_SETTINGS = [1.0]


def _shifted(x):
    return np.sum((x - _CENTRE) ** 2) + 0.1 * np.sum(x ** 4)


def _toward_target(x):
    return np.sum((x - 2.0 * _TARGET) ** 2)  # 2 * _TARGET: a constant of the recording


def _helper(x):
    return (x - _CENTRE) ** 2


def _through_helper(x):
    return np.sum(_helper(x))


def _reads_a_list(x):
    return np.sum((x - _SETTINGS[0]) ** 2)


class _Scale:
    factor = 1.0


def _reads_a_class_attribute(x):
    return np.sum((x - _Scale.factor) ** 2)


def _solve(f, n=3):
    return st.minimize(f, np.zeros(n), method="BFGS", options={"jit": True})


def test_a_second_call_reuses_the_compiled_functions_and_gives_the_same_bits():
    first = compiled_objective(_shifted, products=True)
    assert compiled_objective(_shifted, products=True)[0] is first[0]
    assert compiled_objective(_shifted, products=True)[1] is first[1]
    a, b = _solve(_shifted), _solve(_shifted)
    np.testing.assert_array_equal(a.x, b.x)
    assert (a.nit, a.nfev, a.fun) == (b.nit, b.nfev, b.fun)
    eager = st.minimize(_shifted, np.zeros(3), method="BFGS")
    np.testing.assert_array_equal(a.x, eager.x)


def test_a_rebound_global_scalar_compiles_afresh():
    global _CENTRE
    before = compiled_objective(_shifted, products=False)[0]
    x_before = _solve(_shifted).x
    _CENTRE = 3.0
    try:
        assert compiled_objective(_shifted, products=False)[0] is not before
        res = _solve(_shifted)
        eager = st.minimize(_shifted, np.zeros(3), method="BFGS")
        np.testing.assert_array_equal(res.x, eager.x)
        assert not np.allclose(res.x, x_before)
    finally:
        _CENTRE = 1.0


def test_a_global_read_by_a_called_helper_is_followed():
    global _CENTRE
    x1 = _solve(_through_helper).x
    np.testing.assert_allclose(x1, 1.0, atol=1e-5)
    _CENTRE = -2.0
    try:
        np.testing.assert_allclose(_solve(_through_helper).x, -2.0, atol=1e-5)
    finally:
        _CENTRE = 1.0


def test_an_array_written_in_place_between_calls_compiles_afresh():
    np.testing.assert_allclose(_solve(_toward_target).x, 2 * _TARGET, atol=1e-5)
    saved = _TARGET.copy()
    _TARGET[:] = [4.0, 4.0, -4.0]
    try:
        np.testing.assert_allclose(_solve(_toward_target).x, 2 * _TARGET, atol=1e-5)
    finally:
        _TARGET[:] = saved


def test_a_closure_over_an_array_written_in_place():
    a = np.array([2.0, -1.0])

    def f(x):
        return np.sum((x - a * a) ** 2)

    np.testing.assert_allclose(_solve(f, 2).x, [4.0, 1.0], atol=1e-5)
    a *= -3.0
    np.testing.assert_allclose(_solve(f, 2).x, [36.0, 9.0], atol=1e-4)


def test_mutable_state_is_not_fingerprinted_and_stays_correct():
    assert fingerprint(_reads_a_list) is None
    np.testing.assert_allclose(_solve(_reads_a_list).x, 1.0, atol=1e-5)
    _SETTINGS[0] = 5.0
    try:
        np.testing.assert_allclose(_solve(_reads_a_list).x, 5.0, atol=1e-5)
    finally:
        _SETTINGS[0] = 1.0


@pytest.mark.parametrize("fun", [functools.partial(lambda x, c: np.sum((x - c) ** 2), c=1.0),
                                 np.sum])
def test_callables_that_are_not_plain_functions_compile_per_call(fun):
    assert fingerprint(fun) is None
    assert compiled_objective(fun, products=False)[0] is not \
        compiled_objective(fun, products=False)[0]


def test_the_cache_does_not_keep_the_function_alive():
    def f(x):
        return np.sum(x ** 2)

    _solve(f)
    ref = weakref.ref(f)
    del f
    gc.collect()
    assert ref() is None


def test_a_user_class_or_module_is_not_taken_by_identity():
    # their attributes may be rebound between calls: compiled afresh every time, never stale
    assert fingerprint(_reads_a_class_attribute) is None
    first = _solve(_reads_a_class_attribute).x
    _Scale.factor = 3.0
    try:
        np.testing.assert_allclose(_solve(_reads_a_class_attribute).x, 3.0, atol=1e-5)
        np.testing.assert_allclose(first, 1.0, atol=1e-5)
    finally:
        _Scale.factor = 1.0
    mod = types.ModuleType("user_settings")
    mod.centre = 2.0

    def reads_a_module(x):
        return np.sum((x - mod.centre) ** 2)

    assert fingerprint(reads_a_module) is None
    assert fingerprint(_shifted) is not None  # numpy (a library module) by identity
