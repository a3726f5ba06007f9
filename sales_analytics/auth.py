"""Who may use the app, and who may change its data.

Login is off until users are configured: a local single user has full rights, as before. It is on
when ``.streamlit/secrets.toml`` holds an ``[auth.users.<name>]`` table or the environment variable
``SALES_ANALYTICS_USERS`` names users (see :func:`load_users`). Then:

- a *viewer* (the CEO) sees every page;
- an *editor* (the commercial director) also uploads files and deletes batches and the demo.

Passwords are stored only as argon2id hashes (``python -m sales_analytics hash-password``). Failed
logins slow down: after each failure, the same user name and the same browser session must wait
1 s, 2 s, 4 s … (capped) before the next attempt is even checked. The counters live in this
process's memory, so a restart clears them.

This module never imports streamlit: the page side (``app_pages/login.py``) passes in the secrets
and the session.
"""

from __future__ import annotations

import getpass
import json
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ROLES = ("viewer", "editor")
ENV_USERS = "SALES_ANALYTICS_USERS"
LOCAL_FALLBACK = "local"

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class ConfigError(ValueError):
    """The users table is malformed (a bad role, a missing name); the app refuses to guess."""


class Forbidden(PermissionError):
    """Someone tried an action their role does not allow. Nothing was changed."""


@dataclass(frozen=True)
class User:
    """A person the app knows: a name (or an e-mail, for OIDC), a role, and a password hash.

    A user without ``password_hash`` cannot log in with a password; such entries map an identity
    provider's e-mail to a role (``st.login``).
    """

    name: str
    role: str
    password_hash: str | None = None

    def can(self, role: str) -> bool:
        """An editor can do everything a viewer can."""
        return ROLES.index(self.role) >= ROLES.index(role)


def local_user() -> str:
    """The name recorded for changes made without login: the operating-system user, else "local"."""
    try:
        return getpass.getuser() or LOCAL_FALLBACK
    except Exception:  # no USER/LOGNAME and no passwd entry (some containers)
        return LOCAL_FALLBACK


def local_identity() -> User:
    """With login off, the one local user has every right."""
    return User(name=local_user(), role="editor")


# --- the users table ---------------------------------------------------------------------------


def _user(name: str, entry: Mapping) -> User:
    name = str(name).strip()
    if not name:
        raise ConfigError("a user without a name")
    role = str(entry.get("role", "")).strip()
    if role not in ROLES:
        raise ConfigError(f"user {name!r}: role must be one of {', '.join(ROLES)}, got {role!r}")
    password_hash = entry.get("password_hash") or None
    if password_hash is not None and not str(password_hash).startswith("$argon2"):
        raise ConfigError(f"user {name!r}: password_hash is not an argon2 hash (use hash-password)")
    return User(name=name, role=role, password_hash=password_hash)


def parse_env_users(text: str) -> dict[str, User]:
    """Users from ``$SALES_ANALYTICS_USERS``.

    Either JSON, ``{"anna": {"role": "editor", "password_hash": "$argon2id$..."}}``, or the short
    form ``name:role:hash;name:role:hash`` (argon2 hashes hold neither ``:`` nor ``;``).
    """
    text = text.strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            table = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConfigError(f"{ENV_USERS} is not valid JSON: {error}") from error
        return {u.name: u for u in (_user(name, entry) for name, entry in table.items())}
    users = {}
    for item in filter(None, (part.strip() for part in text.split(";"))):
        name, _, rest = item.partition(":")
        role, _, password_hash = rest.partition(":")
        user = _user(name, {"role": role, "password_hash": password_hash})
        users[user.name] = user
    return users


def load_users(secrets: Mapping | None = None, environ: Mapping[str, str] | None = None) -> dict[str, User]:
    """Every configured user, by name: ``[auth.users.<name>]`` in secrets, then the environment.

    The environment wins for a name in both (a deployment can override a file). An empty result
    means login is off.
    """
    environ = os.environ if environ is None else environ
    users: dict[str, User] = {}
    section = ((secrets or {}).get("auth") or {}).get("users") or {}
    for name, entry in section.items():
        user = _user(name, entry)
        users[user.name] = user
    users.update(parse_env_users(environ.get(ENV_USERS, "")))
    return users


