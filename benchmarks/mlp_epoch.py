"""One training epoch of an MLP on digits-sized data: steepest vs PyTorch CPU eager.

Data: the 8×8 digits bundled with scikit-learn (1 347 training rows × 64 features, 10 classes;
a seeded random stand-in of the same shape without scikit-learn). Model: MLP 64-128-64-10,
tanh, softmax cross-entropy; Adam (α = 10⁻³); minibatches of 32 in the same shuffled order on
both sides; BLAS and torch pinned to one thread. steepest runs ``steepest.train.fit`` for one
epoch with (a) the gradient from ``steepest.autodiff`` (the default) and (b) the model's
hand-written backward pass; torch runs the usual zero_grad / forward / backward / step loop.

Run: ``python benchmarks/mlp_epoch.py``. Target: steepest (AD) ≤ 1.5× torch's time.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _timing import interleaved_best  # noqa: E402
from steepest.train import BatchSampler, datasets, fit  # noqa: E402
from steepest.train.models import MLP  # noqa: E402

SIZES, BATCH, LR, SEED, REPEATS = [64, 128, 64, 10], 32, 1e-3, 0, 7


def load() -> tuple[np.ndarray, np.ndarray]:
    if datasets.sklearn_available():
        return datasets.load_dataset("digits", seed=SEED).train
    rng = np.random.default_rng(SEED)
    return rng.normal(size=(1347, 64)), rng.integers(0, 10, size=1347)


def steepest_epoch(X, y, dtype, use_ad: bool):
    from steepest.optimizers import adam

    net = MLP(SIZES, activation="tanh", dtype=dtype)
    params0 = net.init(seed=SEED)
    data = (X.astype(dtype), y)
    vg = None if use_ad else net.value_and_grad

    def run():
        return fit(net.loss, params0, data, adam(LR), 1, BATCH, seed=SEED,
                   value_and_grad=vg, progress=False)

    return run


def torch_epoch(X, y, dtype):
    import torch

    torch.set_num_threads(1)
    tdtype = {np.float32: torch.float32, np.float64: torch.float64}[dtype]
    net = MLP(SIZES, activation="tanh", dtype=dtype)
    params0 = net.init(seed=SEED)
    Xt, yt = torch.tensor(X, dtype=tdtype), torch.tensor(y, dtype=torch.long)
    order = BatchSampler(len(y), BATCH).epoch(np.random.default_rng(SEED))
    order = [torch.tensor(idx) for idx in order]

    def run():
        layers = []
        for k, p in enumerate(params0):
            lin = torch.nn.Linear(*p["W"].shape, dtype=tdtype)
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(p["W"].T))
                lin.bias.copy_(torch.tensor(p["b"]))
            layers += [lin] + ([torch.nn.Tanh()] if k < len(params0) - 1 else [])
        model = torch.nn.Sequential(*layers)
        opt = torch.optim.Adam(model.parameters(), lr=LR, foreach=True)
        loss_fn = torch.nn.CrossEntropyLoss()
        for idx in order:
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
        return model

    return run


VARIANTS = [("autodiff + optimizers.adam", True), ("hand-written backprop + adam", False)]


def main() -> None:
    X, y = load()
    print(f"one epoch, MLP {SIZES} tanh, Adam, batch {BATCH}, {len(y)} rows "
          f"({-(-len(y) // BATCH)} steps); best of {REPEATS} interleaved rounds; BLAS and "
          "torch on 1 thread")
    try:
        import torch  # noqa: F401

        have_torch = True
    except ImportError:
        have_torch = False
        print("torch not installed: steepest times only")
    header = f"{'dtype':8} {'variant':30} {'steepest ms':>12} {'torch ms':>10} {'ratio':>7}"
    print(header)
    print("-" * len(header))
    for dtype in (np.float32, np.float64):
        runs = {label: steepest_epoch(X, y, dtype, use_ad) for label, use_ad in VARIANTS}
        if have_torch:
            runs["torch"] = torch_epoch(X, y, dtype)
        best = interleaved_best(runs, REPEATS)
        t_torch = best.get("torch", float("nan"))
        for label, _ in VARIANTS:
            t = best[label]
            print(f"{np.dtype(dtype).name:8} {label:30} {1e3 * t:12.2f} {1e3 * t_torch:10.2f} "
                  f"{t / t_torch:7.2f}")


if __name__ == "__main__":
    main()
