"""The fused backend: cache-blocked kernels that :func:`~steepest.optimizers.step` runs for a
chain it recognises.

A kernel-backed building block (:func:`~steepest.optimizers.trace`,
:func:`~steepest.optimizers.scale_by_rms`, :func:`~steepest.optimizers.scale_by_rss`,
:func:`~steepest.optimizers.scale_by_adam`) computes its direction with one kernel of
:mod:`.kernels`, and describes itself to this backend with a :class:`.specs.Direction`. A
:func:`~steepest.optimizers.chain` of ``[add_decayed_weights] direction [add_decayed_weights]
scale_by_learning_rate`` is recognised by :func:`.plan.recognise`: its update and its step
(update *and* apply) then run as one pass per leaf, with weight decay and the learning rate
folded into the kernel's constants, optionally in place (:mod:`.pool` recycles unreferenced
output buffers). The maths of each rule is written once, in the kernel; the state classes live
beside their transforms.
"""
