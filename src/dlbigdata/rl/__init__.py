"""Reinforcement learning: exact MDP solvers and a deep Q-network (DQN) in Keras 3.

:mod:`~dlbigdata.rl.mdp` solves small MDPs with known transition tables exactly
(:func:`tabular_mdp` reads gymnasium's toy-text tables; :func:`policy_evaluation`,
:func:`value_iteration`, :func:`policy_iteration`, :func:`action_values`,
:func:`expected_return`; chapter 07). The parts of DQN (Mnih et al. 2015) are small,
separate and tested one by one, one module each:

- :mod:`~dlbigdata.rl.buffer`: :class:`Transitions` and :class:`ReplayBuffer`,
  preallocated NumPy arrays of transitions, sampled uniformly;
- :mod:`~dlbigdata.rl.exploration`: :func:`epsilon_schedule` and
  :func:`epsilon_greedy_actions`;
- :mod:`~dlbigdata.rl.losses`: :func:`bellman_targets`,
  :math:`y = r + \\gamma (1 - \\text{terminated}) \\max_{a'} Q_{\\text{target}}(s', a')`,
  and :func:`huber_loss` and :func:`dqn_loss`, the regression loss of the online network
  (optionally with double-DQN targets);
- :mod:`~dlbigdata.rl.qnetwork`: :func:`build_q_network` and its NumPy forward pass
  :func:`numpy_q_values`;
- :mod:`~dlbigdata.rl.agent`: :class:`DQNConfig` and :class:`DQNAgent`, online and target
  networks, a compiled training step with gradient clipping, and a NumPy copy of the
  weights for fast acting;
- :mod:`~dlbigdata.rl.policies`: the baselines :func:`random_policy` and :func:`lean_policy`;
- :mod:`~dlbigdata.rl.evaluation`: :func:`evaluate_policy` on seeded episodes
  (:class:`EvaluationResult`) and :func:`record_frames` for pictures;
- :mod:`~dlbigdata.rl.training`: :func:`train_dqn`, the training loop, with periodic greedy
  validation that keeps the best weights (model selection) and stops early once
  validation is solved (:class:`TrainingResult`).

Every public function checks its input at the boundary (``TypeError`` for a wrong type,
``ValueError`` for a wrong value, NaN and infinities refused) and changes no state before
its checks have passed. Chapter 12 of the book explains each part next to its equation.
"""

from dlbigdata.rl.agent import DQNAgent, DQNConfig
from dlbigdata.rl.buffer import ReplayBuffer, Transitions
from dlbigdata.rl.evaluation import EvaluationResult, evaluate_policy, record_frames
from dlbigdata.rl.exploration import epsilon_greedy_actions, epsilon_schedule
from dlbigdata.rl.losses import bellman_targets, dqn_loss, huber_loss
from dlbigdata.rl.mdp import (
    MDPSolution,
    TabularMDP,
    action_values,
    expected_return,
    policy_evaluation,
    policy_iteration,
    tabular_mdp,
    value_iteration,
)
from dlbigdata.rl.policies import lean_policy, random_policy
from dlbigdata.rl.qnetwork import build_q_network, numpy_q_values
from dlbigdata.rl.training import TrainingResult, train_dqn

__all__ = [
    "DQNAgent",
    "DQNConfig",
    "EvaluationResult",
    "MDPSolution",
    "ReplayBuffer",
    "TabularMDP",
    "TrainingResult",
    "Transitions",
    "action_values",
    "bellman_targets",
    "build_q_network",
    "dqn_loss",
    "epsilon_greedy_actions",
    "epsilon_schedule",
    "evaluate_policy",
    "expected_return",
    "huber_loss",
    "lean_policy",
    "numpy_q_values",
    "policy_evaluation",
    "policy_iteration",
    "random_policy",
    "record_frames",
    "tabular_mdp",
    "train_dqn",
    "value_iteration",
]
