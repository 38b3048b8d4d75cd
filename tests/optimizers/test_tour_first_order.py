"""The tour section runs, writes its figures, and its examples show what the seed claims."""

from __future__ import annotations

import numpy as np

from steepest.tour import SECTIONS
from steepest.tour import first_order as fo
from steepest.tour.core import SectionContext


def test_section_registered_and_writes_report(tmp_path):
    assert "steepest.tour.first_order" in SECTIONS
    ctx = SectionContext(title=fo.TITLE, out=tmp_path, slug="first_order")
    fo.run(ctx)
    assert len(ctx.figures) == 4 and all(p.stat().st_size > 1000 for p in ctx.figures)
    assert ctx.summaries and any("Figure 4.6" in b for b in ctx.blocks)


def test_sum_of_quadratics_gradients_and_minimiser():
    prob = fo.sum_of_quadratics()
    x = np.array([0.3, -0.7])
    h = 1e-6
    fd = [(prob.loss(x + h * e) - prob.loss(x - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(prob.grad(x), fd, rtol=1e-7)
    np.testing.assert_allclose(np.mean([prob.grad_i(x, i) for i in range(5)], axis=0),
                               prob.grad(x), rtol=1e-14)  # eq. 4.11: unbiased
    np.testing.assert_allclose(prob.grad(prob.minimizer), 0.0, atol=1e-14)


def test_rosenbrock_gradient():
    x = np.array([0.4, -0.1])
    h = 1e-6
    fd = [(fo.rosenbrock(x + h * e) - fo.rosenbrock(x - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(fo.rosenbrock_grad(x), fd, rtol=1e-6)


def test_larger_momentum_gets_further_on_rosenbrock():
    losses = [fo.rosenbrock(fo.trajectory(fo.so.momentum(0.001 / (1 - b), b),
                                          lambda x, t: fo.rosenbrock_grad(x),
                                          fo.ROSENBROCK_START, 1500)[-1])
              for b in (0.0, 0.8, 0.95)]
    assert losses[0] > losses[1] > losses[2]


def test_sgd_settles_in_the_convex_hull_and_matches_gd_with_identical_minimisers():
    prob, gd, sgd = fo.gd_vs_sgd(identical=False)
    assert np.mean(fo._in_hull(sgd[200:], prob.u)) > 0.9  # Liquet §4.2, Figure 4.3 (a)
    assert np.linalg.norm(gd[-1] - prob.minimizer) < 1e-8
    prob, gd, sgd = fo.gd_vs_sgd(identical=True)
    assert np.linalg.norm(sgd[-1] - prob.minimizer) < 1e-8  # Figure 4.3 (b)


def test_rare_feature_gradient_and_minibatch_unbiasedness():
    prob = fo.rare_feature_logistic(n=200, d=5)
    w = np.random.default_rng(0).standard_normal(5)
    h = 1e-6
    fd = [(prob.loss(w + h * e) - prob.loss(w - h * e)) / (2 * h) for e in np.eye(5)]
    np.testing.assert_allclose(prob.grad(w), fd, rtol=1e-6, atol=1e-9)
    singles = np.mean([prob.grad(w, np.array([i])) for i in range(200)], axis=0)
    np.testing.assert_allclose(singles, prob.grad(w), rtol=1e-12)  # eq. 4.11
