"""The rule catalogue: every differentiable function passes ``check_grads`` to order 2 in both
modes, on scalar, vector, matrix and broadcasting inputs, through plain ``numpy``."""

import numpy as np
import pytest
import scipy.special as sps

import steepest as st
from steepest.autodiff import check_grads

rng = np.random.default_rng(42)
S = 0.7
V = rng.uniform(-0.9, 0.9, 4)
M = rng.uniform(-0.9, 0.9, (3, 4))
COL = rng.uniform(-0.9, 0.9, (3, 1))
POS_V, POS_M = rng.uniform(0.5, 2.0, 4), rng.uniform(0.5, 2.0, (3, 4))
SQ = rng.standard_normal((4, 4))
SPD = SQ @ SQ.T + 4 * np.eye(4)
TALL = rng.standard_normal((5, 3))
LABELS = np.array([0, 3, 1])


def on_shapes(name, f, domain="real"):
    """One catalogue entry per shape: scalar, vector, matrix."""
    pick = {"real": (S, V, M), "pos": (1.3, POS_V, POS_M), "unit": (0.4, V * 0.9, M * 0.9),
            "gt1": (1.7, POS_V + 1.0, POS_M + 1.0)}[domain]
    return [(f"{name}[{shape}]", f, (x,)) for shape, x in zip(("scalar", "vector", "matrix"), pick)]


UNARY = [
    ("negative", np.negative, "real"), ("exp", np.exp, "real"), ("exp2", np.exp2, "real"),
    ("expm1", np.expm1, "real"), ("log", np.log, "pos"), ("log2", np.log2, "pos"),
    ("log10", np.log10, "pos"), ("log1p", np.log1p, "pos"), ("sqrt", np.sqrt, "pos"),
    ("cbrt", np.cbrt, "pos"), ("square", np.square, "real"), ("reciprocal", np.reciprocal, "pos"),
    ("sin", np.sin, "real"), ("cos", np.cos, "real"), ("tan", np.tan, "real"),
    ("arcsin", np.arcsin, "unit"), ("arccos", np.arccos, "unit"), ("arctan", np.arctan, "real"),
    ("sinh", np.sinh, "real"), ("cosh", np.cosh, "real"), ("tanh", np.tanh, "real"),
    ("arcsinh", np.arcsinh, "real"), ("arccosh", np.arccosh, "gt1"),
    ("arctanh", np.arctanh, "unit"), ("abs", np.abs, "pos"), ("fabs", np.fabs, "pos"),
    ("deg2rad", np.deg2rad, "real"), ("rad2deg", np.rad2deg, "real"),
    ("expit", sps.expit, "real"), ("logit", lambda p: sps.logit(p / 2 + 0.5), "unit"),
    ("erf", sps.erf, "real"), ("erfc", sps.erfc, "real"), ("gammaln", sps.gammaln, "pos"),
    ("digamma", sps.digamma, "pos"), ("st.sigmoid", st.sigmoid, "real"),
    ("st.log_sigmoid", st.log_sigmoid, "real"), ("st.softplus", st.softplus, "real"),
    ("pow-const", lambda x: x**3, "real"), ("rpow", lambda x: 2.0**x, "real"),
    ("operators", lambda x: -(2.0 - x) / 3.0 + abs(x) * 0 + x % 1.5, "pos"),
]

BINARY = [
    ("add", np.add), ("subtract", np.subtract), ("multiply", np.multiply),
    ("divide", lambda x, y: x / (y + 2.0)), ("power", lambda x, y: (x + 2.0) ** y),
    ("maximum", np.maximum), ("minimum", np.minimum), ("fmax", np.fmax), ("fmin", np.fmin),
    ("logaddexp", np.logaddexp), ("logaddexp2", np.logaddexp2), ("hypot", np.hypot),
    ("arctan2", np.arctan2), ("where", lambda x, y: np.where(x > 0, x * y, y)),
    ("clip", lambda x, y: np.clip(x, -0.5, 0.5) * y),
]

BROADCAST_PAIRS = {"scalar": (S, -0.3), "vector": (V, V[::-1] * 0.8), "matrix": (M, M.T.T * 0.5),
                   "broadcast": (COL, V)}

