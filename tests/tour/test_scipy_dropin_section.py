"""The "From scipy to steepest" tour section runs and shows what it claims."""

import re

from steepest.tour import SECTIONS
from steepest.tour import scipy_dropin as section

from ._section import run_section


def test_scipy_dropin_section(tmp_path):
    assert "steepest.tour.scipy_dropin" in SECTIONS
    ctx, text = run_section(section, tmp_path)
    assert "from steepest import minimize" in text and "def scipy_script" in text
    rows = re.findall(r"\| (BFGS|Newton-CG|trust-exact|L-BFGS-B|SLSQP|trust-constr) \|"
                      r".* \| ([0-9.]+e[-+][0-9]+) \| True / True \|", text)
    assert len(rows) == 6
    assert all(float(gap) < 1e-3 for _, gap in rows)
    box = re.findall(r"\| (scipy|steepest) \| \[0\.8, 0\.64\] \| 0\.04 \| (\d+) \| (\d+) \| 0 \|",
                     text)
    assert len(box) == 2 and int(box[1][2]) <= int(box[0][2])  # nfev no more than scipy's
    assert len(ctx.figures) == 1 and ctx.figures[0].stat().st_size > 1000
    assert any("outside the box" in s for s in ctx.summaries)
    same = re.search(r"evaluates f at (\d+) points and scipy's at (\d+); the largest "
                     r"difference between the k-th points is ([0-9.e+-]+) \(the same points\)",
                     text)
    assert same and same[1] == same[2] and float(same[3]) == 0.0


def test_scipy_dropin_section_matrix_free_trust_regions(tmp_path):
    """trust-ncg / trust-krylov at n = 2000 on hessp alone: scipy's answer, True / True,
    and fewer Hessian-vector products in all than one dense Hessian would need."""
    _, text = run_section(section, tmp_path)
    rows = re.findall(r"\| (trust-ncg|trust-krylov) \| (\d+) / (\d+) \| (\d+) / (\d+) \| "
                      r"([0-9.]+e[-+][0-9]+) \| True / True \|", text)
    assert {r[0] for r in rows} == {"trust-ncg", "trust-krylov"}
    assert all(float(r[5]) < 1e-3 and 0 < int(r[4]) < 2000 for r in rows)