def find_user(users: Mapping[str, User], name: str) -> User | None:
    """A user by name; e-mails (OIDC) compare without case."""
    name = name.strip()
    if name in users:
        return users[name]
    folded = name.casefold()
    return next((u for key, u in users.items() if key.casefold() == folded and "@" in key), None)


# --- passwords -----------------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` for the users table (a fresh salt every time)."""
    if not password:
        raise ValueError("empty password")
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    # A real hash of nothing anyone can type: an unknown name costs the same time as a wrong password.
    return _hasher.hash(os.urandom(16).hex())


def verify_password(user: User | None, password: str) -> bool:
    """Whether ``password`` is this user's. Unknown users and users without a hash never pass."""
    target = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    try:
        ok = _hasher.verify(target, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    return ok and user is not None and user.password_hash is not None


def require_role(user: User | None, role: str) -> User:
    """The server-side check before any change: raises :class:`Forbidden` unless ``user`` may act
    as ``role``. Returns the user, whose name goes into the audit trail."""
    if user is None or not user.can(role):
        raise Forbidden(f"{user.name if user else 'anonymous'} may not act as {role}")
    return user


# --- failed logins slow down ----------------------------------------------------------------------


class Throttle:
    """Exponential delay after failed logins, per key (a user name, a browser session).

    After ``n`` failures in a row, the next attempt for that key is refused without checking the
    password until ``base * 2**(n-1)`` seconds (at most ``cap``) have passed since the last failure.
    A success clears the key. ``clock`` is injectable so tests need not sleep.
    """

    def __init__(
        self,
        *,
        base: float = 1.0,
        cap: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self.base, self.cap, self.clock, self.max_keys = base, cap, clock, max_keys
        self._failures: dict[str, tuple[int, float]] = {}  # key -> (failures in a row, last failure)
        self._lock = threading.Lock()

    def delay(self, failures: int) -> float:
        """The wait after ``failures`` failures in a row."""
        if failures <= 0:
            return 0.0
        return min(self.base * 2 ** (failures - 1), self.cap)

    def wait(self, *keys: str) -> float:
        """Seconds before any of ``keys`` may try again (0 when it may try now)."""
        now = self.clock()
        with self._lock:
            entries = [self._failures[key] for key in keys if key in self._failures]
        return max([0.0, *(last + self.delay(count) - now for count, last in entries)])

    def failures(self, key: str) -> int:
        with self._lock:
            return self._failures.get(key, (0, 0.0))[0]

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= self.max_keys:
                self._forget_expired(now)
            for key in keys:
                count, _ = self._failures.get(key, (0, 0.0))
                self._failures[key] = (count + 1, now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)

    def _forget_expired(self, now: float) -> None:
        # A key whose wait has run out for a full cap is harmless to forget; an attacker filling the
        # table with random names cannot grow it past max_keys for long.
        stale = [
            k for k, (count, last) in self._failures.items() if now - last > self.delay(count) + self.cap
        ]
        for key in stale or list(self._failures)[: len(self._failures) // 2]:
            del self._failures[key]


@dataclass(frozen=True)
class LoginResult:
    """What a login attempt gave: the user, or why not (``wait`` seconds when throttled)."""

    user: User | None
    wait: float = 0.0
    throttled: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


def throttle_keys(name: str, session: str) -> tuple[str, str]:
    """The counters a login attempt feeds: its user name (any case) and its browser session."""
    return f"user:{name.strip().casefold()}", f"session:{session}"


def attempt_login(
    users: Mapping[str, User], name: str, password: str, session: str, throttle: Throttle
) -> LoginResult:
    """Check a login attempt, slowed down per user name and per session.

    A throttled attempt is refused before the password is looked at, so guessing faster gains
    nothing; it does not count as a further failure (a person retrying too early is not punished).
    """
    keys = throttle_keys(name, session)
    wait = throttle.wait(*keys)
    if wait > 0:
        return LoginResult(None, wait=wait, throttled=True)
    user = find_user(users, name)
    if verify_password(user, password):
        throttle.succeeded(*keys)
        return LoginResult(user)
    throttle.failed(*keys)
    return LoginResult(None, wait=throttle.wait(*keys))


THROTTLE = Throttle()  # the process's counters, shared by every session
