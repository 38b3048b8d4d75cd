"""Differentiable ``numpy.linalg``."""
