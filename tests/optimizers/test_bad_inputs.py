"""Bad hyperparameters and arguments of the first-order optimizers, schedules and clipping:
one row per case, in ``tests/_bad_input.py``'s format (states from another optimizer are in
``test_state_ownership.py``)."""

from __future__ import annotations

import numpy as np

import steepest.optimizers as so
from _bad_input import assert_clear_error, case, parametrize

NAN = float("nan")
P = np.array([1.0, 2.0])
LR = ("learning_rate must be a finite number >= 0", "pass a positive value such as 1e-3")
LR_TYPE = ("learning_rate must be a non-negative number", "pass a real number")
DECAY = ("must lie in [0, 1)", "typical values are 0.9")
EPS = ("eps must be a finite number > 0",)
STEPS = ("must be a positive integer number of steps",)
COUNT = ("schedule count must be an integer number of steps", "call schedule(step) with an int")

CASES = [
    # learning rates
    case("sgd lr negative", lambda: so.sgd(-1.0), ValueError, *LR),
    case("sgd lr nan", lambda: so.sgd(NAN), ValueError, *LR),
    case("sgd lr inf", lambda: so.sgd(np.inf), ValueError, *LR),
    case("sgd lr str", lambda: so.sgd("0.1"), TypeError, *LR_TYPE),
    case("momentum lr negative", lambda: so.momentum(-0.1), ValueError, *LR),
    case("nesterov lr negative", lambda: so.nesterov(-1.0), ValueError, *LR),
    case("adam lr negative", lambda: so.adam(-1e-3), ValueError, *LR),
    case("adam lr str", lambda: so.adam("1e-3"), TypeError, *LR_TYPE),
    case("adam lr complex", lambda: so.adam(1e-3 + 0j), TypeError, *LR_TYPE),
    case("rmsprop lr nan", lambda: so.rmsprop(NAN), ValueError, *LR),
    case("adagrad lr inf", lambda: so.adagrad(np.inf), ValueError, *LR),
    # decays and betas
    case("momentum beta 1", lambda: so.momentum(0.1, 1.0), ValueError, "decay", *DECAY),
    case("momentum beta negative", lambda: so.momentum(0.1, -0.1), ValueError, "decay", *DECAY),
    case("lookahead_momentum beta 1", lambda: so.lookahead_momentum(0.1, 1.0), ValueError,
         *DECAY),
    case("adam b1 1", lambda: so.adam(b1=1.0), ValueError, "b1", *DECAY),
    case("adam b2 1.5", lambda: so.adam(b2=1.5), ValueError, "b2", *DECAY),
    case("adam b1 nan", lambda: so.adam(b1=NAN), ValueError, "b1", *DECAY),
    case("nadam b1 1", lambda: so.nadam(b1=1.0), ValueError, "b1", *DECAY),
    case("adamax b2 negative", lambda: so.adamax(b2=-1.0), ValueError, "b2", *DECAY),
    case("trace decay 1", lambda: so.trace(1.0), ValueError, "decay", *DECAY),
    case("scale_by_rms decay negative", lambda: so.scale_by_rms(-1.0), ValueError,
         "decay must lie in [0, 1]"),
    # eps, weight decay, scale, clipping
    case("adam eps 0", lambda: so.adam(eps=0.0), ValueError, *EPS, "guards the division"),
    case("adam eps negative", lambda: so.adam(eps=-1e-8), ValueError, *EPS),
    case("adam eps nan", lambda: so.adam(eps=NAN), ValueError, *EPS),
    case("nadam eps nan", lambda: so.nadam(eps=NAN), ValueError, *EPS),
    case("scale_by_adam eps 0", lambda: so.scale_by_adam(eps=0.0), ValueError, *EPS),
    case("rmsprop eps 0", lambda: so.rmsprop(eps=0.0), ValueError, *EPS, "pass eps > 0"),
    case("adagrad eps negative", lambda: so.adagrad(eps=-1.0), ValueError, *EPS),
    case("adagrad initial accumulator negative", lambda: so.adagrad(
        initial_accumulator_value=-1.0), ValueError,
         "initial_accumulator_value must be a finite number >= 0"),
    case("adam weight_decay negative", lambda: so.adam(weight_decay=-0.1), ValueError,
         "weight_decay must be a finite number >= 0", "pass weight_decay >= 0"),
    case("adamw weight_decay nan", lambda: so.adamw(weight_decay=NAN), ValueError,
         "weight_decay must be a finite number >= 0"),
    case("adamw weight_decay str", lambda: so.adamw(weight_decay="a"), TypeError,
         "weight_decay", "pass a real number"),
    case("add_decayed_weights negative", lambda: so.add_decayed_weights(-1.0), ValueError,
         "weight_decay must be a finite number >= 0"),
    case("scale factor str", lambda: so.scale("a"), TypeError, "factor must be a real number"),
    case("scale factor nan", lambda: so.scale(NAN), ValueError, "factor must be a finite number",
         "-1e-3"),
    case("clip max_delta negative", lambda: so.clip(-1.0), ValueError,
         "max_delta must be a finite number > 0", "largest allowed |coordinate|"),
    case("global_norm of text", lambda: so.global_norm("a"), TypeError,
         "global_norm needs numeric leaves", "pytree of float arrays"),
    case("clip_by_global_norm 0", lambda: so.clip_by_global_norm(0.0), ValueError,
         "max_norm must be a finite number > 0", "largest allowed update norm"),
    case("clip_by_global_norm nan", lambda: so.clip_by_global_norm(NAN), ValueError,
         "max_norm must be a finite number > 0"),
    # composition and guards
    case("chain of an int", lambda: so.chain(so.sgd(0.1), 3), TypeError,
         "chain expects Optimizer transforms; argument 1 is int", "scale_by_adam()"),
    case("chain of the sgd factory itself", lambda: so.chain(so.sgd, so.scale(1.0)), TypeError,
         "argument 0 is function", "Build transforms"),
    case("apply_if_finite of an int", lambda: so.apply_if_finite(3), TypeError,
         "apply_if_finite wraps an optimizer, got int", "apply_if_finite(adam(1e-3))"),
    case("apply_if_finite max_consecutive 0", lambda: so.apply_if_finite(
        so.sgd(0.1), max_consecutive=0), ValueError, "max_consecutive must be >= 1", "e.g. 10"),
    case("apply_updates of another structure", lambda: so.apply_updates({"a": P}, {"b": P}),
         ValueError, "updates have structure {'b': *} but params have {'a': *}",
         "opt.update returned"),
    case("apply_updates of another shape", lambda: so.apply_updates(P, np.ones(3)), ValueError,
         "updates leaf 0 has shape (3,) but the params leaf has (2,)", "opt.update returned"),
    case("step with a str optimizer", lambda: so.step("adam", P, None, P), TypeError,
         "optimizer must be an Optimizer", "adam(1e-3)"),
    case("update with a None state", lambda: so.adam().update(P, None, P), TypeError,
         "state does not belong to adam", "adam(...).init(params)"),
    case("init with str params", lambda: so.adam().init("abc"), TypeError,
         "params must hold real floating arrays", "cast it first"),
    case("init with int params", lambda: so.adam().init(np.array([1, 2])), TypeError,
         "dtype int64", "np.asarray(p, float)"),
    case("sgd schedule returning nan", lambda: so.step(
        so.sgd(lambda t: NAN), P, so.sgd(lambda t: NAN).init(P), P), ValueError,
         "the learning-rate schedule returned nan at step 0", "finite values >= 0"),
    # schedules
    case("exponential_decay transition_steps 0.5", lambda: so.exponential_decay(0.1, 0.5, 0.5),
         ValueError, "transition_steps", *STEPS),
    case("exponential_decay decay_rate 0", lambda: so.exponential_decay(0.1, 0), ValueError,
         "decay_rate must be a finite number > 0", "e.g. 0.99"),
    case("exponential_decay init negative", lambda: so.exponential_decay(-0.1, 0.5),
         ValueError, "init_value must be a finite number >= 0"),
    case("step_schedule every 0", lambda: so.step_schedule(0.1, 0), ValueError, "every",
         *STEPS),
    case("step_schedule factor negative", lambda: so.step_schedule(0.1, 5, -1.0), ValueError,
         "factor must be a finite number >= 0"),
    case("cosine_decay_schedule steps 0", lambda: so.cosine_decay_schedule(0.1, 0), ValueError,
         "decay_steps", *STEPS),
    case("linear_schedule steps negative", lambda: so.linear_schedule(0.1, 0.0, -1),
         ValueError, "transition_steps", *STEPS),
    case("linear_schedule end nan", lambda: so.linear_schedule(0.1, NAN, 10), ValueError,
         "end_value must be a finite number >= 0"),
    case("join_schedules boundaries count", lambda: so.join_schedules(
        [so.constant_schedule(0.1)], [5]), ValueError,
         "len(boundaries) == len(schedules) - 1"),
    case("join_schedules boundaries decreasing", lambda: so.join_schedules(
        [so.constant_schedule(0.1)] * 3, [10, 5]), ValueError, "strictly increasing"),
    case("join_schedules of a number", lambda: so.join_schedules(
        [0.1, so.constant_schedule(0.1)], [5]), TypeError, "every schedule must be callable",
         "count -> learning rate"),
    case("warmup_cosine_decay decay before warmup", lambda: so.warmup_cosine_decay(0.1, 10, 5),
         ValueError, "decay_steps (5) must exceed warmup_steps (10)"),
    case("warmup_cosine_decay peak negative", lambda: so.warmup_cosine_decay(-0.1, 1, 5),
         ValueError, "peak_value must be a finite number >= 0"),
    case("constant_schedule nan", lambda: so.constant_schedule(NAN), ValueError,
         "value must be a finite number >= 0"),
    case("schedule at a negative step", lambda: so.exponential_decay(0.1, 0.5)(-1), ValueError,
         "schedule count must be >= 0"),
    case("schedule at a fractional step", lambda: so.exponential_decay(0.1, 0.5)(1.5),
         TypeError, *COUNT),
    case("schedule at a str step", lambda: so.cosine_decay_schedule(0.1, 10)("3"), TypeError,
         *COUNT),
    case("schedule at a bool step", lambda: so.linear_schedule(0.1, 0.0, 10)(True), TypeError,
         *COUNT),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_schedules_still_take_numpy_integer_steps():
    sched = so.exponential_decay(1.0, 0.5)
    assert sched(np.int64(2)) == sched(2) == 0.25
