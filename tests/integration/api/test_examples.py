"""docs/api.md's Python example runs, as written, against a live server with the demo data."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from portal.auth import services as auth_services
from portal.auth import tokens
from portal.extensions import db
from portal.models import City, Survey

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def python_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    assert len(blocks) == 1, "docs/api.md should hold one Python example"
    return blocks[0]


def test_python_example_runs_against_the_demo(runner, live_server, tmp_path):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    user = auth_services.user_by_email("coordinator@demo.lpn.example")
    zelenovo = db.session.scalar(select(City).where(City.slug == "zelenovo"))
    survey = db.session.scalar(select(Survey.id).where(Survey.city_id == zelenovo.id,
                                                       Survey.slug == "living-together"))
    _token, secret = tokens.create_token(user, "docs example", [zelenovo], 7, actor=user)
    db.session.commit()
    script = tmp_path / "example.py"
    script.write_text(python_example())
    env = {**os.environ, "PORTAL": live_server, "LPN_TOKEN": secret, "LPN_SURVEY": str(survey)}
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert re.fullmatch(r"\d+ stakeholders, \d+ ties", lines[0])
    assert any(line.startswith(("not_connected", "single_point_of_failure")) for line in lines)
    assert any(line.startswith("Belonging") for line in lines), done.stdout
