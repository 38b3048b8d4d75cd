"""Hill climbing on discrete problems: it stops exactly at local optima."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import OptimizeResult as ScipyOptimizeResult

from steepest import Status
from steepest.unconstrained.discrete import hill_climb


def flips(s: tuple[int, ...]) -> list[tuple[int, ...]]:
    return [s[:i] + (1 - s[i],) + s[i + 1 :] for i in range(len(s))]


@pytest.mark.parametrize("strategy", ["best", "first"])
def test_onemax_climbs_to_all_ones(strategy: str) -> None:
    r = hill_climb(sum, (0,) * 12, flips, strategy=strategy)
    assert r.x == (1,) * 12 and r.fun == 12.0
    assert r.nit == 12 and r.success and r.status is Status.SUCCESS
    assert np.all(np.diff(r.values) > 0)  # every move strictly improves
    assert r.path[0] == (0,) * 12 and r.path[-1] == r.x


# A bumpy landscape on the integer grid {0..29}^2 with several local minima.
_RNG = np.random.default_rng(0)
_LAND = _RNG.standard_normal((30, 30)).cumsum(axis=0).cumsum(axis=1)


def landscape(p: tuple[int, int]) -> float:
    return float(_LAND[p])


def grid_neighbors(p: tuple[int, int]) -> list[tuple[int, int]]:
    i, j = p
    steps = [(1, 0), (-1, 0), (0, 1), (0, -1)]
    return [(i + a, j + b) for a, b in steps if 0 <= i + a < 30 and 0 <= j + b < 30]


@given(i=st.integers(0, 29), j=st.integers(0, 29), strategy=st.sampled_from(["best", "first"]))
def test_descent_ends_at_a_local_minimum(i: int, j: int, strategy: str) -> None:
    r = hill_climb(landscape, (i, j), grid_neighbors, maximize=False, strategy=strategy)
    assert r.success
    assert all(landscape(q) >= r.fun for q in grid_neighbors(r.x))  # local optimality
    assert r.fun <= landscape((i, j))
    assert np.all(np.diff(r.values) < 0)


def test_steepest_ascent_takes_the_best_neighbor() -> None:
    r = hill_climb(landscape, (15, 15), grid_neighbors, strategy="best", maxiter=1)
    assert r.path[1] == max(grid_neighbors((15, 15)), key=landscape)
    assert r.status is Status.MAX_ITER and not r.success


def test_budget_and_caching() -> None:
    calls: list[tuple[int, ...]] = []

    def f(s: tuple[int, ...]) -> float:
        calls.append(s)
        return float(sum(s))

    r = hill_climb(f, (0,) * 8, flips, maxfev=5)
    assert r.status is Status.MAX_FEV and r.nfev == 5 == len(calls)
    full = hill_climb(f, (0,) * 4, flips)
    assert full.nfev == len(set(calls[5:]))  # each state evaluated once


def test_unhashable_and_array_states() -> None:
    r = hill_climb(
        lambda v: -float(np.sum((v - 3) ** 2)),
        np.zeros(3, dtype=int),
        lambda v: [v + e for e in np.vstack([np.eye(3, dtype=int), -np.eye(3, dtype=int)])],
    )
    assert r.x.tolist() == [3, 3, 3] and r.success
    lists = hill_climb(lambda s: -abs(s[0] - 4), [0], lambda s: [[s[0] + 1], [s[0] - 1]])
    assert lists.x == [4]


def test_nan_neighbours_are_ignored_and_bad_input_rejected() -> None:
    r = hill_climb(lambda k: float("nan") if k == 2 else -abs(k - 5), 1, lambda k: [k + 1, k + 2])
    assert r.x == 5
    with pytest.raises(ValueError, match="strategy"):
        hill_climb(sum, (0,), flips, strategy="random")
    with pytest.raises(ValueError, match="NaN"):
        hill_climb(lambda s: float("nan"), (0,), flips)
    with pytest.raises(ValueError, match="maxiter"):
        hill_climb(sum, (0,), flips, maxiter=-1)


def test_result_is_a_scipy_optimize_result():
    flips = lambda s: [s[:i] + (1 - s[i],) + s[i + 1:] for i in range(len(s))]  # noqa: E731
    r = hill_climb(sum, (0, 1, 0), flips, maxiter=1)
    assert isinstance(r, ScipyOptimizeResult) and "path" in r and r.status == 1
    assert r.status is Status.MAX_ITER and not r.success and r.message == r["message"]


def test_values_field_is_the_objective_along_the_path():
    r = hill_climb(sum, (0, 0), flips)
    assert r.values.tolist() == [0.0, 1.0, 2.0] and r["values"] is r.values
    assert "values" in r and len(list(dict.values(r))) == len(r)
