"""The login form, the logout button and the role check the pages call (not a page itself).

Login is off until users are configured (``sales_analytics.auth``): then every visitor is the one
local user, with every right. When it is on, ``gate`` shows only the login form until someone logs
in, and every change (import, delete) first calls ``require_role("editor")`` here, on the server:
hiding a button is not the check.

The session keeps only the user's *name*; the role is looked up in the users table on every call, so
a role taken away in secrets.toml or the environment applies at the next click.
"""

from __future__ import annotations

import os
import secrets as tokens

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from sales_analytics import auth
from sales_analytics.i18n import t

USER_KEY = "auth_user_name"  # the logged-in user's name; no widget has this key
SESSION_KEY = "auth_session"  # a random id per browser session, for the failed-login counter
MESSAGE_KEY = "auth_message"  # the last attempt's outcome, shown above the form


def _secrets() -> dict:
    """``st.secrets`` as a dict; {} without a secrets file. A file that does not parse stops the
    app rather than silently switching login off."""
    try:
        return st.secrets.to_dict()
    except StreamlitSecretNotFoundError as error:
        if getattr(error, "error_id", None) == "no-secrets-found":
            return {}
        raise auth.ConfigError(str(error)) from error


def users() -> dict[str, auth.User]:
    """The users table (empty: login is off)."""
    return auth.load_users(_secrets(), os.environ)


def _oidc_configured(secrets: dict) -> bool:
    section = secrets.get("auth") or {}
    return bool(section.get("redirect_uri") and section.get("cookie_secret"))


def _oidc_email() -> str | None:
    try:
        return st.user.get("email") if st.user.get("is_logged_in") else None
    except Exception:  # st.user without an identity provider configured
        return None


def current_user() -> auth.User | None:
    """Who is using this session: the local user when login is off, else the logged-in user (a name
    still in the users table, or an identity provider's e-mail mapped there), else None."""
    table = users()
    if not table:
        return auth.local_identity()
    name = st.session_state.get(USER_KEY)
    if isinstance(name, str):
        return auth.find_user(table, name)
    email = _oidc_email()
    return auth.find_user(table, email) if email else None


def allowed(role: str) -> bool:
    """Whether this session may act as ``role`` (for showing controls; the action checks again)."""
    user = current_user()
    return user is not None and user.can(role)


def require_role(role: str) -> auth.User:
    """The server-side check before a change: raises ``auth.Forbidden`` unless the session may act
    as ``role``. Returns the user, whose name goes into the audit trail."""
    return auth.require_role(current_user(), role)


def actor() -> str | None:
    """The name to record for a change: the logged-in user (or e-mail), or None with login off (the
    package then records the operating-system user)."""
    if not users():
        return None
    user = current_user()
    return user.name if user is not None else None


def _session_id() -> str:
    state = st.session_state
    if not isinstance(state.get(SESSION_KEY), str):
        state[SESSION_KEY] = tokens.token_hex(16)
    return state[SESSION_KEY]


def _submit() -> None:
    state = st.session_state
    name, password = str(state.get("login_name") or ""), str(state.get("login_password") or "")
    state["login_password"] = ""  # never kept past this attempt
    result = auth.attempt_login(users(), name, password, _session_id(), auth.THROTTLE)
    if result.ok:
        state[USER_KEY] = result.user.name
        state.pop(MESSAGE_KEY, None)
    else:
        # "locked": refused unchecked, the wait had not run out; "failed": a wrong name or password
        state[MESSAGE_KEY] = ("locked" if result.throttled else "failed", name)


def _wait_text(seconds: float, lang: str) -> str:
    return t("auth.login.wait", lang, seconds=max(1, round(seconds + 0.49)))


def _logout() -> None:
    st.session_state.pop(USER_KEY, None)
    if _oidc_email():
        st.logout()


def login_form(lang: str, oidc: bool) -> None:
    """The only thing an anonymous visitor sees: a name, a password and a button."""
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(t("ui.app.title", lang))
        st.subheader(t("auth.login.title", lang))
        message = st.session_state.get(MESSAGE_KEY)
        if message:
            outcome, name = message
            wait = auth.THROTTLE.wait(*auth.throttle_keys(name, _session_id()))
            text = t(f"auth.login.{outcome}", lang)
            if wait > 0:
                text += " " + _wait_text(wait, lang)
            st.error(text, icon=":material/lock_clock:" if outcome == "locked" else ":material/error:")
        with st.form("login", border=True):
            st.text_input(t("auth.login.name", lang), key="login_name", autocomplete="username")
            st.text_input(
                t("auth.login.password", lang),
                type="password",
                key="login_password",
                autocomplete="current-password",
            )
            st.form_submit_button(
                t("auth.login.submit", lang),
                type="primary",
                icon=":material/login:",
                on_click=_submit,
                width="stretch",
            )
        if oidc:
            st.button(
                t("auth.login.oidc", lang), icon=":material/badge:", on_click=st.login, key="login_oidc"
            )
        st.caption(t("auth.login.help", lang))


def gate(lang: str) -> auth.User:
    """Let the page go on only for a known user; otherwise draw the login form and stop the run.

    With login off this returns the local user at once. With it on, the sidebar shows who is logged
    in and a logout button.
    """
    try:
        secrets = _secrets()
        table = auth.load_users(secrets, os.environ)
    except auth.ConfigError as error:
        st.error(f"{t('auth.config_error', lang)}\n\n{error}", icon=":material/error:")
        st.stop()
    if not table:
        return auth.local_identity()
    user = current_user()
    if user is None:
        st.session_state.pop(USER_KEY, None)  # a name no longer in the table is logged out
        login_form(lang, _oidc_configured(secrets))
        st.stop()
    with st.sidebar:
        st.caption(t("auth.sidebar.user", lang, name=user.name, role=t(f"auth.role.{user.role}", lang)))
        st.button(t("auth.logout", lang), icon=":material/logout:", key="logout", on_click=_logout)
    return user
