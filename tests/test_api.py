"""The library's surface: what `import stance` offers and how it refuses wrong arguments."""

from pathlib import Path

import pytest

import stance
from stance.core.errors import NotFoundError
from stance.store.db import Store


def test_not_found_error_is_exported_with_the_other_errors():
    assert stance.NotFoundError is NotFoundError
    assert "NotFoundError" in stance.__all__
    assert issubclass(stance.NotFoundError, stance.StanceError)


@pytest.mark.parametrize("method", ["documents", "runs", "close", "claims", "entities"])
def test_store_methods_are_documented(method):
    doc = getattr(Store, method).__doc__
    assert doc is not None and len(doc.split()) >= 4, method


@pytest.mark.parametrize(
    ("value", "shown"), [(None, "NoneType"), (b"Antony Blinken said so.", "bytes"), (42, "int")]
)
def test_extract_refuses_what_is_not_text_with_a_clear_type_error(value, shown):
    with pytest.raises(TypeError) as caught:
        stance.extract(value, backend="rules")  # type: ignore[arg-type]
    message = str(caught.value)
    assert message.startswith("stance.extract() takes the text as a str")
    assert shown in message
    if shown == "bytes":
        assert ".decode(" in message


def test_extract_still_takes_a_str():
    claims = stance.extract('"The meeting is not against Azerbaijan," Antony Blinken said.')
    assert [(c.speaker, c.quote) for c in claims] == [
        ("Antony Blinken", "The meeting is not against Azerbaijan")
    ]


def test_the_web_extra_hint_fits_a_checkout_and_an_installed_package(monkeypatch, tmp_path):
    from stance.output import serve

    checkout = Path(stance.__file__).resolve().parent.parent
    assert serve.install_hint() == f"pip install -e '.[web]' (in {checkout})"
    monkeypatch.setattr(serve, "package_root", lambda: tmp_path / "site-packages" / "stance")
    assert serve.install_hint() == "pip install 'stance[web]'"
