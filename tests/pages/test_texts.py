"""Every UI text the frame and the pages ask for exists in Russian and in English."""

from __future__ import annotations

import json
import re

from tests.pages.apptest_helpers import ROOT

LOCALES = ROOT / "sales_analytics" / "locales"


def test_every_literal_ui_key_has_both_languages():
    ru = json.loads((LOCALES / "ru.ui.json").read_text(encoding="utf-8"))
    en = json.loads((LOCALES / "en.ui.json").read_text(encoding="utf-8"))
    assert ru.keys() == en.keys()
    assert all(key.startswith("ui.") for key in ru)
    used = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        used |= set(re.findall(r"""["'](ui\.[a-z_]+\.[a-z_]+)["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 40
    assert sorted(used - ru.keys()) == []


def test_placeholders_match_between_languages():
    ru = json.loads((LOCALES / "ru.ui.json").read_text(encoding="utf-8"))
    en = json.loads((LOCALES / "en.ui.json").read_text(encoding="utf-8"))
    fields = re.compile(r"\{(\w+)\}")
    assert {k: sorted(fields.findall(v)) for k, v in ru.items()} == {
        k: sorted(fields.findall(v)) for k, v in en.items()
    }
