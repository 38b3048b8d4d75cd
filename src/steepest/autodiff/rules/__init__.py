"""Derivative rules as data: one primitive per NumPy-level operation, its VJP and JVP side by side.

By family: :mod:`.broadcast` (reshape, broadcast_to, sum: the rules of broadcasting),
:mod:`.shape` (indexing, transpose, concatenate, pad), :mod:`.reduce`, :mod:`.ufunc`
(elementwise), :mod:`.products` (matmul, einsum), :mod:`.linalg` and :mod:`.special`
(steepest's stable numerics). Rule modules hold only rules; which NumPy function each
primitive implements is said in :mod:`steepest.autodiff.numpy`.

Example:
    >>> from steepest.autodiff.rules import ufunc
    >>> sorted(ufunc.sin.vjps), sorted(ufunc.sin.jvps)
    ([0], [0])
"""
