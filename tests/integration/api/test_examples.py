"""docs/api.md's Python and R examples run, as written, against a live server with the demo data.

R comes from Debian (`make r`); under CI a missing Rscript is a failure, not a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.auth import services as auth_services
from portal.auth import tokens
from portal.extensions import db
from portal.models import City, Survey

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def example(language: str) -> str:
    """Return docs/api.md's one example block in this language."""
    blocks = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 1, f"docs/api.md should hold one {language} example"
    return blocks[0]


@pytest.fixture
def demo_env(runner, live_server) -> dict[str, str]:
    """Seed the demo, make the Zelenovo coordinator a token; return the examples' environment."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    user = auth_services.user_by_email("coordinator@demo.lpn.example")
    zelenovo = db.session.scalar(select(City).where(City.slug == "zelenovo"))
    survey = db.session.scalar(select(Survey.id).where(Survey.city_id == zelenovo.id,
                                                       Survey.slug == "living-together"))
    _token, secret = tokens.create_token(user, "docs example", [zelenovo], 7, actor=user)
    db.session.commit()
    return {**os.environ, "PORTAL": live_server, "LPN_TOKEN": secret, "LPN_SURVEY": str(survey)}


def test_python_example_runs_against_the_demo(demo_env, tmp_path):
    script = tmp_path / "example.py"
    script.write_text(example("python"))
    done = subprocess.run([sys.executable, str(script)], env=demo_env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\d+ stakeholders, \d+ ties", lines[0])
    assert any(line.startswith(("not_connected", "single_point_of_failure")) for line in lines)
    assert any(line.startswith("Belonging") for line in lines), done.stdout


def rscript() -> str:
    """Return Debian's Rscript; skip without it, except under CI, where it must be there."""
    path = shutil.which("Rscript")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Rscript is missing: `make r` installs r-base-core and r-cran-httr2; "
                        "CI never skips the R example")
        pytest.skip("R is not installed (make r, or apt-get install r-base-core r-cran-httr2)")
    return path


def test_r_example_runs_against_the_demo(demo_env, tmp_path):
    binary = rscript()
    script = tmp_path / "example.R"
    script.write_text(example("r"))
    done = subprocess.run([binary, "--vanilla", str(script)], env=demo_env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\d+ stakeholders, \d+ ties", lines[0]), done.stdout
    # The stakeholders table, most between first, and the overall index of each subscale.
    # (R wraps the wide table, so the column names may stand on two lines.)
    assert all(re.search(rf"\b{column}\b", done.stdout) for column in
               ("name", "sector", "betweenness")), done.stdout
    assert re.search(r"Belonging\s+\S+", done.stdout), done.stdout
