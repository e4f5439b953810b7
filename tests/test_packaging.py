import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_ships_prompts_schemas_lexicon_and_type_marker(tmp_path):
    # --no-isolation: build with the hatchling already installed, so the test needs no network.
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("stance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    prompts = {p.name for p in (ROOT / "prompts").iterdir() if p.is_file()}
    schemas = {p.name for p in (ROOT / "schemas").glob("*.json")}
    assert prompts and schemas
    assert {f"stance/prompts/{p}" for p in prompts} <= names
    assert {f"stance/schemas/{s}" for s in schemas} <= names
    templates = {
        p.name for p in (ROOT / "stance" / "output" / "templates").iterdir() if p.is_file()
    }
    assert {f"stance/output/templates/{t}" for t in templates} <= names
    lexicon = ROOT / "stance" / "extraction" / "rules" / "lexicon"
    data = {p.name for p in lexicon.glob("*.txt")}
    assert {"cues.txt", "roles.txt", "bodies.txt", "stance.txt", "events.txt"} <= data
    assert {f"stance/extraction/rules/lexicon/{d}" for d in data} <= names
    assert "stance/py.typed" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "stance = stance.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
