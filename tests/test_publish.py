"""Tests of make publish (tools/publish.py, ghp-import) and of the GitHub Actions workflow."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tools.publish import main, publish

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Book Tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "Book Tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}


def git(*arguments: str, cwd: Path) -> str:
    """Run git in ``cwd`` and return its output (the test fails if git does)."""
    completed = subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    )
    return completed.stdout


@pytest.fixture
def clone(tmp_path, monkeypatch):
    """A book clone with a built site, whose remote ``classroom`` is a local bare repository."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)
    remote = tmp_path / "remote.git"
    work = tmp_path / "work"
    git("init", "--bare", "--quiet", str(remote), cwd=tmp_path)
    git("init", "--quiet", "--initial-branch", "main", str(work), cwd=tmp_path)
    (work / "README.md").write_text("the book\n")
    git("add", "README.md", cwd=work)
    git("commit", "--quiet", "-m", "sources", cwd=work)
    git("remote", "add", "classroom", str(remote), cwd=work)
    html = work / "_build" / "html"
    (html / "_static").mkdir(parents=True)
    (html / "index.html").write_text("<html>first edition</html>\n")
    (html / "_static" / "book.css").write_text("pre { white-space: pre-wrap; }\n")
    (html / "old.html").write_text("<html>a page that the next edition drops</html>\n")
    return work, remote, html


def published(remote: Path) -> dict[str, str]:
    """The files on the remote's gh-pages branch, with their contents."""
    names = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    return {name: git("show", f"gh-pages:{name}", cwd=remote) for name in names}


def test_publish_puts_the_site_and_nojekyll_on_gh_pages(clone):
    work, remote, html = clone
    publish(html, remote="classroom", repository=work)
    files = published(remote)
    assert files["index.html"] == "<html>first edition</html>\n"
    assert "_static/book.css" in files, "underscore folders must be published as they are"
    assert ".nojekyll" in files, "without .nojekyll GitHub Pages drops _static/"
    assert "README.md" not in files, "the branch holds the site, not the sources"
    assert git("branch", "--show-current", cwd=work).strip() == "main"
    assert git("status", "--porcelain", "--untracked-files=no", cwd=work) == ""


def test_a_second_publish_replaces_the_content(clone):
    work, remote, html = clone
    publish(html, remote="classroom", repository=work)
    (html / "old.html").unlink()
    (html / "index.html").write_text("<html>second edition</html>\n")
    assert main(["--html", str(html), "--remote", "classroom", "--repository", str(work)]) == 0
    files = published(remote)
    assert files["index.html"] == "<html>second edition</html>\n"
    assert "old.html" not in files
    assert ".nojekyll" in files


def test_publish_refuses_an_unbuilt_book(clone, capsys):
    work, _, html = clone
    (html / "index.html").unlink()
    assert main(["--html", str(html), "--remote", "classroom", "--repository", str(work)]) == 1
    assert "make book" in capsys.readouterr().err


def test_publish_refuses_an_unknown_remote_before_committing(clone):
    work, _, html = clone
    with pytest.raises(ValueError, match=r"no git remote 'origin' \(remotes: classroom\)"):
        publish(html, remote="origin", repository=work)
    assert "gh-pages" not in git("branch", "--list", cwd=work)


def test_makefile_publishes_with_a_configurable_remote():
    env = {**os.environ, "PUBLISH_REMOTE": "classroom"}
    dry_run = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "publish"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tools.publish --html _build/html --remote classroom --branch gh-pages" in dry_run
    default = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed-stamp", "publish"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "PUBLISH_REMOTE"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--remote origin" in default


# The workflow -----------------------------------------------------------------------------

ALLOWED_ACTIONS = {
    "actions/checkout",
    "actions/setup-python",
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}
# `.ci/run` runs as root (sudo) so that it can cut the network; `env PATH=...` keeps the
# Python of actions/setup-python, which sudo's secure_path would hide.
CI_RUN = re.compile(r'^(sudo env "PATH=\$PATH" )?\.ci/run$')


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text()
    return set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.MULTILINE))


def workflow_steps():
    files = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
    assert files, "no workflow in .github/workflows"
    for path in files:
        workflow = yaml.safe_load(path.read_text())
        for job_name, job in workflow["jobs"].items():
            for step in job["steps"]:
                yield path.name, job_name, job, step


def test_workflow_steps_only_call_makefile_targets_or_ci_run():
    targets = makefile_targets()
    for name, job, _, step in workflow_steps():
        if "uses" in step:
            action, _, version = step["uses"].partition("@")
            assert action in ALLOWED_ACTIONS, f"{name}/{job}: unexpected action {action}"
            assert re.fullmatch(r"v\d+", version), f"{name}/{job}: pin {action} to a major"
            continue
        for line in str(step["run"]).strip().splitlines():
            if CI_RUN.match(line.strip()):
                continue
            words = shlex.split(line)
            assert words[0] == "make" and len(words) == 2, (
                f"{name}/{job}: a step runs {line!r}; keep the workflow a thin call of "
                "`make TARGET` or .ci/run, which are tested here"
            )
            assert words[1] in targets, f"{name}/{job}: no Makefile target {words[1]!r}"


def test_workflow_tests_everywhere_and_deploys_only_main():
    workflow_text = "\n".join(path.read_text() for path in WORKFLOWS.glob("*.y*ml"))
    workflow = yaml.safe_load(workflow_text)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads `on` as True
    assert "pull_request" in triggers and "push" in triggers
    jobs = workflow["jobs"]
    runs = {
        job: [str(step.get("run", "")) for step in spec["steps"]] for job, spec in jobs.items()
    }
    testing = [job for job, lines in runs.items() if any(".ci/run" in line for line in lines)]
    assert testing, "no job runs .ci/run (make test with the network cut)"
    deploying = [
        job
        for job, spec in jobs.items()
        if any(
            str(step.get("uses", "")).startswith("actions/deploy-pages") for step in spec["steps"]
        )
    ]
    assert deploying, "no job deploys to GitHub Pages"
    for job in deploying:
        spec = jobs[job]
        assert "refs/heads/main" in str(spec.get("if", "")), f"{job} must deploy from main only"
        needs = spec.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        assert set(testing) & set(needs), f"{job} must wait for the tests"
        assert "make book" in "\n".join(runs[job]), f"{job} must build with make book"
        assert spec.get("permissions", {}).get("pages") == "write"
        assert spec.get("permissions", {}).get("id-token") == "write"
