"""Train an MLP on the digits bundled with scikit-learn, with early stopping and a checkpoint.

Run: ``python examples/train_digits.py`` (needs ``pip install steepest[examples]``).
Interrupt it and run it again: it resumes from ``digits-run.npz`` where it left off.
"""

from pathlib import Path

import steepest as st
from steepest.train import EarlyStopping, datasets, fit
from steepest.train.models import MLP

data = datasets.load_dataset("digits", validation=0.25, seed=0)
net = MLP([data.n_features, 64, data.n_classes], activation="relu")
checkpoint = Path("digits-run.npz")  # rewritten after every epoch

result = fit(
    net.loss,  # plain NumPy; differentiated by steepest.autodiff
    net.init(seed=0),
    data.train,
    st.optimizers.adam(1e-3),
    epochs=60,
    batch_size=32,
    validation=data.validation,
    metrics={"accuracy": net.accuracy},
    early_stopping=EarlyStopping(patience=8, monitor="val_accuracy"),
    checkpoint=checkpoint,
    resume=True,  # continue from the checkpoint when it exists
    progress=True,
)
print(result)
print(f"validation accuracy of the kept epoch {result.best_epoch}: "
      f"{net.accuracy(result.params, data.validation):.3f}")
