"""The README's quickstart runs and shows what its comments say."""

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_quickstart_runs_and_its_claims_hold():
    code = re.search(r"## Quickstart\n\n```python\n(.*?)```", README.read_text(), re.S).group(1)
    ns: dict = {}
    exec(compile(code, "README-quickstart", "exec"), ns)  # noqa: S102 - our own README
    assert ns["res"].success and ns["res"].certificate.kind == "minimum"
    np.testing.assert_allclose(ns["res"].x, [1.0, 1.0], atol=1e-5)
    np.testing.assert_allclose(ns["r"].x, [4.0, 4.0], atol=1e-8)
    np.testing.assert_allclose(ns["r"].lam, [-0.25], atol=1e-8)
    assert ns["r"].kkt.passed
