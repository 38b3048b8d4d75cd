"""Tour section: automatic differentiation (Liquet et al. §4.4, Goodfellow §4.3.1).

Liquet et al.'s example C(θ) = sin(θ1 θ2) + exp(θ2 + θ3) − 2θ3 (eq. 4.27) at θ = (π/6, 2, 5) as
the three tables (primals, forward-mode tangents, backward-pass adjoints), then Jacobians, higher
derivatives and a Hessian, linear algebra on stacks, a SciPy log-likelihood
(``steepest.scipy.stats``) differentiated directly, complex numbers and the FFT, all computed by
tracing plain NumPy functions.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as scipy_linalg

from .. import plot
from ..autodiff import (
    explain,
    grad,
    hessian,
    hvp,
    jacfwd,
    jacrev,
    jvp,
    numerical_gradient,
    vjp,
)
from ..scipy import linalg as sla
from ..scipy import stats
from .core import SectionContext, figures_unavailable

TITLE = "Derivatives"

THETA = np.array([np.pi / 6, 2.0, 5.0])


def seed_cost(t: np.ndarray) -> np.ndarray:
    """C(θ) = sin(θ1 θ2) + exp(θ2 + θ3) − 2 θ3 (Liquet et al. eq. 4.27)."""
    return np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]


def saddle(v: np.ndarray) -> np.ndarray:
    """f(x, y) = x³ − 2xy − y⁶."""
    return v[0] ** 3 - 2 * v[0] * v[1] - v[1] ** 6


def _liquet_tables(ctx: SectionContext) -> None:
    ex = explain(seed_cost, THETA, j=2)
    ctx.text("Liquet et al.'s function (eq. 4.27) C(θ) = sin(θ₁θ₂) + exp(θ₂ + θ₃) − 2θ₃ at "
             "θ = (π/6, 2, 5), "
             "traced once into the computational graph; `steepest.explain` numbers the nodes "
             "by iteration and runs the primitives' own JVP and VJP rules over it.")
    ctx.code("import numpy as np, steepest as st\n"
             "C = lambda t: np.sin(t[0] * t[1]) + np.exp(t[1] + t[2]) - 2 * t[2]\n"
             "print(st.explain(C, np.array([np.pi / 6, 2.0, 5.0]), j=2))")
    for title, (headers, rows) in [("Table 4.1: primals", ex.primal_table()),
                                   ("Table 4.2: forward mode, j = 2", ex.tangent_table()),
                                   ("Table 4.3: backward pass", ex.adjoint_table())]:
        ctx.text(f"**{title}**")
        ctx.table(headers, rows)
    exact = np.array([1.0, np.pi / 12 + np.exp(7), np.exp(7) - 2])
    err = float(np.max(np.abs(ex.gradient - exact) / np.abs(exact)))
    ctx.text(f"∇C(θ) = {np.array2string(ex.gradient, precision=10)}; the book's "
             f"(1, π/12 + e⁷, e⁷ − 2) agrees to a relative {err:.1e}. The forward-mode "
             f"tangent ȧ = {float(ex.tangent_of_output):.10g} is ∂C/∂θ₂ = π/12 + e⁷.")
    ctx.summary(f"Liquet et al.'s example: gradient matches (1, π/12+e⁷, e⁷−2) to {err:.0e}")


def _jacobian_and_higher(ctx: SectionContext) -> None:
    x = np.array([1.0, 2.0])
    J_fwd = jacfwd(lambda v: v**2)(x)
    J_rev = jacrev(lambda v: v**2)(x)
    ctx.text("**Jacobian** of x ↦ x² (elementwise) at (1, 2), by forward mode (one JVP per "
             "input) and reverse mode (one VJP per output):")
    ctx.table(["mode", "J"], [["jacfwd", J_fwd.tolist()], ["jacrev", J_rev.tolist()]])
    cube = lambda s: s**3  # noqa: E731
    d1, d2, d3 = grad(cube), grad(grad(cube)), grad(grad(grad(cube)))
    ctx.text("**Higher derivatives** of x³ by nesting `grad` (each level is its own trace, so "
             "levels never mix):")
    ctx.table(["x", "f′ = 3x²", "f″ = 6x", "f‴ = 6"],
              [[s, float(d1(s)), float(d2(s)), float(d3(s))] for s in (-1.0, 0.5, 2.0)])
    H = hessian(saddle)(x)
    eig = np.linalg.eigvalsh(H)
    kind = "indefinite: a saddle direction" if eig[0] < 0 < eig[-1] else "definite"
    ctx.text("**Hessian** of f(x, y) = x³ − 2xy − y⁶ at (1, 2), forward-over-reverse "
             "(`hessian = jacfwd(grad(f))`); exact value [[6, −2], [−2, −480]]. A "
             "Hessian-vector product (`hvp`) gives H·v without forming H:")
    v = np.array([1.0, -1.0])
    ctx.table(["quantity", "value"],
              [["∇f(1, 2)", grad(saddle)(x).tolist()], ["∇²f(1, 2)", H.tolist()],
               ["eigenvalues", [round(float(e), 6) for e in eig]], ["curvature", kind],
               ["hvp(f, (1, 2), (1, −1))", hvp(saddle, x, v).tolist()]])
    ctx.summary(f"Hessian of x³−2xy−y⁶ at (1,2): {H.tolist()}, eigenvalues "
                f"{[round(float(e), 3) for e in eig]}")


def _linear_algebra(ctx: SectionContext) -> None:
    rng = np.random.default_rng(0)
    stack = rng.standard_normal((2, 3, 4, 4)) + 4 * np.eye(4)
    g_det = grad(lambda a: np.sum(np.linalg.slogdet(a)[1]))(stack)
    det_err = np.max(np.abs(g_det - np.swapaxes(np.linalg.inv(stack), -1, -2)))
    a, w = rng.standard_normal((3, 3)) / 2, rng.standard_normal((3, 3))
    g_exp = grad(lambda m: np.sum(w * sla.expm(m)))(a)
    exp_err = np.max(np.abs(g_exp - scipy_linalg.expm_frechet(a.T, w)[1]))
    s = rng.standard_normal((3, 3)) + 2 * np.eye(3)
    b = s @ np.diag([1.0, 2.0, 4.0]) @ np.linalg.inv(s)  # general, with real eigenvalues
    lam, V = np.linalg.eig(b)
    i = int(np.argmax(lam))
    g_eig = grad(lambda m: np.max(np.linalg.eigvals(m)))(b)
    eig_err = np.max(np.abs(g_eig - np.outer(np.linalg.inv(V)[i], V[:, i])))
    rank2 = np.diag([3.0, 1.0, 0.0])
    g_nuc = grad(lambda m: np.linalg.norm(m, "nuc"))(rank2)
    u, _, vh = np.linalg.svd(rank2)
    rows = [["Σ log|det Aᵢ| over a (2, 3, 4, 4) stack", "Aᵢ⁻ᵀ", f"{det_err:.1e}"],
            ["Σ W ∘ expm(A) (steepest.scipy.linalg)", "L(Aᵀ, W), scipy's expm_frechet",
             f"{exp_err:.1e}"],
            ["‖A‖_* at a rank-2 3×3 A", "the subgradient U Vᵀ (no NaN)",
             f"{np.max(np.abs(g_nuc - u @ vh)):.1e}"],
            ["largest eigenvalue of a non-symmetric A (np.linalg.eig)", "(V⁻¹)ᵢ ⊗ vᵢ",
             f"{eig_err:.1e}"]]
    ctx.text("**Linear algebra on stacks**: every `numpy.linalg` function differentiates on "
             "batches `(..., m, n)` (one gradient per matrix), and `steepest.scipy.linalg` "
             "is a drop-in for the SciPy functions (`expm`, `solve_triangular`, `cho_solve`, "
             "`lu_solve` ...) that SciPy itself cannot trace:")
    ctx.table(["gradient of", "exact answer", "largest error vs exact"], rows)
    ctx.summary(f"batched linalg: d Σ log|det| on a (2,3,4,4) stack within {det_err:.0e} of A⁻ᵀ; "
                f"expm's Fréchet derivative within {exp_err:.0e} of SciPy's")


def t_nll(theta: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Student-t (ν = 4) negative log-likelihood of ``data``, θ = (location, log scale)."""
    return -np.sum(stats.t.logpdf(data, 4.0, loc=theta[0], scale=np.exp(theta[1])))


