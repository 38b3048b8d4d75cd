"""steepest.numpy is a complete NumPy namespace; every NumPy name is ruled, passed through or
unsupported with a reason (the enumeration in steepest.autodiff.numpy.coverage)."""

import types
from pathlib import Path

import numpy as np
import pytest

import steepest.numpy as snp
from steepest._dispatch import TRACED
from steepest.autodiff import grad, jvp
from steepest.autodiff.errors import MissingRuleError
from steepest.autodiff.numpy import coverage as cov

DOC = Path(__file__).resolve().parents[2] / "docs" / "numpy_coverage.md"
X = np.array([0.5, -1.25, 2.3, 0.75])  # no integers: floor and fix are locally constant


def test_every_public_numpy_name_is_classified():
    missing = [name for name, entry in cov.coverage().items() if entry is None]
    assert missing == [], f"add these NumPy names to PASS_THROUGH or UNSUPPORTED: {missing}"


def test_the_explicit_lists_name_real_numpy_functions_once():
    listed = [n for names in cov.PASS_THROUGH.values() for n in names]
    listed += [n for _, names in cov.UNSUPPORTED.values() for n in names]
    assert len(listed) == len(set(listed))
    assert [n for n in listed if cov._resolve(n) is None] == []
    assert set(cov.NEAREST) <= set(listed)


def test_a_listed_unsupported_name_is_refused_on_traced_values():
    """A rule added for a listed name must also remove it from UNSUPPORTED."""
    listed = {n for _, names in cov.UNSUPPORTED.values() for n in names}
    own = {n for n in listed if not isinstance(cov._resolve(n), np.ufunc)
           and not isinstance(TRACED[cov._resolve(n)], cov.Unsupported)}
    assert own == set()  # linalg.eig/eigvals, the last names with their own refusal, are ruled


def test_steepest_numpy_holds_every_numpy_name():
    for module, smodule in ((np, snp), (np.linalg, snp.linalg)):
        for name in cov.numpy_public(module):
            assert hasattr(smodule, name), name
    assert set(cov.numpy_public(np)) <= set(dir(snp))
    assert snp.fft is np.fft and snp.random is np.random
    assert snp.float64 is np.float64 and snp.pi == np.pi and snp.newaxis is None


def test_passed_through_names_are_numpys_own_objects():
    table = cov.coverage()
    for name, entry in table.items():
        if entry.status == "passed through" and entry.note == "module":
            continue
        if entry.status == "passed through" and name not in ("sign", "floor", "ceil"):
            module, _, name = name.rpartition(".")
            smod, nmod = (getattr(snp, module), getattr(np, module)) if module else (snp, np)
            assert getattr(smod, name) is getattr(nmod, name), name
        elif entry.status == "passed through":  # piecewise constant, steepest's own
            assert np.array_equal(getattr(snp, name)(X), getattr(np, name)(X))


@pytest.mark.parametrize("use", [
    lambda x: x * np.shape(x)[0] * np.ndim(x) / np.size(x),
    lambda x: x * np.argmax(x) + x * np.argsort(x),
    lambda x: x * np.isfinite(x) * np.sign(x) + np.floor(x) * x,
    lambda x: x * np.iscomplex(x) + x * np.isreal(x) + x * np.isposinf(x),
    lambda x: x * np.fix(x) + x * np.isin(np.floor(x), [2.0]),
    lambda x: x + snp.zeros(snp.shape(x)) + snp.ones_like(x) + snp.arange(4.0),
    lambda x: snp.r_[x[:2], x[2:]] + snp.c_[x][:, 0] + x[snp.s_[::-1]][snp.ix_([3, 2, 1, 0])],
])
def test_passed_through_functions_work_on_traced_values(use):
    eps = 1e-6
    fd = np.array([(np.sum(use(X + eps * e)) - np.sum(use(X - eps * e))) / (2 * eps)
                   for e in np.eye(X.size)])
    assert np.allclose(grad(lambda x: snp.sum(use(x)))(X), fd)
    assert np.isclose(jvp(lambda x: snp.sum(use(x)), (X,), (np.ones(4),))[1], fd.sum())


@pytest.mark.parametrize("name, call, needle", [
    # median, cumulative_sum, select and nansum, once listed here, now have rules
    # (tests/autodiff/test_numpy_more_rules.py)
    ("insert", lambda x: np.insert(x, 1, x[0]), "np.concatenate"),
    ("polyfit", lambda x: snp.polyfit(x, x, 1), "np.linalg.lstsq"),
    ("roots", lambda x: np.roots(x), "real and imaginary parts"),
    ("unique", lambda x: np.unique(x), "stop_gradient"),
    ("trim_zeros", lambda x: snp.trim_zeros(x), "np.flatnonzero"),
])
def test_unsupported_functions_name_themselves_and_the_alternative(name, call, needle):
    with pytest.raises(MissingRuleError, match=f"np.{name} is not differentiable") as info:
        grad(lambda x: np.sum(call(x)))(X)
    assert needle in str(info.value)
    assert cov.coverage()[name].status == "unsupported"


def test_unsupported_functions_still_work_on_plain_arrays():
    assert snp.median(X) == np.median(X)
    assert np.array_equal(snp.cumulative_sum(X), np.cumulative_sum(X))


def test_the_docs_table_is_current(capsys):
    entries = [e for e in cov.coverage().values() if e is not None]
    assert DOC.read_text(encoding="utf-8") == cov.markdown(entries) + "\n"
    assert cov.main([]) == 0
    counts = capsys.readouterr().out
    assert f"ruled: {sum(e.status == 'ruled' for e in entries)}," in counts


def test_a_name_another_package_aliases_into_numpy_is_not_numpys():
    """numexpr sets numpy.expm1x = numpy.expm1 on import: an undeclared alias is left out;
    declared names (aliases included) and undeclared new objects still count."""
    fake = types.ModuleType("fake_numpy")
    fake.absolute = fake.abs = np.absolute
    fake.sin, fake.test = np.sin, object()
    fake.sinx = np.sin  # what a third party injects
    fake.__all__ = ["abs", "absolute", "sin"]
    assert cov.numpy_public(fake) == ["abs", "absolute", "sin", "test"]


def test_importing_numexpr_leaves_the_enumeration_complete():
    ne = pytest.importorskip("numexpr")
    assert ne.evaluate("a + 1", local_dict={"a": X}).tolist() == (X + 1).tolist()
    assert "expm1x" not in cov.numpy_public(np)
    assert [n for n, e in cov.coverage().items() if e is None] == []
