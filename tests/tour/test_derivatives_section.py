"""The Derivatives tour section runs and shows Liquet et al.'s numbers (eq. 4.27, §4.4)."""

import numpy as np

from steepest.autodiff import grad, numerical_gradient
from steepest.tour import SECTIONS
from steepest.tour import derivatives as section

from ._section import run_section


def test_derivatives_section(tmp_path):
    assert "steepest.tour.derivatives" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert section.TITLE == "Derivatives"
    for piece in ("Table 4.1", "Table 4.2", "Table 4.3", "cos(a1)", "[[2.0, 0.0], [0.0, 4.0]]",
                  "[[6.0, -2.0], [-2.0, -480.0]]", "indefinite", "steepest.scipy.stats.t.logpdf"):
        assert piece in text, piece
    assert f"{np.pi / 12 + np.exp(7):.10g}" in text
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert any("Hessian" in s for s in ctx.summaries)
    assert "Linear algebra on stacks" in text and "steepest.scipy.linalg" in text
    # every error of the linear-algebra table is at rounding level
    lines = text[text.index("| gradient of |"):].splitlines()[2:]
    rows = [line for line in lines[:next(i for i, ln in enumerate(lines) if ln[:1] != "|")]]
    errors = [float(line.rsplit("|", 2)[-2]) for line in rows]
    assert len(errors) == 4 and max(errors) < 1e-9, errors
    x = np.array([0.3, -0.8])
    fd = [(section.issue_example(x + 1e-6 * e) - section.issue_example(x - 1e-6 * e)) / 2e-6
          for e in np.eye(2)]
    assert np.allclose(fd, [0.985, -3.170], atol=1e-3)
    assert "Complex numbers and the FFT" in text and str(round(fd[0], 6)) in text
    assert "6-8j" in text and any("complex intermediates" in s for s in ctx.summaries)


def test_the_scipy_likelihood_gradient_matches_finite_differences():
    data = np.array([0.3, 1.9, 2.2, 1.4])
    theta = np.array([1.0, -0.2])
    g = grad(lambda t: section.t_nll(t, data))(theta)
    assert np.allclose(g, numerical_gradient(lambda t: section.t_nll(t, data), theta), rtol=1e-7)
