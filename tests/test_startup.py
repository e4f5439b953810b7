"""A query command imports neither the model client nor the readers of web pages.

Each of them takes a large part of a second to import; a `stance compare` should not pay
for them. Checked by the modules loaded, not by a clock.
"""

import subprocess
import sys

HEAVY = ["openai", "instructor", "trafilatura", "httpx", "feedparser", "charset_normalizer"]


def loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def test_importing_the_package_the_cli_and_the_queries_loads_no_heavy_module() -> None:
    assert loaded_after("import stance, stance.cli") == []
    assert loaded_after("import stance.query.compare, stance.output.report") == []


def test_a_query_loads_no_heavy_module() -> None:
    code = (
        "import os, tempfile, stance\n"
        "from click.testing import CliRunner\n"
        "from stance.cli import cli\n"
        "db = os.path.join(tempfile.mkdtemp(), 's.db')\n"
        "stance.Store(db).close()\n"
        "r = CliRunner().invoke(cli, ['claims', '--db', db])\n"
        "assert r.exit_code == 0, r.output\n"
    )
    assert loaded_after(code) == []


def test_the_public_names_load_on_first_use() -> None:
    assert loaded_after("import stance\nstance.Store, stance.compare, stance.make_extractor") == []
    assert loaded_after("import stance\nstance.ingest") == ["charset_normalizer", "httpx"]
