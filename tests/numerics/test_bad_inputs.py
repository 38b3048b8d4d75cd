"""Bad input to the stable numerics, losses, floating-point and conditioning tools: one row per
case (issue 14's catalogue; the row format is ``tests/_bad_input.py``'s)."""

from __future__ import annotations

import numpy as np

import steepest as st
from _bad_input import assert_clear_error, case, parametrize

M23 = np.ones((2, 3))
LABELS = np.array([0, 1])
AXIS_RANGE = ("is out of range for an array with", "use an axis in")
AXIS_TYPE = ("axis must be an int, a tuple of ints or None",)
REAL = ("must be a real numeric array", "got dtype")

CASES = [
    # logsumexp / softmax family: axes, dtypes, shapes
    case("logsumexp axis 2 of a matrix", lambda: st.logsumexp(M23, axis=2), ValueError,
         "axis=2", *AXIS_RANGE),
    case("logsumexp axis -3 of a matrix", lambda: st.logsumexp(M23, axis=-3), ValueError,
         "axis=-3", "[-2, 1]"),
    case("logsumexp axis str", lambda: st.logsumexp(np.ones(3), axis="0"), TypeError, *AXIS_TYPE),
    case("logsumexp axis float", lambda: st.logsumexp(np.ones(3), axis=0.0), TypeError,
         *AXIS_TYPE),
    case("logsumexp axis tuple out of range", lambda: st.logsumexp(M23, axis=(0, 2)), ValueError,
         *AXIS_RANGE),
    case("logsumexp of a str", lambda: st.logsumexp("abc"), TypeError, "a", *REAL),
    case("logsumexp of an object array", lambda: st.logsumexp(
        np.array([1.0, None], dtype=object)), TypeError, *REAL),
    case("logsumexp of None", lambda: st.logsumexp(None), TypeError, *REAL),
    case("logsumexp of a complex array", lambda: st.logsumexp(1j * np.ones(3)), TypeError,
         "a must be real", "x.real"),
    case("logsumexp weights b of another shape", lambda: st.logsumexp(np.ones(3), b=np.ones(4)),
         ValueError, "b with shape (4,) does not broadcast", "pass weights of a's shape"),
    case("softmax axis 1 of a vector", lambda: st.softmax(np.ones(3), axis=1), ValueError,
         *AXIS_RANGE),
    case("softmax axis str", lambda: st.softmax(np.ones(3), axis="x"), TypeError, *AXIS_TYPE),
    case("softmax of a 0-d array", lambda: st.softmax(np.float64(1.0)), ValueError,
         "0 dimension(s)", "use an axis in"),
    case("softmax of a str", lambda: st.softmax("ab"), TypeError, "x", *REAL),
    case("softmax of a complex array", lambda: st.softmax(1j * np.ones(2)), TypeError,
         "x must be real", "x.real"),
    case("log_softmax axis 5", lambda: st.log_softmax(np.ones((2, 2)), axis=5), ValueError,
         *AXIS_RANGE),
    case("log_softmax of None", lambda: st.log_softmax(None), TypeError, *REAL),
    case("sigmoid of a str", lambda: st.sigmoid("a"), TypeError, "x", *REAL),
    case("log_sigmoid of a complex", lambda: st.log_sigmoid(1j), TypeError, "x must be real"),
    case("softplus of None", lambda: st.softplus(None), TypeError, *REAL),
    case("logit of a str", lambda: st.logit("a"), TypeError, "p", *REAL),
    case("log1mexp of a str", lambda: st.log1mexp("a"), TypeError, "x", *REAL),
    # losses
    case("cross_entropy reduction misspelt", lambda: st.cross_entropy(
        M23, LABELS, reduction="avg"), ValueError, "unknown reduction 'avg'", "'mean', 'sum'"),
    case("cross_entropy label past the classes", lambda: st.cross_entropy(
        M23, np.array([0, 3])), ValueError, "label 3 is out of range", "[0, 2]"),
    case("cross_entropy negative label", lambda: st.cross_entropy(M23, np.array([0, -1])),
         ValueError, "label -1 is out of range", "[0, 2]"),
    case("cross_entropy float targets of the label shape", lambda: st.cross_entropy(
        M23, np.array([0.5, 1.0])), ValueError, "probability targets have shape (2,)",
         "integer labels of shape (2,)"),
    case("cross_entropy too many labels", lambda: st.cross_entropy(M23, np.arange(3)),
         ValueError, "integer targets have shape (3,)", "labels of shape (2,)"),
    case("cross_entropy axis out of range", lambda: st.cross_entropy(M23, LABELS, axis=3),
         ValueError, *AXIS_RANGE),
    case("bce reduction misspelt", lambda: st.binary_cross_entropy_with_logits(
        np.ones(3), np.ones(3), reduction="none2"), ValueError, "unknown reduction 'none2'",
         "'mean', 'sum', 'none'"),
    case("bce targets of another shape", lambda: st.binary_cross_entropy_with_logits(
        np.ones(3), np.ones(4)), ValueError, "targets have shape (4,)", "one target per logit"),
    case("bce targets outside [0, 1]", lambda: st.binary_cross_entropy_with_logits(
        np.ones(3), 2 * np.ones(3)), ValueError, "targets must be probabilities in [0, 1]"),
    # floating point
    case("machine_epsilon of an int dtype", lambda: st.machine_epsilon(np.int32), TypeError,
         "machine_epsilon needs a floating dtype", "integers are exact"),
    case("machine_epsilon of a misspelt dtype", lambda: st.machine_epsilon("flot"), TypeError,
         "needs a floating dtype", "np.float16/32/64"),
    case("ulp of a str", lambda: st.ulp("a"), TypeError, "x must be float16, float32 or float64"),
    case("ulp_distance of shapes that do not broadcast", lambda: st.ulp_distance(
        np.ones(2), np.ones(3)), ValueError, "a and b must broadcast together",
         "(2,) and (3,)", "pass arrays of one shape"),
    # conditioning
    case("condition_number kind misspelt", lambda: st.condition_number(np.eye(2), kind="svdd"),
         ValueError, "unknown condition-number kind 'svdd'", "'svd'"),
    case("condition_number of a vector", lambda: st.condition_number(np.ones(3)), ValueError,
         "A must be a non-empty 2-D matrix", "(3,)"),
    case("condition_number with nan", lambda: st.condition_number(
        np.array([[np.nan, 0.0], [0.0, 1.0]])), ValueError, "A contains nan or inf",
         "finite entries"),
    case("solve rectangular A", lambda: st.solve(M23, np.ones(2)), ValueError,
         "A must be square", "kind='svd'"),
    case("solve b of another length", lambda: st.solve(np.eye(2), np.ones(3)), ValueError,
         "b has shape (3,)", "pass b of shape (2,)"),
    case("solve singular A", lambda: st.solve(np.zeros((2, 2)), np.ones(2)),
         np.linalg.LinAlgError, "A is exactly singular", "no solution"),
    case("solve warn_tol negative", lambda: st.solve(np.eye(2), np.ones(2), warn_tol=-1),
         ValueError, "warn_tol must be a finite number > 0", "warn_tol=1e-8"),
    case("solve warn_tol str", lambda: st.solve(np.eye(2), np.ones(2), warn_tol="1e-8"),
         TypeError, "warn_tol", "pass a real number"),
    case("perturbation_report db of another length", lambda: st.perturbation_report(
        np.eye(2), np.ones(2), np.ones(3)), ValueError, "b and db must both have shape (2,)"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)
