"""The stabilizing-rewrites tour section runs cleanly and shows what it claims."""

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
    assert "[276310]" in text          # log(prod) of 400 × 1e300, stabilized
    assert "[-903.974]" in text        # log(erfc(30))
    assert "Rewrites applied before differentiation" in text and "a1 = log1mexp(θ1)" in text
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert ctx.summaries
    assert "Trace once, replay after" in text and "gradient of 2-D Rosenbrock" in text
    assert "first call of `jit(grad(rosen))`" in text
    assert "a second call with the same, unchanged `f` reuses them" in text
    assert "the same iterates: True" in text
