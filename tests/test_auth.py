"""Login and roles (issue 6, item 1): the users table, argon2 hashes, roles, the failed-login delay."""

from __future__ import annotations

import io
import json

import pytest
from argon2 import PasswordHasher

from sales_analytics import auth
from sales_analytics.cli import main

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def password_hash() -> str:
    """A real argon2id hash with light parameters (verifying reads them from the hash), so the many
    attempts below stay quick; ``hash_password`` itself is checked once."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


class Clock:
    """A clock the test moves by hand: the delay logic runs without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --- the users table ---------------------------------------------------------------------------


def test_no_users_means_login_is_off():
    assert auth.load_users({}, {}) == {}
    assert auth.load_users(None, {"SALES_ANALYTICS_USERS": "  "}) == {}
    assert auth.local_identity().role == "editor"


def test_users_from_secrets_and_both_environment_forms(password_hash):
    secrets = {"auth": {"users": {"ceo": {"password_hash": password_hash, "role": "viewer"}}}}
    short = f"anna:editor:{password_hash};  boris:viewer:{password_hash}"
    users = auth.load_users(secrets, {"SALES_ANALYTICS_USERS": short})
    assert {name: u.role for name, u in users.items()} == {
        "ceo": "viewer",
        "anna": "editor",
        "boris": "viewer",
    }
    as_json = json.dumps({"ceo": {"role": "editor", "password_hash": password_hash}})
    users = auth.load_users(secrets, {"SALES_ANALYTICS_USERS": as_json})
    assert users["ceo"].role == "editor"  # the environment wins over the file


def test_an_identity_provider_email_maps_to_a_role_without_a_password():
    users = auth.load_users({"auth": {"users": {"CEO@Company.ru": {"role": "viewer"}}}}, {})
    user = auth.find_user(users, "ceo@company.ru")
    assert user is not None and user.role == "viewer" and user.password_hash is None
    assert not auth.verify_password(user, "")  # no password login for such an entry
    assert auth.find_user(users, "someone@company.ru") is None


@pytest.mark.parametrize(
    "env",
    [
        "anna:admin:$argon2id$x",  # no such role
        "anna:editor:plaintext",  # a password, not a hash
        ":viewer:$argon2id$x",  # no name
        '{"anna": {"role": "owner"}}',
        '{"anna": ',
    ],
)
def test_a_malformed_table_is_refused_not_guessed(env):
    with pytest.raises(auth.ConfigError):
        auth.load_users({}, {"SALES_ANALYTICS_USERS": env})


# --- passwords and roles -------------------------------------------------------------------------


def test_hash_verifies_only_the_right_password(password_hash):
    made = auth.hash_password(PASSWORD)
    assert made.startswith("$argon2id$") and made != auth.hash_password(PASSWORD)  # a fresh salt each time
    assert auth.verify_password(auth.User("anna", "editor", made), PASSWORD)
    user = auth.User("anna", "editor", password_hash)
    assert auth.verify_password(user, PASSWORD)
    assert not auth.verify_password(user, PASSWORD.upper())
    assert not auth.verify_password(user, "")
    assert not auth.verify_password(None, PASSWORD)


def test_require_role():
    viewer, editor = auth.User("ceo", "viewer"), auth.User("anna", "editor")
    assert auth.require_role(editor, "editor") is editor
    assert auth.require_role(viewer, "viewer") is viewer
    assert auth.require_role(editor, "viewer") is editor
    with pytest.raises(auth.Forbidden):
        auth.require_role(viewer, "editor")
    with pytest.raises(auth.Forbidden):
        auth.require_role(None, "viewer")


# --- failed logins slow down ---------------------------------------------------------------------


def test_delay_doubles_and_is_capped():
    throttle = auth.Throttle(base=1, cap=60)
    assert [throttle.delay(n) for n in range(9)] == [0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_attempts_inside_the_delay_are_refused_unchecked(password_hash):
    clock = Clock()
    throttle = auth.Throttle(base=1, cap=8, clock=clock)
    users = {"anna": auth.User("anna", "editor", password_hash)}

    waits = []
    for _ in range(5):
        result = auth.attempt_login(users, "anna", "wrong", "s1", throttle)
        assert not result.ok and not result.throttled
        waits.append(result.wait)
        # too early, even with the right password: refused without a look, and not counted
        early = auth.attempt_login(users, "anna", PASSWORD, "s1", throttle)
        assert not early.ok and early.throttled and early.wait == pytest.approx(result.wait)
        clock.advance(result.wait)
    assert waits == [1, 2, 4, 8, 8]
    assert throttle.failures("user:anna") == 5

    ok = auth.attempt_login(users, "anna", PASSWORD, "s1", throttle)
    assert ok.ok and ok.user.name == "anna"
    assert throttle.failures("user:anna") == 0 and throttle.wait("user:anna", "session:s1") == 0


def test_the_delay_follows_the_name_across_sessions_and_the_session_across_names(password_hash):
    clock = Clock()
    throttle = auth.Throttle(base=1, cap=300, clock=clock)
    users = {"anna": auth.User("anna", "editor", password_hash), "boris": auth.User("boris", "viewer")}
    for session in ("a", "b", "c"):  # a new browser session per guess does not reset the name
        clock.advance(throttle.wait("user:anna"))
        assert not auth.attempt_login(users, "Anna", "guess", session, throttle).throttled
    assert throttle.failures("user:anna") == 3
    fresh = auth.attempt_login(users, "anna", PASSWORD, "d", throttle)
    assert fresh.throttled and fresh.wait == 4

    # one session trying many names is slowed too
    for name in ("x1", "x2"):
        assert not auth.attempt_login(users, name, "guess", "spray", throttle).throttled
        clock.advance(1)
    sprayed = auth.attempt_login(users, "x3", "guess", "spray", throttle)
    assert sprayed.throttled and sprayed.wait == 1


def test_the_counters_stay_bounded():
    clock = Clock()
    throttle = auth.Throttle(base=1, cap=4, clock=clock, max_keys=100)
    for number in range(1000):
        throttle.failed(f"user:random{number}")
        clock.advance(0.01)
    assert len(throttle._failures) <= 100


# --- the command that makes a hash -----------------------------------------------------------


def test_hash_password_from_stdin(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["hash-password", "--stdin"]) == 0
    made = capsys.readouterr().out.strip()
    assert auth.verify_password(auth.User("x", "viewer", made), PASSWORD)


def test_hash_password_asks_twice(monkeypatch, capsys):
    answers = iter([PASSWORD, PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["hash-password"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "differ" in err

    answers = iter([PASSWORD, PASSWORD])
    assert main(["hash-password"]) == 0
    assert auth.verify_password(auth.User("x", "viewer", capsys.readouterr().out.strip()), PASSWORD)