def _scipy_likelihood(ctx: SectionContext) -> None:
    data = 1.5 + 0.8 * np.random.default_rng(4).standard_t(4.0, size=200)
    theta = np.array([1.0, 0.0])
    f = lambda t: t_nll(t, data)  # noqa: E731
    g, fd = grad(f)(theta), numerical_gradient(f, theta)
    h = hessian(f)(theta)
    ctx.text("**SciPy inside the objective**: the Student-t negative log-likelihood written "
             "with `steepest.scipy.stats.t.logpdf(x, df, loc, scale)` (SciPy's signature; "
             "its ufuncs such as `scipy.special.gammaln` are traced directly) at θ = (μ, log σ) "
             "= (1, 0) on 200 draws:")
    ctx.table(["quantity", "autodiff", "central differences"],
              [["∂/∂μ", f"{g[0]:.10g}", f"{fd[0]:.10g}"],
               ["∂/∂log σ", f"{g[1]:.10g}", f"{fd[1]:.10g}"],
               ["Hessian", np.round(h, 4).tolist(), ""]])


def issue_example(x: np.ndarray) -> np.ndarray:
    """|Σ (x₁ + i x₂)³ e^{i x}|: a real function of real inputs with complex intermediates."""
    return np.abs(np.sum((x[0] + 1j * x[1]) ** 3 * np.exp(1j * x)))