REDUCTIONS = [
    ("sum", lambda x: np.sum(x)), ("sum-axis", lambda x: x.sum(axis=0)),
    ("sum-keepdims", lambda x: np.sum(x, axis=-1, keepdims=True)),
    ("mean", lambda x: np.mean(x, axis=0)), ("prod", lambda x: np.prod(x + 2.0, axis=-1)),
    ("max", lambda x: np.max(x, axis=0)), ("min", lambda x: x.min()),
    ("var", lambda x: np.var(x, axis=0)), ("std", lambda x: np.std(x, ddof=1)),
    ("cumsum", lambda x: np.cumsum(x, axis=0)), ("cumprod", lambda x: np.cumprod(x + 2.0)),
    ("norm", np.linalg.norm), ("norm-axis", lambda x: np.linalg.norm(x, axis=-1)),
    ("norm-keepdims", lambda x: np.linalg.norm(x, axis=0, keepdims=True)),
    ("logsumexp", lambda x: st.logsumexp(x, axis=0)), ("softmax", st.softmax),
    ("log_softmax", st.log_softmax),
]

SHAPE_OPS = [
    ("reshape", lambda x: np.reshape(x, (4, 3)) ** 2), ("ravel", lambda x: x.ravel() ** 2),
    ("transpose", lambda x: x.T @ x), ("swapaxes", lambda x: np.swapaxes(x, 0, 1) ** 2),
    ("moveaxis", lambda x: np.moveaxis(x[None], 0, 2) ** 2),
    ("expand_dims", lambda x: np.expand_dims(x, 1) ** 2),
    ("squeeze", lambda x: np.squeeze(x[:, :1]) ** 2),
    ("broadcast_to", lambda x: np.broadcast_to(x, (2, 3, 4)) ** 2),
    ("concatenate", lambda x: np.concatenate([x, x**2], axis=1)),
    ("stack", lambda x: np.stack([x, 2 * x], axis=1) ** 2),
    ("hstack", lambda x: np.hstack([x, x**2])), ("vstack", lambda x: np.vstack([x, x**2])),
    ("split", lambda x: np.split(x, 2, axis=1)[1] ** 2),
    ("tile", lambda x: np.tile(x, (2, 1)) ** 2), ("repeat", lambda x: np.repeat(x, 2, axis=0) ** 2),
    ("flip", lambda x: np.flip(x, 1) * x), ("roll", lambda x: np.roll(x, 1, axis=1) * x),
    ("pad", lambda x: np.pad(x, 1) ** 2), ("diag", lambda x: np.diag(x[:, :3]) ** 2),
    ("diag-build", lambda x: np.diag(x[0]) @ x.T), ("diagonal", lambda x: np.diagonal(x, 1) ** 2),
    ("trace", lambda x: np.trace(x @ x.T)), ("triu", lambda x: np.triu(x) ** 2),
    ("tril", lambda x: np.tril(x, -1) ** 2), ("take", lambda x: np.take(x, [0, 2, 2], axis=1) ** 2),
    ("sort", lambda x: np.sort(x, axis=1) * np.arange(4.0)),
    ("getitem-slice", lambda x: x[1:, ::2] ** 2), ("getitem-int", lambda x: x[1] * x[:, 2].sum()),
    ("getitem-mask", lambda x: x[x > 0] ** 2), ("getitem-fancy", lambda x: x[[0, 0, 2], [1, 1, 3]]),
    ("np.array-of-scalars", lambda x: np.array([x[0, 0] * x[1, 1], np.sin(x[2, 3])])),
    ("iteration", lambda x: sum(row.sum() ** 2 for row in x)),
    ("diff", lambda x: np.diff(x, n=2, axis=1) ** 2), ("average", lambda x: np.average(
        x, axis=1, weights=np.arange(1.0, 5.0))), ("cross", lambda x: np.cross(x[:, :3], x[:, 1:])),
]

