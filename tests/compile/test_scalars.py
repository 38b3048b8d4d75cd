"""The scalar lowering of tiny recordings (``compile/scalars.py``): the same bits as eager
evaluation and as the NumPy replay — values, gradients, Hessians, signed zeros, overflow,
division by zero — float32 and complex never lowered, guards and re-tracing intact."""

import warnings

import numpy as np
import pytest
from tests.autodiff.test_rules import CASES

import steepest as st
from steepest.compile import JitWarning
from steepest.compile.replay import compile_program
from steepest.compile.scalars import lower_scalars


def rosen(x):
    return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2


rng = np.random.default_rng(12)
SPECIAL = [[0.0, 0.0], [-0.0, -0.0], [-0.0, 0.0], [1e200, 1e200], [np.nan, 1.0],
           [np.inf, 1.0], [5e-324, -5e-324], [-1.2, 1.0], [1e154, -3.0]]
POINTS = [np.array(p) for p in SPECIAL] + list(rng.uniform(-3, 3, (60, 2)))


def _same_bits(a, b, nan_sign=True):
    """Same types, shapes, dtypes and bits (signed zeros too); ``nan_sign=False``: any NaN
    equals any NaN (eager and replay may order a NaN's operands differently)."""
    la, lb = st.tree.tree_leaves(a), st.tree.tree_leaves(b)
    assert len(la) == len(lb)
    for x, y in zip(la, lb):
        assert type(x) is type(y), (x, y)
        x, y = np.array(x), np.array(y)
        assert x.shape == y.shape and x.dtype == y.dtype, (x, y)
        if not nan_sign and x.dtype.kind in "fc":
            both = np.isnan(x) & np.isnan(y)
            x[both], y[both] = np.nan, np.nan
        assert x.tobytes() == y.tobytes(), (x, y)