def _complex_and_fft(ctx: SectionContext) -> None:
    x = np.array([0.3, -0.8])
    g_rev = grad(issue_example)(x)
    g_fwd = np.array([jvp(issue_example, (x,), (e,))[1] for e in np.eye(2)])
    g_fd = numerical_gradient(issue_example, x)
    z = np.array([3.0 + 4.0j])
    abs2 = grad(lambda z: np.sum(np.abs(z) ** 2))(z)[0]
    exp_prime = vjp(np.exp, z)[1](np.ones(1))[0][0]
    s = np.random.default_rng(0).standard_normal(8)
    parseval = grad(lambda s: np.sum(np.abs(np.fft.fft(s)) ** 2))(s)
    parseval_err = float(np.max(np.abs(parseval - 16 * s)))
    ctx.text("**Complex numbers and the FFT** follow autograd's convention: for f(z) = u + iv "
             "of z = x + iy, grad f = ∂u/∂x − i ∂u/∂y. A real loss of complex parameters gets "
             "a gradient whose conjugate is the ascent direction; a holomorphic f gets f′(z) "
             "(as the VJP of the cotangent 1); a real function with complex intermediates "
             "gets the gradient a purely real implementation would give.")
    ctx.code("f = lambda x: np.abs(np.sum((x[0] + 1j * x[1]) ** 3 * np.exp(1j * x)))\n"
             "st.grad(f)(np.array([0.3, -0.8]))")
    ctx.table(["quantity", "value"], [
        ["grad f(0.3, −0.8), reverse", np.round(g_rev, 6).tolist()],
        ["same, forward (one JVP per input)", np.round(g_fwd, 6).tolist()],
        ["central differences", np.round(g_fd, 6).tolist()],
        ["grad |z|² at 3+4i (= 2 z̄)", f"{abs2:.6g}"],
        ["exp′(3+4i) by vjp (= e^z)", f"{exp_prime:.6g}"],
        ["max |grad Σ|fft(s)|² − 2·8·s| (Parseval)", f"{parseval_err:.1e}"],
    ])
    err = float(np.max(np.abs(g_rev - g_fd)))
    ctx.summary(f"complex intermediates: gradient {np.round(g_rev, 3).tolist()} (both modes), "
                f"{err:.0e} from central differences")


def _figure(ctx: SectionContext) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    s = np.linspace(-1.5, 1.5, 61)
    cube = lambda z: z**3  # noqa: E731
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    fns = {"x³": cube, "(x³)′": grad(cube), "(x³)″": grad(grad(cube)),
           "(x³)‴": grad(grad(grad(cube)))}
    plot.functions(fns, s, vectorized=False, ax=axes[0])
    axes[0].set_title("x³ and its derivatives by nested grad")
    h = np.logspace(-14, -1, 40)
    exact = np.pi / 12 + np.exp(7.0)
    fd_err = [abs(float(numerical_gradient(seed_cost, THETA, step=float(hh))[1]) - exact)
              / exact for hh in h]
    ad_err = abs(float(grad(seed_cost)(THETA)[1]) - exact) / exact
    ad_label = f"reverse mode ({ad_err:.1e})"
    plot.functions({"central difference": np.maximum(fd_err, 1e-17),
                    ad_label: np.full(h.size, max(ad_err, 1e-17)),
                    "machine ε": np.full(h.size, np.finfo(float).eps)}, h, log=True,
                   styles={ad_label: {"color": "C2"}, "machine ε": {"color": "k", "ls": "--"}},
                   ax=axes[1])
    axes[1].set_xscale("log")
    axes[1].set_xlabel("step h")
    axes[1].set_ylabel("relative error of ∂C/∂θ₂")
    axes[1].set_title("Finite differences vs reverse mode (exact to rounding)")
    ctx.figure(fig, "derivatives", "Left: nested reverse mode to third order. Right: central "
               "differences trade truncation (large h) against rounding (small h); automatic "
               "differentiation has neither error.")


def run(ctx: SectionContext) -> None:
    """Write the Derivatives section."""
    _liquet_tables(ctx)
    _jacobian_and_higher(ctx)
    _linear_algebra(ctx)
    _scipy_likelihood(ctx)
    _complex_and_fft(ctx)
    _figure(ctx)