LINALG = [
    ("dot", lambda a: np.dot(a, a.T), (M,)), ("matmul-vec", lambda a, v: a @ v, (M, V)),
    ("vec-matmul", lambda v, a: v[:3] @ a, (V, M)), ("vec-vec", lambda v: v @ v, (V,)),
    ("batched-matmul", lambda a: np.matmul(a.reshape(3, 2, 2), a.reshape(3, 2, 2)), (M,)),
    ("inner", lambda a: np.inner(a, a), (M,)), ("outer", lambda v: np.outer(v, v[:2]), (V,)),
    ("tensordot", lambda a: np.tensordot(a, a, axes=([1], [1])), (M,)),
    ("einsum", lambda a, b: np.einsum("ij,jk->ik", a, b), (M, M.T)),
    ("einsum-trace", lambda a: np.einsum("ii->", a), (SQ,)),
    ("einsum-diag", lambda a: np.einsum("ii->i", a), (SQ,)),
    ("einsum-ellipsis", lambda a, b: np.einsum("...ij,...jk->...ik", a.reshape(3, 2, 2), b),
     (M, rng.standard_normal((3, 2, 5)))),
    ("einsum-implicit", lambda a: np.einsum("...i,...i", a, a), (M,)),
    ("kron", lambda a: np.kron(a[:2, :2], a[1:, 2:]), (M,)),
    ("solve", lambda a, b: np.linalg.solve(a, b), (SPD, V)),
    ("solve-matrix", lambda a, b: np.linalg.solve(a, b), (SPD, M.T)),
    ("inv", np.linalg.inv, (SPD,)), ("det", np.linalg.det, (SQ,)),
    ("slogdet", lambda a: np.linalg.slogdet(a)[1], (SQ,)),
    ("cholesky", lambda a: np.linalg.cholesky(a @ a.T + np.eye(4)), (SQ,)),
    ("eigh-values", lambda a: np.linalg.eigh(a)[0], (SPD,)),
    ("eigh-vectors", lambda a: np.linalg.eigh(a)[1] ** 2, (SPD,)),
    ("svd", lambda a: np.linalg.svd(a, compute_uv=False), (TALL,)),
    ("svd-factors", lambda a: [f**2 for f in np.linalg.svd(a, full_matrices=False)[::2]], (TALL,)),
    ("qr", lambda a: np.linalg.qr(a), (TALL,)), ("pinv", np.linalg.pinv, (TALL,)),
    ("lstsq", lambda a, b: np.linalg.lstsq(a, b)[:2], (TALL, rng.standard_normal(5))),
    ("matrix_power", lambda a: np.linalg.matrix_power(a, 3), (SQ,)),
    ("norm-fro", lambda a: np.linalg.norm(a, "fro"), (M,)),
    ("norm-nuc", lambda a: np.linalg.norm(a, "nuc"), (TALL,)),
    ("norm-1", lambda a: np.linalg.norm(a, 1), (M,)),
    ("norm-inf", lambda a: np.linalg.norm(a, np.inf), (M,)),
    ("norm-p", lambda a: np.linalg.norm(a, 3, axis=0), (M,)),
    ("cross_entropy-labels", lambda z: st.cross_entropy(z, LABELS), (M,)),
    ("cross_entropy-probs", lambda z, p: st.cross_entropy(z, p), (M, POS_M / 3)),
    ("bce-with-logits", lambda z, t: st.binary_cross_entropy_with_logits(z, t), (M, POS_M / 2)),
]

CASES = [c for name, f, dom in UNARY for c in on_shapes(name, f, dom)]
CASES += [(f"{n}[{k}]", f, pair) for n, f in BINARY for k, pair in BROADCAST_PAIRS.items()]
CASES += [(f"{n}[matrix]", f, (M,)) for n, f in REDUCTIONS + SHAPE_OPS]
CASES += [(f"{n}[vector]", f, (V,)) for n, f in REDUCTIONS[:4] + REDUCTIONS[5:8]]
CASES += LINALG

# complex inputs wherever the function is defined on complex numbers (autograd's convention,
# steepest.autodiff.rules.complex): real parts kept positive, away from the branch cuts
crng = np.random.default_rng(1011)
ZS = 0.8 + 0.6j
ZV = crng.uniform(0.5, 2.0, 4) + 1j * crng.uniform(-0.9, 0.9, 4)
ZM = crng.uniform(0.5, 2.0, (3, 4)) + 1j * crng.uniform(-0.9, 0.9, (3, 4))
ON_COMPLEX = {"negative", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt",
              "square", "reciprocal", "sin", "cos", "tan", "sinh", "cosh", "tanh", "abs",
              "pow-const", "rpow", "sum", "sum-axis", "sum-keepdims", "mean", "cumsum", "prod",
              "cumprod",
              "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze",
              "broadcast_to", "concatenate", "stack", "hstack", "vstack", "split", "tile",
              "repeat", "flip", "roll", "pad", "diag", "diag-build", "diagonal", "trace",
              "triu", "tril", "take", "getitem-slice", "getitem-int", "getitem-fancy", "diff",
              "dot", "inner", "outer", "tensordot", "einsum", "einsum-trace", "einsum-diag",
              "kron", "vec-vec", "batched-matmul", "matmul-vec", "vec-matmul", "einsum-ellipsis",
              "einsum-implicit"}
