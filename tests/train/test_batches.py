import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steepest.train import BatchSampler, minibatches, num_examples, take


@pytest.mark.parametrize("n,b", [(10, 3), (12, 4), (7, 7), (5, 9), (1, 1)])
def test_epoch_without_replacement_is_a_partition(n, b):
    sampler = BatchSampler(n, b)
    rng = np.random.default_rng(0)
    for _ in range(5):
        batches = sampler.epoch(rng)
        assert [len(x) for x in batches] == sampler.sizes
        assert sorted(np.concatenate(batches).tolist()) == list(range(n))
        assert all(len(x) == min(b, n) for x in batches[:-1])
    assert sampler.num_batches == -(-n // min(b, n))


def test_drop_last_drops_the_partial_batch():
    sampler = BatchSampler(10, 3, drop_last=True)
    batches = sampler.epoch(np.random.default_rng(1))
    assert [len(x) for x in batches] == [3, 3, 3]
    assert len(set(np.concatenate(batches).tolist())) == 9


def test_shuffle_changes_every_epoch_and_is_seeded():
    sampler = BatchSampler(50, 10)
    rng = np.random.default_rng(3)
    e1, e2 = np.concatenate(sampler.epoch(rng)), np.concatenate(sampler.epoch(rng))
    assert not np.array_equal(e1, e2)
    again = np.random.default_rng(3)
    assert np.array_equal(np.concatenate(sampler.epoch(again)), e1)
    ordered = BatchSampler(50, 10, shuffle=False).epoch(rng)
    assert np.array_equal(np.concatenate(ordered), np.arange(50))


def test_with_replacement_draws_iid_uniform_indices():
    sampler = BatchSampler(6, 4, replacement=True)
    rng = np.random.default_rng(0)
    draws = np.concatenate([np.concatenate(sampler.epoch(rng)) for _ in range(3000)])
    assert [len(x) for x in sampler.epoch(rng)] == [4, 2]
    counts = np.bincount(draws, minlength=6)
    expected = draws.size / 6
    # chi-square with 5 dof: 99.9% quantile is 20.5
    assert np.sum((counts - expected) ** 2 / expected) < 20.5
    # repeated indices inside one batch do occur (they cannot without replacement)
    assert any(len(set(x.tolist())) < len(x) for _ in range(50) for x in sampler.epoch(rng))


def test_minibatches_slices_every_leaf_of_a_pytree():
    X = np.arange(20.0).reshape(10, 2)
    data = {"x": X, "y": np.arange(10), "w": [np.arange(10) * 2]}
    seen = []
    for batch in minibatches(data, 4, seed=5):
        assert np.array_equal(batch["x"][:, 0] / 2, batch["y"])
        assert np.array_equal(batch["w"][0], 2 * batch["y"])
        seen.extend(batch["y"].tolist())
    assert sorted(seen) == list(range(10))
    assert np.array_equal(take(data, np.array([3]))["x"], X[[3]])


@pytest.mark.parametrize(
    "kwargs,match",
    [({"n": 0, "batch_size": 1}, "n must"), ({"n": 5, "batch_size": 0}, "batch_size"),
     ({"n": 5, "batch_size": 2.5}, "batch_size"),
     ({"n": 3, "batch_size": 5, "drop_last": True}, "drop_last")],
)
def test_bad_sampler_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BatchSampler(**kwargs)


def test_num_examples_checks_leading_axes():
    assert num_examples((np.zeros((4, 2)), np.zeros(4))) == 4
    with pytest.raises(ValueError, match="different leading lengths"):
        num_examples((np.zeros((4, 2)), np.zeros(5)))
    with pytest.raises(ValueError, match="no arrays"):
        num_examples({})
    with pytest.raises(ValueError, match="leading example axis"):
        num_examples((np.zeros(3), 1.0))


@given(n=st.integers(1, 60), b=st.integers(1, 70), drop=st.booleans(), seed=st.integers(0, 99))
def test_sampler_sizes_cover_an_epoch(n, b, drop, seed):
    if drop and b > n:  # no full batch at all: refused at construction, not an empty epoch
        with pytest.raises(ValueError, match="leaves no batch"):
            BatchSampler(n, b, drop_last=True)
        return
    sampler = BatchSampler(n, b, drop_last=drop)
    batches = sampler.epoch(np.random.default_rng(seed))
    flat = np.concatenate(batches)
    assert len(set(flat.tolist())) == flat.size  # no repeats without replacement
    assert flat.size == (n - n % min(b, n) if drop else n)
    assert sampler.num_batches == (n // min(b, n) if drop else -(-n // min(b, n)))
