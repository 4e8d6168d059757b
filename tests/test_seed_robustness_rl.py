"""Seed sweep of chapter 12: the DQN agent solves CartPole-v1 for seeds 0, 1 and 2.

Run by ``make seeds`` (marker ``seed_sweep``), not by ``make test``: each seed trains an agent
(one to two minutes on two CPU cores). The test follows the notebook exactly: the same seeding,
the same held-out episode seeds, the same :func:`dlbigdata.rl.train_dqn` with the default
:class:`~dlbigdata.rl.DQNConfig`, the same bands. Measured results go to ``bench/seeds_rl.md``.
"""

from __future__ import annotations

import time

import pytest

from dlbigdata import seed_everything
from dlbigdata.reproducibility import episode_seeds
from dlbigdata.rl import DQNConfig, evaluate_policy, train_dqn

STEP_BUDGET = 60_000
TARGET_RETURN = 475.0


@pytest.mark.seed_sweep
@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dqn_solves_cartpole_for_every_seed(seed, capsys):
    rng = seed_everything(seed)
    held_out = episode_seeds(rng, 150)
    test_seeds, validation_seeds = held_out[:100], held_out[100:]
    config = DQNConfig()
    assert config.max_steps == STEP_BUDGET

    started, cpu_started = time.perf_counter(), time.process_time()
    result = train_dqn(config, seed=seed, validation_seeds=validation_seeds, log=None)
    training_seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    test = evaluate_policy(result.agent.greedy_policy, test_seeds)

    with capsys.disabled():
        print(f"\n[seed {seed}] test mean return {test.mean_return:.1f} over {len(test.returns)} "
              f"episodes (min {test.returns.min():.0f}); {result.training_steps:,} training steps "
              f"(+{result.validation_steps:,} validation steps); best checkpoint at step "
              f"{result.best_step:,}; training {training_seconds:.1f} s wall, {cpu_seconds:.1f} s CPU")
    assert result.training_steps <= STEP_BUDGET, result.training_steps
    assert test.mean_return >= TARGET_RETURN, test.mean_return
    assert not set(test_seeds) & set(validation_seeds)