COMPLEX_UNARY = [("real", np.real), ("imag", np.imag), ("conj", np.conj), ("angle", np.angle),
                 ("angle-deg", lambda z: np.angle(z, deg=True)), ("attributes",
                  lambda z: z.real * z.imag + z.conj()), ("vdot", lambda z: np.vdot(z, z))]
COMPLEX_PAIRS = {"complex": (ZV, ZV[::-1] * 0.8), "real-complex": (ZM.real, ZV),
                 "complex-real": (ZM, ZV.real)}
COMPLEX_CASES = [(f"{n}[complex-{k}]", f, (x,)) for n, f, _ in UNARY if n in ON_COMPLEX
                 for k, x in (("scalar", ZS), ("matrix", ZM))]
COMPLEX_CASES += [(f"{n}[complex]", f, (ZM,)) for n, f in COMPLEX_UNARY + REDUCTIONS + SHAPE_OPS
                  if n in ON_COMPLEX or (n, f) in COMPLEX_UNARY]
COMPLEX_CASES += [(f"{n}[{k}]", f, pair) for n, f in BINARY[:5] for k, pair in
                  COMPLEX_PAIRS.items()]
COMPLEX_CASES += [(f"{n}[complex]", f, tuple(a + 0.5j * np.ones_like(a) for a in args))
                  for n, f, args in LINALG if n in ON_COMPLEX]


@pytest.mark.parametrize(("name", "f", "args"), COMPLEX_CASES, ids=[c[0] for c in COMPLEX_CASES])
def test_rule_passes_check_grads_on_complex_inputs(name, f, args):
    check_grads(f, args, modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize(("name", "f", "args"), CASES, ids=[c[0] for c in CASES])
def test_rule_passes_check_grads_to_second_order(name, f, args):
    check_grads(f, args, modes=("fwd", "rev"), order=2)


def test_catalogue_covers_every_listed_function():
    names = {c[0].split("[")[0] for c in CASES}
    listed = {"exp", "log", "sin", "cos", "tan", "tanh", "abs", "maximum", "minimum", "fmax",
              "fmin", "clip", "where", "logaddexp", "logaddexp2", "hypot", "arctan2", "power",
              "sum", "mean", "prod", "max", "min", "var", "std", "cumsum", "cumprod", "norm",
              "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze",
              "broadcast_to", "concatenate", "stack", "hstack", "vstack", "split", "tile",
              "repeat", "flip", "roll", "pad", "diag", "diagonal", "trace", "triu", "tril",
              "take", "sort", "dot", "inner", "outer", "tensordot", "einsum", "kron", "solve",
              "inv", "det", "slogdet", "cholesky", "svd", "qr", "pinv", "expit", "logit", "erf",
              "gammaln", "logsumexp", "softmax", "log_softmax", "st.log_sigmoid", "st.softplus",
              "cross_entropy-labels", "bce-with-logits"}
    assert listed <= names, sorted(listed - names)


def _all_primitives():
    from steepest._dispatch import TRACED
    from steepest.autodiff.primitives import Primitive
    from steepest.autodiff.rules import (
        broadcast,
        complex,
        fft,
        linalg,
        products,
        reduce,
        shape,
        special,
        ufunc,
    )

    found = {v for v in TRACED.values() if isinstance(v, Primitive)}
    for mod in (broadcast, complex, fft, linalg, products, reduce, shape, special, ufunc):
        found.update(v for v in vars(mod).values() if isinstance(v, Primitive))
    return sorted(found, key=lambda p: p.name)


@pytest.mark.parametrize("prim", _all_primitives(), ids=lambda p: p.name)
def test_every_primitive_has_vjp_and_jvp_for_the_same_arguments(prim):
    probe = range(6)
    vjp_args = {i for i in probe if i in prim.vjps}
    jvp_args = {i for i in probe if i in prim.jvps}
    assert vjp_args and vjp_args == jvp_args
