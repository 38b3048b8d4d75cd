"""Small models in plain NumPy for examples and tests: linear, logistic, softmax regression, MLP.

Every model offers ``init(seed)`` (a pytree of parameters), ``loss(params, batch)`` (mean loss
of a batch ``(X, y)``, plain NumPy, so :mod:`steepest.autodiff` can differentiate it),
``value_and_grad(params, batch)`` (the same loss with a hand-written backward pass, used as a
fast path and to check the engine), ``predict(params, X)`` and metrics with the signature
``metric(params, batch)`` for :func:`steepest.train.fit`.

All losses may carry an L2 penalty ``(λ/2)·Σ‖W‖²`` on the weights (biases are not penalised).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..numerics import binary_cross_entropy_with_logits, cross_entropy, sigmoid, softmax

__all__ = [
    "LinearRegression",
    "LogisticRegression",
    "SoftmaxRegression",
    "MLP",
    "ACTIVATIONS",
    "glorot_uniform",
    "he_normal",
    "one_hot",
]

Batch = tuple[np.ndarray, np.ndarray]


# ---------------------------------------------------------------------------------------------
# stable pieces: steepest.numerics (overflow-safe, and primitives with their own derivative
# rules when traced by steepest.autodiff)
def one_hot(y: np.ndarray, n_classes: int, dtype: Any = float) -> np.ndarray:
    """Rows of the identity: ``one_hot([2, 0], 3) == [[0, 0, 1], [1, 0, 0]]``."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError("class labels must be a 1-D integer array with values 0..n_classes-1")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"class labels must lie in 0..{n_classes - 1}, got {y.min()}..{y.max()}")
    return np.eye(n_classes, dtype=dtype)[y]


def _softmax_cross_entropy(logits: Any, y: np.ndarray) -> Any:
    """Mean −log softmax(z)_y over the rows (y: integer labels), never overflowing."""
    return cross_entropy(logits, y)


def _bce_with_logits(z: Any, y: np.ndarray) -> Any:
    """Mean of log(1 + eᶻ) − y·z, the binary cross-entropy of σ(z) against y ∈ {0, 1}."""
    return binary_cross_entropy_with_logits(z, y)