def _run(fn, *args):
    """(result or exception type, the RuntimeWarnings raised)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            out = fn(*args)
        except Exception as e:  # noqa: BLE001 — the same failure is the expected behaviour
            out = type(e)
    return out, sorted({str(w.message) for w in seen if w.category is RuntimeWarning})


def _lowered(jf, *args):
    return [compile_program(r).lowered for r in jf.recordings(*args)]


@pytest.mark.parametrize("transform", [None, st.grad, st.value_and_grad, st.hessian],
                         ids=["f", "grad", "value_and_grad", "hessian"])
def test_rosenbrock_is_lowered_and_bit_identical_to_eager(transform):
    fn = rosen if transform is None else transform(rosen)
    # eager steepest: for f itself its value under a transform (x[0] ** 2 is the power
    # primitive, NumPy's square, as in the replay; plain NumPy's float64 ** 2 is C pow)
    eager = (lambda x: st.value_and_grad(rosen)(x)[0]) if transform is None else fn
    jf = st.jit(fn, rewrite=False)
    jf(POINTS[-1])
    (rec,) = jf.recordings(POINTS[-1])
    numpy_replay = compile_program(rec, lower=False).plain
    assert compile_program(rec).lowered
    for x in POINTS:
        (got, w_jit), (want, _) = _run(jf, x), _run(eager, x)
        _same_bits(got, want, nan_sign=False)
        (replayed, w_numpy) = _run(numpy_replay, x)
        _same_bits([got] if transform is None else got, replayed)
        assert w_jit == w_numpy  # overflow/invalid: the NumPy replay ran, NumPy's warnings
    assert jf.traces == 1


def test_rewritten_recording_lowered_equals_its_numpy_replay():
    for transform in (st.grad, st.hessian):
        jf = st.jit(transform(rosen))  # rewrite=True
        jf(POINTS[0])
        rec = jf.recordings(POINTS[0])[0]
        low, plain = compile_program(rec), compile_program(rec, lower=False)
        assert low.lowered and not plain.lowered
        for x in POINTS:
            _same_bits(_run(low.plain, x)[0], _run(plain.plain, x)[0])


def _catalogue_programs():
    """(case name, plain inputs, lowered program, NumPy program) for every recording of the
    rule catalogue that is lowered: its value and its jit(grad)."""
    found = []
    for name, f, args in CASES:
        def loss(*a, f=f):
            return sum(np.sum(np.real(leaf)) for leaf in st.tree.tree_leaves(f(*a)))

        for fn in (f, st.grad(loss, argnums=tuple(range(len(args))))):
            jf = st.jit(fn, rewrite=False)
            with np.errstate(all="ignore"):
                jf(*args)
            for rec in jf.recordings(*args):
                prog = compile_program(rec)
                if prog.lowered:
                    found.append((name, args, prog, compile_program(rec, lower=False)))
    return found


def test_every_lowered_catalogue_recording_equals_the_numpy_replay_bitwise():
    found = _catalogue_programs()
    assert len(found) >= 60  # unary, binary, broadcast, reshape, indexing, np.array(...)
    for name, args, low, plain in found:
        for scale in (1.0, 0.9, -1.1, 0.0, 1e300, np.inf, np.nan):
            point = [np.asarray(a) * scale for a in args]
            point = [p if isinstance(a, np.ndarray) else type(a)(p) for p, a in zip(point, args)]
            (got, w1), (want, w2) = _run(low.plain, *point), _run(plain.plain, *point)
            if isinstance(want, type):
                assert got is want, name
                continue
            _same_bits(got, want)
            finite = all(np.all(np.isfinite(v)) for v in st.tree.tree_leaves(want))
            # a non-finite output comes from the NumPy replay, with its warnings; a finite
            # one may skip an overflow the NumPy replay computes but does not need
            assert set(w1) <= set(w2) and (finite or w1 == w2), name


def test_float32_complex_and_float32_constants_are_not_lowered():
    cases = [
        (rosen, np.array([-1.2, 1.0], dtype=np.float32)),
        (st.grad(rosen), np.array([-1.2, 1.0], dtype=np.float32)),
        (lambda x: x[0] * x[1] + 1j * x[0], np.array([-1.2, 1.0])),
        (lambda x: x[0] * x[1], np.array([1 + 2j, 3 - 1j])),
        (lambda x: x[0] * np.float32(0.1) + x[1], np.array([-1.2, 1.0])),
        (lambda x: x[0] * x[1], np.array([3, 4])),
    ]
    for fn, x in cases:
        jf = st.jit(fn, rewrite=False)
        for point in (x, x * 3):
            _same_bits(jf(point), fn(point))
        assert _lowered(jf, x) == [False]


def test_division_by_zero_and_sqrt_of_negative_fall_back_with_numpys_warnings():
    def f(x):
        return x[0] / x[1] + np.sqrt(x[0]) * x[1]

    jf = st.jit(f, rewrite=False)
    jf(np.array([1.0, 2.0]))
    assert _lowered(jf, np.array([1.0, 2.0])) == [True]
    for x in ([4.0, 2.0], [1.0, 0.0], [-1.0, 0.0], [-4.0, 2.0], [0.0, 0.0], [np.nan, 1.0]):
        (got, w_jit), (want, w_eager) = _run(jf, np.array(x)), _run(f, np.array(x))
        _same_bits(got, want)
        assert w_jit == w_eager
    assert _run(jf, np.array([1.0, 0.0]))[1] == ["divide by zero encountered in scalar divide"]


def test_intermediate_overflow_with_a_finite_output_keeps_the_bits():
    def f(x):
        return 1.0 / (x[0] * x[0]) - x[1] / (x[1] * 1e300)

    jf = st.jit(st.value_and_grad(f), rewrite=False)
    for x in ([1e200, 2.0], [3.0, 1e10], [-1e-170, 1.0]):
        x = np.array(x)
        with np.errstate(all="ignore"):
            _same_bits(jf(x), st.value_and_grad(f)(x))


def test_signed_zeros_survive_the_output_assembly():
    """The backward of indexing scatter-adds into one buffer (``acc[idx] += g``, the cells
    outside ``idx`` keep a ``-0.0``), eagerly and in both replays: the lowered one, the NumPy
    one and eager grad have the same bits, signed zeros included."""
    for f in (lambda x: x[0] * x[1] - x[2], lambda x: x[0] * x[1]):
        jg = st.jit(st.grad(f), rewrite=False)
        jg(np.ones(3))
        (rec,) = jg.recordings(np.ones(3))
        numpy_replay = compile_program(rec, lower=False).plain
        for x in ([-0.0, -0.0, 0.0], [0.0, -0.0, -0.0], [-0.0, 0.0, 1.0], [-0.0, -0.0, -0.0]):
            x = np.array(x)
            _same_bits(jg(x), numpy_replay(x)[0])
            assert np.array_equal(jg(x), st.grad(f)(x))
            _same_bits(jg(x), st.grad(f)(x))
        assert _lowered(jg, np.zeros(3)) == [True]


def test_square_and_sqrt_round_like_numpys():
    """``x ** 2`` → ``x * x`` and ``sqrt`` → ``math.sqrt``: on 4800 random values (C ``pow``
    would differ from NumPy's square on about one in a thousand)."""
    x16 = rng.uniform(0.0, 3.0, (300, 16))
    fns = [lambda x: x ** 2, np.square, lambda x: x ** 0.5, np.sqrt,
           lambda x: np.sqrt(x * 3.0) - x ** 2 / 7.0]
    for fn in fns:
        jf = st.jit(fn, rewrite=False)
        for x in x16:
            _same_bits(jf(x), fn(x))
        assert _lowered(jf, x16[0]) == [True]


def test_python_float_input_and_input_returned_as_output():
    jf = st.jit(lambda t: t * t - 3.0 * t, rewrite=False)
    assert jf(1.5) == 1.5 * 1.5 - 4.5 and _lowered(jf, 1.5) == [True]
    _same_bits(jf(2.5), compile_program(jf.recordings(1.5)[0], lower=False).plain(2.5)[0])
    _same_bits(st.jit(st.hessian(lambda t: t ** 2 * np.exp(t)))(0.5),
               st.hessian(lambda t: t ** 2 * np.exp(t))(0.5))
    x = np.array([1.0, 2.0])
    jid = st.jit(lambda v: (v, v[0] * 2.0), rewrite=False)
    out = jid(x)
    assert out[0] is x and out[1] == 2.0 and _lowered(jid, x) == [True]


def test_guards_and_retracing_on_the_lowered_path():
    def f(x):
        if x[0] > 0:
            return x[0] * x[1]
        return x[0] - x[1]

    jf = st.jit(st.value_and_grad(f), rewrite=False)
    up, down = np.array([2.0, 3.0]), np.array([-2.0, 3.0])
    for x in (up, down, up, down, up):
        _same_bits(jf(x), st.value_and_grad(f)(x))
    assert jf.traces == 2 and _lowered(jf, up) == [True, True]

    def halve(x):
        while x[0] * x[0] + x[1] * x[1] > 1.0:
            x = x / 2.0
        return x[0] * x[1]

    jh = st.jit(halve, rewrite=False)
    for x in (np.array([3.0, 4.0]), np.array([0.3, 0.4]), np.array([5.0, 4.0])):
        _same_bits(jh(x), halve(x))
    assert jh.traces == 2 and all(_lowered(jh, np.array([3.0, 4.0])))

    def flip(x):
        return x * float(x[0])

    jflip = st.jit(flip, max_retraces=3, rewrite=False)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for k in range(6):
            x = np.array([float(k), 1.0])
            _same_bits(jflip(x), flip(x))
    assert sum(issubclass(w.category, JitWarning) for w in seen) == 1 and jflip.traces == 3


def test_dynamic_batch_and_large_arrays_are_not_lowered():
    f = lambda x: x * 2.0  # noqa: E731
    jb = st.jit(f, dynamic="batch")
    jb(np.ones((3, 2)))
    assert not any(v.program.lowered for e in jb._cache.values() for v in e.variants)
    big = st.jit(f)
    big(np.ones(17))
    assert _lowered(big, np.ones(17)) == [False]
    assert _lowered(big, np.ones(16)) == [] and big(np.ones(16)) is not None
    assert _lowered(big, np.ones(16)) == [True]


def test_lower_scalars_declines_an_unsupported_operation():
    jf = st.jit(lambda x: np.sum(x * x), rewrite=False)  # a reduction: left to NumPy
    assert jf(np.ones(3)) == 3.0
    (r,) = jf.recordings(np.ones(3))
    terms = [t for t in r.program_terms() if t.op is not None]
    assert lower_scalars(r, terms, None, None) is None
    jm = st.jit(lambda x: x * x, rewrite=False)  # the same without the sum: lowered
    jm(np.ones(3))
    (r,) = jm.recordings(np.ones(3))
    terms = [t for t in r.program_terms() if t.op is not None]
    assert lower_scalars(r, terms, None, None) is not None
