"""The errors of automatic differentiation, with messages that name the fix.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> try:
    ...     grad(lambda x: float(x))(1.0)
    ... except TypeError as err:
    ...     print(str(err).split(" of ")[0])
    float()
"""

from __future__ import annotations

from typing import Any

__all__ = ["MissingRuleError", "IndependentOutputWarning", "missing_rule", "traced_error",
           "conversion_error", "complex_unsupported", "scipy_error"]


class IndependentOutputWarning(UserWarning):
    """A differentiated function's output is not connected to its traced input.

    The gradient is then zero by construction, which is right for a constant function and
    wrong when ``f`` reads ``x`` through a cache, a copy made outside the trace, or a random
    number: the derivative did not flow. Pass the gradient yourself (``jac=``) or use finite
    differences (``jac="2-point"``).
    """


_SEQUENCE = "setting an array element with a sequence"


def conversion_error(exc: ValueError) -> Exception:
    """NumPy's "setting an array element with a sequence" on a traced value, explained.

    ``np.array(x, dtype=float)`` (or ``np.asarray(x, float)``, ``x.astype(float)`` via NumPy)
    of a traced ``x`` asks NumPy for a plain float array, which cannot carry a derivative.

    Args:
        exc: the ``ValueError`` NumPy raised.

    Returns:
        A ``TypeError`` naming the cause and the fix for NumPy's message, else ``exc``.

    Example:
        >>> "jac='2-point'" in str(conversion_error(ValueError(_SEQUENCE + ".")))
        True
    """
    if _SEQUENCE not in str(exc):
        return exc
    return TypeError(
        "fun converted its traced argument to a plain float array (np.array(x, dtype=float), "
        "np.asarray(x, float), np.float64(x) ...), which drops the derivative autodiff is "
        "following (NumPy: 'setting an array element with a sequence'). Use x directly or "
        "np.asarray(x) without a dtype; or pass jac= (your gradient) or jac='2-point' "
        "(finite differences) so that fun receives plain arrays.")


_SCIPY_DROP_INS = {"logsumexp", "softmax", "log_softmax", "polygamma"}


def scipy_error(exc: Exception) -> Exception:
    """A traced value that failed inside a SciPy Python function, pointed at the drop-in.

    ``scipy.stats`` distributions and ``scipy.special.logsumexp``/``log_softmax``/
    ``polygamma`` convert their input to a plain array first, so NumPy's protocols never see
    the traced value and the failure is an obscure dtype error deep inside SciPy.

    Args:
        exc: the exception raised while tracing.

    Returns:
        A ``TypeError`` naming the SciPy function and its :mod:`steepest.scipy` drop-in when
        the traceback passes through ``scipy.stats`` or one of those functions, else ``exc``.

    Example:
        >>> isinstance(scipy_error(ValueError("x")), ValueError)
        True
    """
    tb = exc.__traceback__
    while tb is not None:
        code, local = tb.tb_frame.f_code, tb.tb_frame.f_locals
        path = code.co_filename.replace("\\\\", "/")
        if "/scipy/stats/" in path:
            name = f"scipy.stats.{_distribution(local.get('self'))}{code.co_name}"
            return TypeError(
                f"{name} cannot be traced: SciPy converts its input to a plain float array "
                f"(np.asarray(x, dtype=float), np.place). Use steepest.scipy.stats"
                f"{name[len('scipy.stats'):]} (the same signature; norm, t, gamma, beta, "
                "poisson, multivariate_normal, dirichlet), or stop_gradient(...) the input.")
        if "/scipy/special/" in path and code.co_name in _SCIPY_DROP_INS:
            return TypeError(
                f"scipy.special.{code.co_name} cannot be traced: SciPy converts its input to "
                f"a plain array. Use steepest.scipy.special.{code.co_name} (the same "
                "signature); SciPy's ufuncs (gammaln, erf, betaln, ...) are traced directly.")
        tb = tb.tb_next
    return exc


def _distribution(obj: object) -> str:
    """``"norm."`` for SciPy's ``norm`` (or a frozen one), ``""`` for a module function."""
    if obj is None:
        return ""
    name = getattr(obj, "name", None) or getattr(getattr(obj, "dist", None), "name", None)
    return f"{name or type(obj).__name__.removesuffix('_gen')}."