# ---------------------------------------------------------------------------------------------
# initialisation and activations
def glorot_uniform(rng: np.random.Generator, fan_in: int, fan_out: int,
                   dtype: Any = np.float64) -> np.ndarray:
    """Glorot/Xavier: U(−a, a) with a = √(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out)).astype(dtype)


def he_normal(rng: np.random.Generator, fan_in: int, fan_out: int,
              dtype: Any = np.float64) -> np.ndarray:
    """He/Kaiming: N(0, 2 / fan_in), suited to ReLU layers (He et al., 2015)."""
    return (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(dtype)


@dataclass(frozen=True)
class Activation:
    """An activation ``f`` and its derivative written from ``(z, a = f(z))``."""

    f: Callable[[Any], Any]
    df: Callable[[np.ndarray, np.ndarray], np.ndarray]
    init: str  # default initialisation


ACTIVATIONS: dict[str, Activation] = {
    "tanh": Activation(np.tanh, lambda z, a: 1.0 - a * a, "glorot"),
    "relu": Activation(lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(z.dtype), "he"),
    "sigmoid": Activation(sigmoid, lambda z, a: a * (1.0 - a), "glorot"),
}
INITIALIZERS = {"glorot": glorot_uniform, "he": he_normal}


def _check_batch(batch: Any) -> Batch:
    if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
        raise TypeError("a batch must be a pair (X, y) of arrays with one row per example")
    return batch[0], batch[1]


# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Linear:
    """Shared parts of the generalised linear models: params {"w", "b"}, score X·w + b."""

    n_features: int
    l2: float = 0.0
    dtype: Any = np.float64

    def init(self, seed: int | None = 0) -> dict[str, np.ndarray]:
        """Zero weights and bias (the losses are convex, so zero is a fine start)."""
        return {"w": np.zeros(self._wshape(), self.dtype), "b": np.zeros(self._bshape(),
                                                                             self.dtype)}

    def _wshape(self) -> tuple[int, ...]:
        return (self.n_features,)

    def _bshape(self) -> tuple[int, ...]:
        return ()

    def score(self, params: dict[str, Any], X: Any) -> Any:
        return X @ params["w"] + params["b"]

    def _penalty(self, params: dict[str, Any]) -> Any:
        return 0.5 * self.l2 * np.sum(params["w"] ** 2) if self.l2 else 0.0

    def _grads(self, params: dict[str, Any], X: np.ndarray, dscore: np.ndarray) -> dict:
        gw = X.T @ dscore
        if self.l2:
            gw = gw + self.l2 * params["w"]
        return {"w": gw, "b": np.sum(dscore, axis=0)}


@dataclass(frozen=True)
class LinearRegression(_Linear):
    """Least squares ``C(w, b) = mean((Xw + b − y)²) + (λ/2)‖w‖²``.

    Example:
        >>> import numpy as np
        >>> m = LinearRegression(2)
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([1.0, 2.0])
        >>> float(m.loss(m.init(), (X, y)))
        2.5
    """

    def loss(self, params: dict[str, Any], batch: Batch) -> Any:
        X, y = _check_batch(batch)
        return np.mean((self.score(params, X) - y) ** 2) + self._penalty(params)

    def value_and_grad(self, params: dict[str, Any], batch: Batch) -> tuple[Any, dict]:
        X, y = _check_batch(batch)
        r = self.score(params, X) - y
        value = np.mean(r**2) + self._penalty(params)
        return value, self._grads(params, X, 2.0 * r / len(y))

    def predict(self, params: dict[str, Any], X: np.ndarray) -> np.ndarray:
        return self.score(params, X)

    def mse(self, params: dict[str, Any], batch: Batch) -> float:
        X, y = _check_batch(batch)
        return float(np.mean((self.predict(params, X) - y) ** 2))


@dataclass(frozen=True)
class _Classifier(_Linear):
    """A linear model whose ``predict`` returns class labels.

    Subclasses give the data loss of the logits ``z = score(X)`` and its derivative in ``z``;
    the penalty, the chain rule to (w, b), accuracy and error rate are shared.
    """

    def loss(self, params: dict[str, Any], batch: Batch) -> Any:
        X, y = _check_batch(batch)
        return self._data_loss(self.score(params, X), y) + self._penalty(params)

    def value_and_grad(self, params: dict[str, Any], batch: Batch) -> tuple[Any, dict]:
        X, y = _check_batch(batch)
        z = self.score(params, X)
        value = self._data_loss(z, y) + self._penalty(params)
        return value, self._grads(params, X, self._dloss_dz(z, y))

    def accuracy(self, params: dict[str, Any], batch: Batch) -> float:
        """The fraction of ``batch`` whose predicted label equals ``y``."""
        X, y = _check_batch(batch)
        return float(np.mean(self.predict(params, X) == y))

    def error_rate(self, params: dict[str, Any], batch: Batch) -> float:
        """``1 - accuracy``."""
        return 1.0 - self.accuracy(params, batch)


@dataclass(frozen=True)
class LogisticRegression(_Classifier):
    """Binary logistic regression, y ∈ {0, 1}: ``mean(log(1 + e^z) − y z) + (λ/2)‖w‖²``,
    ``z = Xw + b``.

    With ``λ = 1/(n·C)`` the minimiser is scikit-learn's ``LogisticRegression(C=C)``, whose
    objective ``C·Σᵢ logloss_i + ½‖w‖²`` is ``n·C`` times this one.
    """

    def _data_loss(self, z: Any, y: np.ndarray) -> Any:
        """Mean binary cross-entropy of the logits ``z``."""
        return _bce_with_logits(z, y)

    def _dloss_dz(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂(mean BCE)/∂z = (σ(z) − y)/n."""
        return (sigmoid(z) - y) / len(y)

    def predict_proba(self, params: dict[str, Any], X: np.ndarray) -> np.ndarray:
        """P(y = 1 | x) = σ(x·w + b)."""
        return sigmoid(self.score(params, X))

    def predict(self, params: dict[str, Any], X: np.ndarray) -> np.ndarray:
        return (self.score(params, X) > 0).astype(int)


