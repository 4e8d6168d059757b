"""The training loop: :func:`train_dqn` and what it returns, :class:`TrainingResult`.

One call of :func:`train_dqn` runs, at every environment step, three short steps on a
private :class:`_Run` (the state of the run): act and store the transition, learn and
update the target network, validate and decide whether to stop. Validation is sequential
when asked: a few screening episodes first, the rest only when the screen is solved.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlbigdata._validation import (
    require_callable,
    require_int,
    require_seed,
    require_seeds,
    require_string,
    require_type,
)
from dlbigdata.rl._env import action_count_of, make_env, observation_size_of, require_episode_steps
from dlbigdata.rl.agent import DQNAgent, DQNConfig
from dlbigdata.rl.buffer import ReplayBuffer
from dlbigdata.rl.evaluation import EvaluationResult, evaluate_policy
from dlbigdata.rl.exploration import epsilon_greedy_actions, epsilon_schedule

__all__ = ["TrainingResult", "train_dqn"]


@dataclass
class TrainingResult:
    """What :func:`train_dqn` returns: the agent (with the best weights) and its history.

    Used in chapter 12.
    """

    agent: DQNAgent
    buffer: ReplayBuffer
    training_steps: int
    validation_steps: int
    episode_returns: np.ndarray
    episode_end_steps: np.ndarray
    validation_at_steps: np.ndarray
    validation_returns: np.ndarray
    validation_episodes: np.ndarray
    best_step: int
    best_validation_return: float
    stopped_early: bool
    training_reset_seed: int
    wall_seconds: float
    losses: list[float] = field(default_factory=list)

    @property
    def total_environment_steps(self) -> int:
        """All environment interaction: training steps plus validation steps."""
        return self.training_steps + self.validation_steps


@dataclass
class _Run:
    """The state of one training run, advanced step by step by :func:`train_dqn`."""

    config: DQNConfig
    env: Any
    agent: DQNAgent
    buffer: ReplayBuffer
    rng: np.random.Generator
    observation: np.ndarray
    reset_seed: int
    started: float
    validation_seeds: list[int]
    screening_episodes: int
    env_id: str
    max_episode_steps: int | None
    log: Callable[[str], None] | None
    best_weights: list[np.ndarray]
    step: int = 0
    epsilon: float = 1.0
    episode_return: float = 0.0
    episode_returns: list[float] = field(default_factory=list)
    episode_end_steps: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    validation_at: list[int] = field(default_factory=list)
    validation_returns: list[float] = field(default_factory=list)
    validation_episodes: list[int] = field(default_factory=list)
    validation_steps: int = 0
    best_return: float = -np.inf
    best_step: int = 0
    solved_streak: int = 0


def _start(config: DQNConfig, seed: int, env: Any, started: float, **settings: Any) -> _Run:
    """Networks, buffer and the first observation of a run (in the seeded order)."""
    rng = np.random.default_rng(seed)
    env_id = settings["env_id"]
    observation_size, action_count = observation_size_of(env, env_id), action_count_of(env, env_id)
    agent = DQNAgent(observation_size, action_count, config, seed)
    buffer = ReplayBuffer(config.buffer_capacity, observation_size, action_count=action_count)
    reset_seed = int(rng.integers(2**31))
    observation, _ = env.reset(seed=reset_seed)
    return _Run(
        config=config,
        env=env,
        agent=agent,
        buffer=buffer,
        rng=rng,
        observation=observation,
        reset_seed=reset_seed,
        started=started,
        best_weights=agent.get_weights(),
        **settings,
    )


def _act(run: _Run) -> None:
    """Take one epsilon-greedy step in the environment and store the transition."""
    config = run.config
    run.epsilon = float(
        epsilon_schedule(
            run.step, config.epsilon_start, config.epsilon_end, config.epsilon_decay_steps
        )
    )
    q_values = run.agent.q_values(run.observation[None, :])
    action = int(epsilon_greedy_actions(q_values, run.epsilon, run.rng)[0])
    next_observation, reward, terminated, truncated, _ = run.env.step(action)
    run.buffer.add(run.observation, action, float(reward), next_observation, bool(terminated))
    run.step += 1
    run.episode_return += float(reward)
    run.observation = next_observation
    if terminated or truncated:
        run.episode_returns.append(run.episode_return)
        run.episode_end_steps.append(run.step)
        run.episode_return = 0.0
        run.observation, _ = run.env.reset()


def _learn(run: _Run) -> None:
    """Every ``train_every`` steps once learning has started, learn; sync the target network."""
    config, step = run.config, run.step
    if step >= config.learning_starts and step % config.train_every == 0:
        batches = [
            run.buffer.sample(config.batch_size, run.rng) for _ in range(config.gradient_steps)
        ]
        run.losses.append(run.agent.learn(batches))
    if step % config.target_update_every == 0:
        run.agent.update_target()


def _progress_line(run: _Run, result: EvaluationResult) -> str:
    """One line of the training log, written after a validation run."""
    returns, losses = run.episode_returns, run.losses
    recent = np.mean(returns[-20:]) if returns else float("nan")
    return (
        f"step {run.step:>6,} | episodes {len(returns):>4} | "
        f"training return (last 20) {recent:6.1f} | epsilon {run.epsilon:.3f} | "
        f"loss {np.mean(losses[-50:]) if losses else float('nan'):.4f} | "
        f"validation return {result.mean_return:6.1f} ({len(result.returns):>2} episodes) | "
        f"{time.perf_counter() - run.started:5.1f} s"
    )


def _sequential_evaluation(run: _Run) -> EvaluationResult:
    """Play the screening episodes; play the remaining ones only if the screen is solved."""
    seeds = run.validation_seeds
    screen, rest = seeds[: run.screening_episodes], seeds[run.screening_episodes :]
    result = evaluate_policy(run.agent.greedy_policy, screen, run.env_id, run.max_episode_steps)
    if rest and result.mean_return >= run.config.solved_return:
        more = evaluate_policy(run.agent.greedy_policy, rest, run.env_id, run.max_episode_steps)
        result = EvaluationResult(
            returns=np.concatenate([result.returns, more.returns]),
            lengths=np.concatenate([result.lengths, more.lengths]),
        )
    return result


def _validate(run: _Run) -> bool:
    """Every ``validate_every`` steps, validate greedily and keep the best weights.

    Returns whether training should stop (validation solved often enough in a row; a
    run cut short by its screen never counts as solved).
    """
    config = run.config
    if run.step % config.validate_every != 0:
        return False
    result = _sequential_evaluation(run)
    run.validation_steps += result.total_steps
    run.validation_at.append(run.step)
    run.validation_returns.append(result.mean_return)
    run.validation_episodes.append(len(result.returns))
    if result.mean_return > run.best_return:
        run.best_weights, run.best_return = run.agent.get_weights(), result.mean_return
        run.best_step = run.step
    complete = len(result.returns) == len(run.validation_seeds)
    solved = complete and result.mean_return >= config.solved_return
    run.solved_streak = run.solved_streak + 1 if solved else 0
    if run.log is not None:
        run.log(_progress_line(run, result))
    return run.solved_streak >= config.solved_checks_to_stop


def _result(run: _Run) -> TrainingResult:
    """Load the best weights into the agent and gather the history."""
    run.agent.set_weights(run.best_weights)
    return TrainingResult(
        agent=run.agent,
        buffer=run.buffer,
        training_steps=run.step,
        validation_steps=run.validation_steps,
        episode_returns=np.asarray(run.episode_returns),
        episode_end_steps=np.asarray(run.episode_end_steps),
        validation_at_steps=np.asarray(run.validation_at),
        validation_returns=np.asarray(run.validation_returns),
        validation_episodes=np.asarray(run.validation_episodes, dtype=np.int64),
        best_step=run.best_step,
        best_validation_return=float(run.best_return),
        stopped_early=run.solved_streak >= run.config.solved_checks_to_stop,
        training_reset_seed=run.reset_seed,
        wall_seconds=time.perf_counter() - run.started,
        losses=run.losses,
    )


def train_dqn(
    config: DQNConfig,
    *,
    seed: int,
    validation_seeds: Sequence[int],
    env_id: str = "CartPole-v1",
    log: Callable[[str], None] | None = print,
    max_episode_steps: int | None = None,
    screening_episodes: int | None = None,
) -> TrainingResult:
    """Train a DQN agent, validating it greedily every ``config.validate_every`` steps.

    The weights with the best mean validation return are kept (model selection on
    validation episodes); training stops early after ``config.solved_checks_to_stop``
    consecutive validation runs at ``config.solved_return`` or above. With
    ``screening_episodes`` set, validation is sequential: each run plays the first
    ``screening_episodes`` validation episodes, and the remaining ones only if their mean
    return reaches ``config.solved_return``; a run's return is the mean over the episodes
    it played. Every validation step is counted in the result. Every argument is checked
    before the first step.

    Parameters
    ----------
    config : DQNConfig
        Hyperparameters; ``config.max_steps`` is the training budget in environment steps.
    seed : int
        Seeds, in ``[0, 2**32)``, the network initialisation, exploration, minibatch
        sampling and the training environment's first reset.
    validation_seeds : sequence of int
        Distinct ``env.reset`` seeds of the validation episodes (keep them apart from
        the seeds of the final test).
    env_id : str
        A gymnasium environment with a vector observation and discrete actions.
    log : callable or None
        Receives one progress line per validation run; ``None`` for silence.
    max_episode_steps : int, optional
        Override the environment's time limit, in training and validation (used by the tests).
    screening_episodes : int, optional
        Validation episodes played first at every validation run (at least 1); ``None``
        plays all of them every time.

    Returns
    -------
    TrainingResult
        The agent holding the best validated weights, and the training history.

    Raises
    ------
    TypeError
        If ``config`` is not a :class:`DQNConfig`, ``seed`` or a validation seed is not an
        int, ``env_id`` is not a string, ``log`` is neither callable nor ``None`` or
        ``screening_episodes`` is neither an int nor ``None``.
    ValueError
        If a seed is out of range, ``validation_seeds`` is empty or has duplicates,
        ``screening_episodes`` is below 1, or the environment does not have vector
        observations and discrete actions.

    Used in chapter 12.
    """
    config = require_type("config", config, DQNConfig, "a DQNConfig")
    seed = require_seed("seed", seed)
    episode_steps = require_episode_steps(max_episode_steps)
    seeds = require_seeds("validation_seeds", validation_seeds)
    if screening_episodes is not None:
        screening_episodes = require_int("screening_episodes", screening_episodes, minimum=1)
    settings: dict[str, Any] = {
        "validation_seeds": seeds,
        "screening_episodes": len(seeds) if screening_episodes is None else screening_episodes,
        "env_id": require_string("env_id", env_id),
        "max_episode_steps": episode_steps,
        "log": None if log is None else require_callable("log", log),
    }
    started = time.perf_counter()
    env = make_env(env_id, episode_steps)
    try:
        run = _start(config, seed, env, started, **settings)
        while run.step < config.max_steps:
            _act(run)
            _learn(run)
            if _validate(run):
                break
    finally:
        env.close()
    return _result(run)