class MissingRuleError(NotImplementedError):
    """Raised when a traced value flows into an operation that has no derivative rule.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (every elementary operation
        needs its derivative).

    Example:
        >>> from steepest.autodiff import primitive, grad
        >>> double = primitive(lambda x: 2.0 * x)  # no rule registered
        >>> try:
        ...     grad(double)(1.0)
        ... except MissingRuleError:
        ...     print("no VJP rule")
        no VJP rule
    """


def missing_rule(prim: Any, i: int, kind: str) -> MissingRuleError:
    """The error for a primitive without a ``kind`` ('VJP'/'JVP') rule for argument ``i``.

    Args:
        prim: the primitive (anything with a ``name``).
        i: the positional argument without a rule.
        kind: ``"VJP"`` or ``"JVP"``.

    Returns:
        The error, naming the call that adds the rule.

    Example:
        >>> class P:
        ...     name = "double"
        >>> "defjvp" in str(missing_rule(P(), 0, "JVP"))
        True
    """
    fn = "defvjp" if kind == "VJP" else "defjvp"
    var = "g" if kind == "VJP" else "t"
    return MissingRuleError(
        f"{prim.name} has no {kind} rule for positional argument {i}, so it cannot be "
        f"differentiated in that argument. Add one with steepest.autodiff.{fn}("
        f"<primitive>, ..., argnums=[{i}]) where the rule is lambda {var}, ans, *args: ..., "
        "or wrap the computation in stop_gradient(...) if no derivative is wanted."
    )


def complex_unsupported(prim: Any) -> TypeError:
    """The error for a primitive whose rules do not hold for the complex value it met.

    Complex values are differentiated with autograd's convention (see
    :mod:`steepest.autodiff.rules.complex`) only through primitives whose rules hold for
    them; applying the real rules of any other primitive would give a wrong gradient, so
    steepest refuses instead of answering silently wrong.

    Args:
        prim: the primitive (anything with a ``name``) that received or produced the complex
            value.

    Returns:
        The ``TypeError``, naming the primitive and the fix.

    Example:
        >>> class P:
        ...     name = "maximum"
        >>> "real and imaginary parts" in str(complex_unsupported(P()))
        True
    """
    return TypeError(
        f"{prim.name} met a complex value (as argument or result) on a traced input, but its "
        "derivative rules hold for real values only (complex values are differentiated "
        "through elementwise holomorphic functions, real/imag/conj/abs/angle, sums and "
        "products, shape operations and np.fft). Write this step with the real and imaginary "
        "parts as two real arrays, e.g. np.real(z) and np.imag(z), or wrap it in "
        "stop_gradient(...)."
    )


_TRACED_ERRORS = {
    "in-place": (
        " would modify a traced array in place, which automatic differentiation cannot "
        "follow. Build a new array instead: use np.where(mask, new, x), np.concatenate, "
        "or steepest.autodiff.index_update(x, idx, values)."
    ),
    "conversion": (
        " of a traced value would drop its derivative. Keep it an array inside the "
        "differentiated function (remove the conversion; use np.exp, not math.exp); to fill "
        "a preallocated array (out[i] = ...) collect the entries in a list and use "
        "np.array(list) or np.stack instead; wrap a value in steepest.autodiff.stop_gradient(x) "
        "if no derivative is wanted."
    ),
}


def traced_error(what: str, kind: str) -> TypeError:
    """The error for an operation ``what`` that a traced value cannot take part in.

    Args:
        what: the operation as the user wrote it (``"out=..."``, ``"float()"``).
        kind: ``"in-place"`` (a write into a traced array) or ``"conversion"`` (of a traced
            value to a Python value, which would drop its derivative).

    Returns:
        The ``TypeError``, naming the fix.

    Example:
        >>> "index_update" in str(traced_error("out=...", "in-place"))
        True
        >>> "stop_gradient" in str(traced_error("float()", "conversion"))
        True
    """
    return TypeError(what + _TRACED_ERRORS[kind])