@dataclass(frozen=True)
class SoftmaxRegression(_Classifier):
    """Multinomial logistic regression: ``mean(−log softmax(XW + b)_y) + (λ/2)‖W‖²``."""

    n_classes: int = 2

    def _wshape(self) -> tuple[int, ...]:
        return (self.n_features, self.n_classes)

    def _bshape(self) -> tuple[int, ...]:
        return (self.n_classes,)

    def _data_loss(self, z: Any, y: np.ndarray) -> Any:
        """Mean softmax cross-entropy of the logits ``z``."""
        return _softmax_cross_entropy(z, y)

    def _dloss_dz(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂(mean CE)/∂z = (softmax(z) − onehot(y))/n."""
        return (softmax(z) - one_hot(y, self.n_classes, z.dtype)) / len(y)

    def predict(self, params: dict[str, Any], X: np.ndarray) -> np.ndarray:
        return np.argmax(self.score(params, X), axis=1)


# ---------------------------------------------------------------------------------------------
_OUTPUTS = ("softmax", "sigmoid", "linear")


@dataclass(frozen=True)
class MLP:
    """A fully connected network ``z_l = a_{l−1} W_l + b_l``, ``a_l = f(z_l)``, last layer
    linear, with a softmax cross-entropy (classes), binary cross-entropy (``sigmoid``, one
    output) or squared-error (``linear``) loss plus ``(λ/2)·Σ_l ‖W_l‖²``.

    Args:
        sizes: layer widths ``[n_features, hidden..., n_outputs]`` (at least two).
        activation: ``"tanh"``, ``"relu"`` or ``"sigmoid"`` for the hidden layers.
        output: ``"softmax"`` (integer labels), ``"sigmoid"`` (labels 0/1) or ``"linear"``.
        init: ``"glorot"`` (uniform), ``"he"`` (normal) or ``"auto"`` (He for ReLU, Glorot
            otherwise); biases start at zero.
        l2: weight-decay coefficient λ.
        dtype: parameter dtype (float64 or float32).

    Example:
        >>> import numpy as np
        >>> net = MLP([4, 8, 3], activation="relu")
        >>> p = net.init(seed=0)
        >>> [layer["W"].shape for layer in p]
        [(4, 8), (8, 3)]
        >>> X = np.zeros((5, 4)); y = np.array([0, 1, 2, 0, 1])
        >>> round(float(net.loss(p, (X, y))), 6) == round(float(np.log(3)), 6)
        True
    """

    sizes: Sequence[int]
    activation: str = "tanh"
    output: str = "softmax"
    init_method: str = "auto"
    l2: float = 0.0
    dtype: Any = np.float64

    def __post_init__(self) -> None:
        if len(self.sizes) < 2 or any(int(s) != s or s < 1 for s in self.sizes):
            raise ValueError(f"sizes must be >= 2 positive widths [in, ..., out], got "
                             f"{list(self.sizes)}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, "
                             f"got {self.activation!r}")
        if self.output not in _OUTPUTS:
            raise ValueError(f"output must be one of {_OUTPUTS}, got {self.output!r}")
        if self.init_method not in ("auto", *INITIALIZERS):
            raise ValueError(f"init_method must be 'auto', 'glorot' or 'he', "
                             f"got {self.init_method!r}")
        if self.output == "sigmoid" and self.sizes[-1] != 1:
            raise ValueError("output='sigmoid' needs one output unit: end sizes with 1")

    def init(self, seed: int | None = 0) -> list[dict[str, np.ndarray]]:
        """Seeded initial weights (Glorot/He) and zero biases, one dict per layer."""
        rng = np.random.default_rng(seed)
        method = ACTIVATIONS[self.activation].init if self.init_method == "auto" \
            else self.init_method
        draw = INITIALIZERS[method]
        return [{"W": draw(rng, i, o, self.dtype), "b": np.zeros(o, self.dtype)}
                for i, o in zip(self.sizes[:-1], self.sizes[1:])]

    def forward(self, params: Sequence[dict[str, Any]], X: Any) -> Any:
        """The output scores (logits) of the last, linear layer."""
        f = ACTIVATIONS[self.activation].f
        a = X
        for layer in params[:-1]:
            a = f(a @ layer["W"] + layer["b"])
        return a @ params[-1]["W"] + params[-1]["b"]

    def _data_loss(self, out: Any, y: np.ndarray) -> Any:
        if self.output == "softmax":
            return _softmax_cross_entropy(out, y)
        if self.output == "sigmoid":
            return _bce_with_logits(out[:, 0], y)
        pred = out[:, 0] if np.ndim(y) == 1 else out
        return np.mean((pred - y) ** 2)

    def _penalty(self, params: Sequence[dict[str, Any]]) -> Any:
        if not self.l2:
            return 0.0
        return 0.5 * self.l2 * sum(np.sum(layer["W"] ** 2) for layer in params)

    def loss(self, params: Sequence[dict[str, Any]], batch: Batch) -> Any:
        """Mean loss of the batch ``(X, y)`` plus the L2 penalty (plain NumPy)."""
        X, y = _check_batch(batch)
        return self._data_loss(self.forward(params, X), y) + self._penalty(params)

    def _output_grad(self, out: np.ndarray, y: np.ndarray) -> np.ndarray:
        n = out.shape[0]
        if self.output == "softmax":
            return (softmax(out) - one_hot(y, out.shape[1], out.dtype)) / n
        if self.output == "sigmoid":
            return ((sigmoid(out[:, 0]) - y) / n)[:, None]
        r = out - (y[:, None] if np.ndim(y) == 1 else y)
        return 2.0 * r / r.size

    def value_and_grad(self, params: Sequence[dict[str, Any]], batch: Batch) -> tuple[Any, list]:
        """Loss and gradient by a hand-written backward pass (backpropagation)."""
        X, y = _check_batch(batch)
        act = ACTIVATIONS[self.activation]
        inputs, zs, a = [], [], X
        for layer in params[:-1]:
            inputs.append(a)
            z = a @ layer["W"] + layer["b"]
            a = act.f(z)
            zs.append((z, a))
        inputs.append(a)
        out = a @ params[-1]["W"] + params[-1]["b"]
        value = self._data_loss(out, y) + self._penalty(params)
        delta = self._output_grad(out, y)
        grads: list[dict[str, np.ndarray]] = [{}] * len(params)
        for layer_index in range(len(params) - 1, -1, -1):
            W = params[layer_index]["W"]
            gW = inputs[layer_index].T @ delta
            if self.l2:
                gW = gW + self.l2 * W
            grads[layer_index] = {"W": gW, "b": delta.sum(axis=0)}
            if layer_index:
                z, a = zs[layer_index - 1]
                delta = (delta @ W.T) * act.df(z, a)
        return value, grads

    def predict(self, params: Sequence[dict[str, Any]], X: np.ndarray) -> np.ndarray:
        """Class labels (softmax/sigmoid outputs) or predicted values (linear output)."""
        out = self.forward(params, X)
        if self.output == "softmax":
            return np.argmax(out, axis=1)
        if self.output == "sigmoid":
            return (out[:, 0] > 0).astype(int)
        return out[:, 0] if out.shape[1] == 1 else out

    def accuracy(self, params: Sequence[dict[str, Any]], batch: Batch) -> float:
        X, y = _check_batch(batch)
        return float(np.mean(self.predict(params, X) == y))

    def error_rate(self, params: Sequence[dict[str, Any]], batch: Batch) -> float:
        """One minus the accuracy: the performance function of Liquet et al. Fig. 4.4."""
        return 1.0 - self.accuracy(params, batch)
