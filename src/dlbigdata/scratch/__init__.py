"""From-scratch NumPy implementations checked against the libraries.

The chapters on the mathematics of deep learning write each algorithm in NumPy on the
page and check it against TensorFlow/Keras; this subpackage holds the pieces that more
than one chapter uses, validated and tested, one module each:

- :mod:`~dlbigdata.scratch.gradients`: :func:`numerical_gradient`, the central
  finite-difference gradient of a scalar function of an array, and
  :func:`relative_error`, :math:`\\max_i |a_i - b_i| / \\max(\\max_i (|a_i| + |b_i|),
  \\text{tiny})`, the measure by which a hand-derived gradient or layer is compared with
  the library's (chapters 05 and 06);
- :mod:`~dlbigdata.scratch.layers`: :func:`conv2d`, :func:`pool2d`,
  :func:`simple_rnn_forward` and :func:`lstm_forward`, vectorised NumPy versions of
  Keras's ``Conv2D``, pooling, ``SimpleRNN`` and ``LSTM`` layers in Keras's weight layout
  (chapter 06).
"""

from dlbigdata.scratch.gradients import numerical_gradient, relative_error
from dlbigdata.scratch.layers import conv2d, lstm_forward, pool2d, simple_rnn_forward

__all__ = [
    "conv2d",
    "lstm_forward",
    "numerical_gradient",
    "pool2d",
    "relative_error",
    "simple_rnn_forward",
]
