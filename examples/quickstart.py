"""Stable softmax versus the textbook formula (Goodfellow et al., §4.1)."""

import numpy as np

import steepest as st

x = np.array([12345.0, 67890.0, 99999999.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(x) / np.exp(x).sum()
print("naive :", naive)
print("stable:", st.softmax(x))
