"""Cross-entropy losses from logits: accuracy, label/probability agreement, errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as hst
from hypothesis.extra import numpy as hnp

import steepest.numerics as sn
from steepest.numerics import _mpref
from steepest.numerics.floating import ulp_distance


def test_cross_entropy_labels_within_2_ulp_of_mpmath():
    rng = np.random.default_rng(0)
    for _ in range(40):
        z = rng.standard_normal((3, 4)) * 10.0 ** rng.uniform(-2, 3)
        y = rng.integers(0, 4, size=3)
        got = sn.cross_entropy(z, y, reduction="none")
        ref = np.array([-_mpref.log_softmax(row)[k] for row, k in zip(z, y)])
        assert np.max(ulp_distance(got, ref)) <= 2


def test_cross_entropy_is_finite_where_naive_overflows():
    z = np.array([[0.0, 1000.0], [1000.0, 0.0]])
    np.testing.assert_array_equal(sn.cross_entropy(z, [0, 0], reduction="none"), [1000.0, 0.0])
    with np.errstate(all="ignore"):
        naive = -np.log(np.exp(z[0, 0]) / np.sum(np.exp(z[0])))
    assert np.isinf(naive) or np.isnan(naive)


def test_labels_and_one_hot_and_axis_agree():
    rng = np.random.default_rng(1)
    z = rng.standard_normal((5, 3))
    y = rng.integers(0, 3, size=5)
    onehot = np.eye(3)[y]
    for red in ("mean", "sum", "none"):
        np.testing.assert_allclose(sn.cross_entropy(z, y, reduction=red),
                                   sn.cross_entropy(z, onehot, reduction=red), rtol=1e-15)
    np.testing.assert_allclose(sn.cross_entropy(z.T, y, axis=0), sn.cross_entropy(z, y),
                               rtol=1e-15)
    assert sn.cross_entropy(z, y, reduction="sum") == pytest.approx(
        5 * sn.cross_entropy(z, y), rel=1e-14)


def test_soft_targets_give_entropy_plus_kl():
    rng = np.random.default_rng(2)
    z = rng.standard_normal(4)
    t = sn.softmax(rng.standard_normal(4))
    q = sn.softmax(z)
    expected = -np.sum(t * np.log(q))
    assert sn.cross_entropy(z, t) == pytest.approx(expected, rel=1e-13)
    # H(t, softmax(z)) is minimised at z = log t
    assert sn.cross_entropy(np.log(t), t) <= sn.cross_entropy(z, t)


def test_cross_entropy_errors_name_the_fix():
    z = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"labels of shape \(4,\)"):
        sn.cross_entropy(z, np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="targets of the logits' shape"):
        sn.cross_entropy(z, np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"\[0, 2\]"):
        sn.cross_entropy(z, np.array([0, 1, 3, 0]))
    with pytest.raises(ValueError, match="'mean', 'sum', 'none'"):
        sn.cross_entropy(z, np.zeros(4, dtype=int), reduction="avg")
    with pytest.raises(ValueError, match="non-negative"):
        sn.cross_entropy(z, -np.ones((4, 3)))
    with pytest.raises(ValueError, match="class axis"):
        sn.cross_entropy(1.0, 0)


def test_bce_matches_mpmath_for_hard_and_soft_targets():
    rng = np.random.default_rng(3)
    z = np.concatenate([rng.standard_normal(50) * 30, [-1e4, -745.0, 37.0, 710.0, 1e-300]])
    for t in (np.ones_like(z), np.zeros_like(z)):
        got = sn.binary_cross_entropy_with_logits(z, t, reduction="none")
        ref = _mpref.elementwise("softplus", np.where(t == 1, -z, z))
        assert np.max(ulp_distance(got, ref)) <= 2
    t = rng.uniform(0, 1, z.size)
    got = sn.binary_cross_entropy_with_logits(z, t, reduction="none")
    ref = t * _mpref.elementwise("softplus", -z) + (1 - t) * _mpref.elementwise("softplus", z)
    np.testing.assert_allclose(got, ref, rtol=4e-16 * 4)


def test_bce_errors_and_dtype():
    with pytest.raises(ValueError, match="one target per logit"):
        sn.binary_cross_entropy_with_logits(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sn.binary_cross_entropy_with_logits(np.zeros(2), np.array([0.5, 2.0]))
    z32 = np.array([1.0, -2.0], dtype=np.float32)
    assert sn.binary_cross_entropy_with_logits(z32, np.array([True, False])).dtype == np.float32


@given(hnp.arrays(np.float64, hst.tuples(hst.integers(1, 4), hst.integers(2, 5)),
                  elements=hst.floats(-1e300, 1e300)))
def test_losses_finite_for_finite_logits(z):
    y = np.arange(z.shape[0]) % z.shape[1]
    assert np.isfinite(sn.cross_entropy(z, y)) or np.max(np.abs(z)) > 1e307
    assert np.isfinite(sn.binary_cross_entropy_with_logits(z, np.full(z.shape, 0.3))) or (
        np.max(np.abs(z)) > 1e307)


def test_masked_classes_with_zero_target_do_not_poison_the_loss():
    """A class masked with a -inf logit and target 0 contributes 0 (not 0 * inf = nan): the
    loss equals that of the same row with the masked class removed."""
    z = np.array([[1.0, -np.inf, 0.5], [0.2, 0.3, -np.inf]])
    t = np.array([[0.3, 0.0, 0.7], [1.0, 0.0, 0.0]])
    got = sn.cross_entropy(z, t, reduction="none")
    for row, keep in ((0, [0, 2]), (1, [0, 1])):
        zk, tk = z[row, keep], t[row, keep]
        ref = -np.sum(tk * (zk - np.log(np.sum(np.exp(zk)))))
        assert got[row] == pytest.approx(ref, rel=1e-14)
    labels = sn.cross_entropy(z, np.array([0, 1]), reduction="none")
    assert np.all(np.isfinite(labels))
    assert labels[1] == pytest.approx(np.log1p(np.exp(0.2 - 0.3)), rel=1e-14)
