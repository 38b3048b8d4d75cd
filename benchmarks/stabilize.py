"""stabilize(f): textbook-unstable expressions at breaking inputs, beside NumPy, jax.jit, torch
and PyTensor; and the per-call cost.

Two tables. The first is issue 12's ten expressions; the second the rest of steepest's rewrite
table (σ(1−σ), log∘prod, log∘det, inv(A)@b, the variance forms, log∘erfc, logdiffexp, ...). For
each expression at its breaking input a cell says whether the value and the gradient of
``sum(f)`` are right (finite and within 4 ulp of the mpmath / closed-form value; for inv(A)@b:
residual ≤ n·eps·|A||x|) for: the plain NumPy code (value only), the same code differentiated
by steepest without rewrites (naive gradient), ``steepest.stabilize`` (values and gradients),
``jax.jit`` of the same expression in ``jax.numpy`` (value ``jit(f)``, gradient
``jit(grad(sum∘f))``, float64), torch eager (float64, ``backward``), ``torch.compile`` (Inductor,
the same ``backward`` through the compiled graph; needs a C++ compiler, and compiles each
expression for seconds to minutes: ``--no-compile`` leaves it out) and PyTensor's compiled
function (default mode, its rewrites on; gradient from ``pytensor.grad``). A peer that is not
installed is a column of ``-``. The speed table gives the per-call time of ``stabilize(f)`` and
``grad(stabilize(f))`` over the plain ``f`` and ``grad(f)`` (interleaved rounds, best of each,
one BLAS thread).

Run: ``python benchmarks/stabilize.py [--no-compile]``
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import importlib.util  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402

import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import scipy.special as sps  # noqa: E402

import steepest as st  # noqa: E402
from _stabilize_cases import extra_cases, ten_cases  # noqa: E402
from _timing import interleaved_best  # noqa: E402


def right(got, want) -> bool:
    """Finite and within 4 ulp of ``want`` (a list of mpmath numbers), or ``want`` is a check."""
    if got is None:
        return False
    if callable(want):
        return bool(want(got))
    got = np.ravel(np.asarray(got, dtype=float))
    want = np.array([float(w) for w in want])
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return False
    return bool(np.all(np.abs(got - want) <= 4 * np.spacing(np.abs(want))))


class NumpyAPI:
    """The names the expressions use, for plain NumPy code (what steepest traces)."""

    log, exp, sum, sqrt, expm1, log1p, prod, mean = (np.log, np.exp, np.sum, np.sqrt, np.expm1,
                                                     np.log1p, np.prod, np.mean)
    sigmoid, softmax, erfc = staticmethod(st.sigmoid), staticmethod(st.softmax), sps.erfc
    softplus = staticmethod(st.softplus)
    det, inv = np.linalg.det, np.linalg.inv

    @staticmethod
    def const(v, like):
        return np.asarray(v)


def _steepest(expr, x):
    f = lambda v: expr(NumpyAPI, v)  # noqa: E731
    g = st.stabilize(f)
    with np.errstate(all="ignore"):
        return {"numpy": (f(x), None),
                "naive": (None, st.grad(lambda v: np.sum(f(v)))(x)),
                "stabilize": (g(x), st.grad(lambda v: np.sum(g(v)))(x))}


def _jax_runner():
    if importlib.util.find_spec("jax") is None:
        return None
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)

    class JaxAPI:
        log, exp, sum, sqrt, expm1, log1p, prod, mean = (jnp.log, jnp.exp, jnp.sum, jnp.sqrt,
                                                         jnp.expm1, jnp.log1p, jnp.prod, jnp.mean)
        sigmoid, erfc, softplus = jax.nn.sigmoid, jax.scipy.special.erfc, jax.nn.softplus
        det, inv = jnp.linalg.det, jnp.linalg.inv

        @staticmethod
        def softmax(v):
            return jax.nn.softmax(v, axis=-1)

        @staticmethod
        def const(v, like):
            return jnp.asarray(v)

    def run(expr, x):
        f = jax.jit(lambda v: expr(JaxAPI, v))
        g = jax.jit(jax.grad(lambda v: jnp.sum(expr(JaxAPI, v))))
        return np.asarray(f(x)), np.asarray(g(x))
    return run


def _torch_api():
    """The namespace for torch (float64 tensors), or ``None`` when torch is absent."""
    if importlib.util.find_spec("torch") is None:
        return None
    import torch

    class TorchAPI:
        log, exp, sum, sqrt, expm1, log1p, prod, mean = (torch.log, torch.exp, torch.sum,
                                                         torch.sqrt, torch.expm1, torch.log1p,
                                                         torch.prod, torch.mean)
        sigmoid, erfc = torch.sigmoid, torch.special.erfc
        softplus = staticmethod(torch.nn.functional.softplus)
        det, inv = torch.linalg.det, torch.linalg.inv

        @staticmethod
        def softmax(v):
            return torch.softmax(v, dim=-1)

        @staticmethod
        def const(v, like):
            return torch.as_tensor(v, dtype=torch.float64)

    return torch, TorchAPI


def _torch_runner(compiled: bool = False):
    """torch eager, or ``torch.compile`` (Inductor: it generates and compiles C++ for each
    expression, seconds to minutes per expression; it needs a C compiler)."""
    api = _torch_api()
    if api is None:
        return None
    torch, TorchAPI = api
    if compiled:
        if _no_compiler():
            return None
        torch._dynamo.config.cache_size_limit = 64

    def run(expr, x):
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        f = lambda v: expr(TorchAPI, v)  # noqa: E731
        out = (torch.compile(f) if compiled else f)(t)
        out.sum().backward()
        return out.detach().numpy(), t.grad.numpy()
    return run


def _no_compiler() -> bool:
    """Whether no C/C++ compiler is on the PATH (Inductor's CPU backend needs one)."""
    return not any(shutil.which(c) for c in ("g++", "c++", "clang++"))


def _pytensor_runner():
    if importlib.util.find_spec("pytensor") is None:
        return None
    import pytensor
    import pytensor.tensor as pt
    from pytensor.tensor import special
    try:
        from pytensor.tensor import linalg as ptl
    except ImportError:  # PyTensor before 3.0 kept them in nlinalg
        from pytensor.tensor import nlinalg as ptl

    class PytensorAPI:
        log, exp, sum, sqrt, expm1, log1p, prod, mean = (pt.log, pt.exp, pt.sum, pt.sqrt,
                                                         pt.expm1, pt.log1p, pt.prod, pt.mean)
        sigmoid, erfc, softplus = pt.sigmoid, pt.erfc, pt.softplus
        det, inv = ptl.det, ptl.matrix_inverse

        @staticmethod
        def softmax(v):
            return special.softmax(v, axis=-1)

        @staticmethod
        def const(v, like):
            return pt.as_tensor_variable(np.asarray(v))

    def run(expr, x):
        v = pt.tensor("x", dtype="float64", shape=(None,) * np.ndim(x))
        out = expr(PytensorAPI, v)
        fn = pytensor.function([v], [out, pytensor.grad(pt.sum(out), v)])
        value, grad = fn(np.asarray(x, dtype=float))
        return value, grad
    return run


PEERS = {"jax.jit": _jax_runner, "torch": _torch_runner,
         "torch.compile": lambda: _torch_runner(compiled=True), "pytensor": _pytensor_runner}
COLUMNS = ["numpy", "naive", "stabilize", *PEERS]


def _row(runners, expr, x, value, gradient) -> list[str]:
    res = _steepest(expr, x)
    for name, run in runners.items():
        if run is None:
            res[name] = None
            continue
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                res[name] = run(expr, x)
        except Exception as exc:  # a peer without this function: a cell saying so
            res[name] = type(exc).__name__
    cells = []
    for col in COLUMNS:
        r = res[col]
        if r is None or isinstance(r, str):
            cells.append("-" if r is None else r[:9])
            continue
        v = "" if r[0] is None and col == "naive" else ("ok" if right(r[0], value) else "WRONG")
        g = "" if r[1] is None else ("ok" if right(r[1], gradient) else "WRONG")
        cells.append("/".join(c for c in (v, g) if c))
    return cells


def accuracy_table(title, cases) -> None:
    runners = {name: make() for name, make in PEERS.items()}
    print(f"\n{title}   (cells: value/gradient; numpy: value; naive: steepest's gradient)")
    print(f"{'expression at breaking input':44s}" + "".join(f"{c:>14s}" for c in COLUMNS))
    counts = {c: [0, 0] for c in COLUMNS}
    for name, (expr, x, value, gradient) in cases.items():
        cells = _row(runners, expr, x, value, gradient)
        for c, cell in zip(COLUMNS, cells):
            parts = cell.split("/")
            if c == "naive":
                counts[c][1] += parts[0] == "ok"
            else:
                counts[c][0] += parts[0] == "ok"
                counts[c][1] += len(parts) > 1 and parts[1] == "ok"
        print(f"{name:44s}" + "".join(f"{c:>14s}" for c in cells))
    n = len(cases)
    tally = []
    for c in COLUMNS:
        if runners.get(c, True) is None:
            tally.append("-")
        elif c == "numpy":
            tally.append(f"{counts[c][0]}/{n}")
        elif c == "naive":
            tally.append(f"{counts[c][1]}/{n}")
        else:
            tally.append(f"{counts[c][0]}/{n} {counts[c][1]}/{n}")
    print(f"{'right':44s}" + "".join(f"{t:>14s}" for t in tally))


def speed_table() -> None:
    x = np.random.default_rng(0).normal(size=100)

    def f(v):
        return np.log(np.sum(np.exp(v))) + np.sum(np.log(1 + np.exp(-v)))

    g = st.stabilize(f)
    best = interleaved_best({
        "f": lambda: f(x), "stabilize(f)": lambda: g(x),
        "grad(f)": lambda: st.grad(f)(x), "grad(stabilize(f))": lambda: st.grad(g)(x),
    }, repeats=200)  # fmt: skip
    print("\nper call, logsumexp + softplus of 100 values (best of 200 interleaved rounds)")
    for name in ("f", "stabilize(f)", "grad(f)", "grad(stabilize(f))"):
        print(f"  {name:22s} {best[name] * 1e6:9.1f} µs")
    print(f"  ratio stabilize(f) / f             {best['stabilize(f)'] / best['f']:6.1f}×")
    print(f"  ratio grad(stabilize(f)) / grad(f) "
          f"{best['grad(stabilize(f))'] / best['grad(f)']:6.1f}×")


if __name__ == "__main__":
    if "--no-compile" in sys.argv:
        del PEERS["torch.compile"]
        COLUMNS.remove("torch.compile")
    with mpmath.workdps(400):
        accuracy_table("issue 12's ten expressions", ten_cases())
        accuracy_table("the rest of the rewrite table", extra_cases())
    speed_table()
