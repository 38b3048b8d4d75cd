"""The stabilizing-rewrites tour section runs cleanly and shows what it claims."""

from steepest.compile.kernels import numexpr_module
from steepest.compile.kernels_numba import numba_module
from steepest.tour import SECTIONS
from steepest.tour import stabilizing as section

from ._section import run_section


def test_section_registered_after_derivatives():
    assert SECTIONS.index("steepest.tour.stabilizing") == (
        SECTIONS.index("steepest.tour.derivatives") + 1)


def test_stabilizing_section(tmp_path):
    ctx, text = run_section(section, tmp_path)
    assert section.TITLE == "Stabilizing rewrites"
    assert "[-1e+20]" in text          # the log1mexp gradient, stabilized
    assert "[1000.69]" in text         # log(sum(exp([1000, 1000])))
    assert "overflow in np.exp" in text
    for rule in ("log1mexp", "logsumexp", "softplus", "normalize", "log_softmax"):
        assert rule in text
    for rule in ("sigmoid_derivative", "log_prod", "log_det", "variance_moments", "log_erfc",
                 "logdiffexp", "logmexpm1", "exp_log", "sqrt_square", "inv_solve"):
        assert rule in text
    for rule in ("hypot", "square_sqrt", "log1m", "log_softmax_indexed", "odds_sigmoid",
                 "sigmoid_of_exp", "exp_times_sigmoid", "one_minus_sigmoid", "matmul_inv",
                 "inverse_pairs"):
        assert rule in text
    assert "[5e+200]" in text          # sqrt(x**2 + y**2) at (3e200, 4e200), stabilized
    assert "[2.35385e+17]" in text     # σ(40) / (1 - σ(40)) = e^40
    assert "[276310]" in text          # log(prod) of 400 × 1e300, stabilized
    assert "[-903.974]" in text        # log(erfc(30))
    assert "Rewrites applied before differentiation" in text and "a1 = log1mexp(θ1)" in text
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert ctx.summaries
    assert "Trace once, replay after" in text and "gradient of 2-D Rosenbrock" in text
    assert "first call of `jit(grad(rosen))`" in text
    assert "**Fused replay.**" in text
    assert ("3 numexpr kernels" in text) == (numexpr_module() is not None)
    assert ("3 numba kernels" in text) == (numba_module() is not None)
    assert ('fuse="numba"' in text) == (numba_module() is not None)
    assert "replays on Python floats" in text and "hand-written NumPy formula" in text
    assert "a second call with the same, unchanged `f` reuses them" in text
    assert "the same iterates: True" in text
