"""Login and roles in the app (issue 6, item 1), in AppTest: nothing before login, a viewer changes
nothing however the request is made, the failed-login delay, logout, and who is recorded."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from streamlit.proto.TextInput_pb2 import TextInput as TextInputProto

from sales_analytics import auth
from sales_analytics.i18n import t
from tests.pages.apptest_helpers import SALES_CSV, Probe, new_app, no_exception, texts, upload

PASSWORD = "Весна-2026!"
# light argon2 parameters: verifying reads them from the hash, so each login stays quick in tests
HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
USERS = f"anna:editor:{HASH};ceo:viewer:{HASH}"
PAGES = [
    "app_pages/overview.py",
    "app_pages/forecast.py",
    "app_pages/changes.py",
    "app_pages/plan_fact.py",
    "app_pages/clients.py",
    "app_pages/plan_builder.py",
    "app_pages/upload.py",
]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A fresh failed-login counter on a clock the test moves: no sleeping, no state between tests."""
    clock = Clock()
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle(clock=clock))
    return clock


@pytest.fixture
def users(monkeypatch, clock) -> str:
    monkeypatch.setenv("SALES_ANALYTICS_USERS", USERS)
    return USERS


def log_in(at, name: str, password: str = PASSWORD):
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    submit = next(b for b in at.button if b.label == t("auth.login.submit", "ru"))
    return no_exception(submit.click().run())


def figures(at) -> dict[str, int]:
    """Everything that could show a number from the database, counted."""
    sidebar = texts(at.sidebar, "caption")
    return {
        "metric": len(at.metric),
        "dataframe": len(at.dataframe),
        "table": len(at.table),
        "chart": len(at.get("plotly_chart")) + len(at.get("arrow_vega_lite_chart")),
        "sidebar": sum(word in sidebar for word in ("Продажи по", "Прогноз на", "Загрузок")),
    }


NOTHING = {"metric": 0, "dataframe": 0, "table": 0, "chart": 0, "sidebar": 0}


def assert_login_form_only(at):
    assert figures(at) == NOTHING
    assert at.text_input(key="login_name") is not None
    assert at.text_input(key="login_password").proto.type == TextInputProto.PASSWORD
    assert t("auth.login.title", "ru") in texts(at, "subheader")
    assert not [b for b in at.button if b.key in ("logout", "delete_demo")]


def test_without_users_the_app_is_open_as_before(on_demo):
    at = no_exception(new_app().run())
    assert len(at.metric) > 0  # the overview's figures, no login asked
    assert not [b for b in at.button if b.key == "logout"]
    assert at.button(key="delete_demo")  # the local user has every right


def test_before_login_no_page_shows_a_figure(on_demo, users):
    at = no_exception(new_app().run())
    assert_login_form_only(at)
    for page in PAGES:  # forcing any page's URL gives the same form
        no_exception(at.switch_page(page).run())
        assert_login_form_only(at)
    # the demo database is there and full: it is the login that hides it
    assert Probe(on_demo).status().sales_rows > 0


def test_users_can_come_from_secrets_toml(on_demo, clock):
    at = new_app()
    at.secrets["auth"] = {"users": {"ceo": {"password_hash": HASH, "role": "viewer"}}}
    no_exception(at.run())
    assert_login_form_only(at)
    log_in(at, "ceo")
    assert len(at.metric) > 0
    assert "Вы вошли: ceo (просмотр)" in texts(at.sidebar, "caption")


def test_a_misconfigured_table_shows_no_figure(on_demo, monkeypatch):
    monkeypatch.setenv("SALES_ANALYTICS_USERS", "anna:admin:" + HASH)
    at = no_exception(new_app().run())
    assert t("auth.config_error", "ru") in texts(at, "error")
    assert figures(at) == NOTHING


def test_wrong_password_then_lockout_then_login_and_logout(on_demo, users, clock):
    at = no_exception(new_app().run())
    log_in(at, "anna", "wrong")
    assert t("auth.login.failed", "ru") in texts(at, "error")
    assert "Следующая попытка — через 1 с." in texts(at, "error")
    assert at.text_input(key="login_password").value == ""  # the password is not kept
    assert_login_form_only(at)

    log_in(at, "anna")  # the right password, but too soon: refused unchecked
    assert t("auth.login.locked", "ru") in texts(at, "error")
    assert_login_form_only(at)

    clock.now += 1
    log_in(at, "anna", "wrong again")
    assert "через 2 с." in texts(at, "error")
    clock.now += 2
    log_in(at, "anna")
    assert len(at.metric) > 0 and at.button(key="logout")
    assert "Вы вошли: anna (редактор)" in texts(at.sidebar, "caption")

    no_exception(at.button(key="logout").click().run())
    assert_login_form_only(at)


def test_a_viewer_sees_every_page_and_cannot_change_anything(on_demo, users):
    probe = Probe(on_demo)
    before = (probe.version(), probe.scalar("SELECT count(*) FROM import_batches WHERE deleted_at IS NULL"))
    at = log_in(no_exception(new_app().run()), "ceo")
    assert "Вы вошли: ceo (просмотр)" in texts(at.sidebar, "caption")
    assert not [b for b in at.button if b.key == "delete_demo"]  # the demo notice, without the button
    for page in PAGES[:-1]:
        no_exception(at.switch_page(page).run())
        assert not at.exception
    assert len(at.get("plotly_chart")) + len(at.dataframe) > 0

    # forcing the upload page: the history, and no uploader, import or delete control
    no_exception(at.switch_page("app_pages/upload.py").run())
    assert t("auth.forbidden", "ru") in texts(at, "info")
    assert len(at.file_uploader) == 0
    assert not [b for b in at.button if b.key and b.key.startswith(("import", "delete"))]
    assert "загрузил:" in texts(at, "caption")  # who uploaded each batch is shown
    after = (probe.version(), probe.scalar("SELECT count(*) FROM import_batches WHERE deleted_at IS NULL"))
    assert after == before


def test_a_role_taken_away_applies_at_the_next_click(db_path, users, monkeypatch):
    """The crafted request: the browser still holds an editor's import and delete buttons (they were
    drawn), the person is now a viewer, and the click arrives anyway. Nothing changes."""
    probe = Probe(db_path)
    at = log_in(no_exception(new_app().run()), "anna")
    no_exception(at.switch_page("app_pages/upload.py").run())
    upload(at, ("ноябрь.csv", SALES_CSV))
    no_exception(at.button(key="import").click().run())
    assert probe.status().sales_rows == 3
    (batch_id,) = probe.batches()["batch_id"]
    assert probe.batches()["uploaded_by"].tolist() == ["anna"]
    assert "загрузил: anna" in texts(at, "caption")

    no_exception(at.button(key=f"delete:{batch_id}").click().run())
    confirm = at.button(key=f"delete_yes:{batch_id}")  # drawn for the editor
    version = probe.version()

    monkeypatch.setenv("SALES_ANALYTICS_USERS", f"anna:viewer:{HASH}")
    no_exception(confirm.click().run())  # its callback runs before the page: it checks the role
    assert probe.version() == version and probe.status().sales_rows == 3
    assert probe.scalar("SELECT count(*) FROM batch_events WHERE event = 'delete'") == 0
    assert len(at.file_uploader) == 0
    assert not [b for b in at.button if b.key and b.key.startswith(("import", "delete"))]


def test_a_demoted_editor_cannot_import(db_path, users, monkeypatch):
    probe = Probe(db_path)
    at = log_in(no_exception(new_app().run()), "anna")
    no_exception(at.switch_page("app_pages/upload.py").run())
    upload(at, ("ноябрь.csv", SALES_CSV))
    button = at.button(key="import")  # drawn for the editor
    monkeypatch.setenv("SALES_ANALYTICS_USERS", f"anna:viewer:{HASH}")
    no_exception(button.click().run())
    assert probe.version() == 0 and probe.status().batches == 0
    assert t("auth.forbidden", "ru") in texts(at, "info")


def test_an_editor_deletes_and_the_delete_is_recorded(db_path, users):
    probe = Probe(db_path)
    at = log_in(no_exception(new_app().run()), "anna")
    no_exception(at.switch_page("app_pages/upload.py").run())
    upload(at, ("ноябрь.csv", SALES_CSV))
    no_exception(at.button(key="import").click().run())
    (batch_id,) = probe.batches()["batch_id"]
    no_exception(at.button(key=f"delete:{batch_id}").click().run())
    no_exception(at.button(key=f"delete_yes:{batch_id}").click().run())
    assert probe.status().sales_rows == 0
    with probe.db.cursor() as con:
        log = con.execute("SELECT event, actor FROM batch_events ORDER BY event_id").fetchall()
    assert log == [("import", "anna"), ("delete", "anna")]


def test_login_texts_exist_in_both_languages():
    import json
    import re

    from tests.pages.apptest_helpers import ROOT

    locales = ROOT / "sales_analytics" / "locales"
    ru = json.loads((locales / "ru.auth.json").read_text(encoding="utf-8"))
    en = json.loads((locales / "en.auth.json").read_text(encoding="utf-8"))
    fields = re.compile(r"\{(\w+)\}")
    assert {k: sorted(fields.findall(v)) for k, v in ru.items()} == {
        k: sorted(fields.findall(v)) for k, v in en.items()
    }
    used = {f"auth.login.{outcome}" for outcome in ("failed", "locked")} | {
        f"auth.role.{r}" for r in auth.ROLES
    }
    for path in [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]:
        used |= set(re.findall(r"""["'](auth\.[a-z_.]+[a-z])["']""", path.read_text(encoding="utf-8")))
    assert len(used) > 12
    assert sorted(used - ru.keys()) == []
