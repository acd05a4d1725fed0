"""Connecting to PostgreSQL with errors a user can act on, and URLs safe to print.

Every URL that reaches output goes through `redact` first: passwords never appear.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from pgmt.errors import ConfigError, ConnectionFailed

# Without a timeout, an unroutable host hangs for minutes before libpq gives up.
DEFAULT_CONNECT_TIMEOUT = 10

# libpq ends URL userinfo at the first "@" or "/", so this matches what libpq would use.
_URL_USERINFO = re.compile(r"^(?P<scheme>[a-z]+://)(?P<user>[^:@/]*):(?P<password>[^@/]*)@", re.I)
_URL_PASSWORD_PARAM = re.compile(r"([?&]password=)[^&#]*", re.I)
_KEYWORD_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.I)


def redact(url: str) -> str:
    """The URL or keyword conninfo with every password replaced by `***`."""
    if "://" in url:
        url = _URL_USERINFO.sub(r"\g<scheme>\g<user>:***@", url)
        return _URL_PASSWORD_PARAM.sub(r"\1***", url)
    return _KEYWORD_PASSWORD.sub(r"\1***", url)


def with_dbname(url: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    if "://" in url:
        parts = urlsplit(url)
        return parts._replace(path="/" + quote(dbname, safe="")).geturl()
    return make_conninfo(url, dbname=dbname)


def connect(url: str, **kwargs: Any) -> psycopg.Connection[Any]:
    """psycopg.connect, with failures turned into one clear ConnectionFailed and a hint."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise ConfigError(
            f"invalid connection URL {redact(url)}: {_first_line(error)}",
            hint="use the form postgresql://user:password@host:port/dbname",
        ) from None
    if "connect_timeout" not in params and "connect_timeout" not in kwargs:
        kwargs["connect_timeout"] = DEFAULT_CONNECT_TIMEOUT
    try:
        return psycopg.connect(url, **kwargs)
    except psycopg.OperationalError as error:
        raise _explain(error, url, params) from None


def _explain(error: psycopg.OperationalError, url: str, params: dict[str, Any]) -> ConnectionFailed:
    """Map libpq's failure to what went wrong and what to try next."""
    shown = redact(url)
    detail = _first_line(error)
    lowered = str(error).lower()
    user = params.get("user") or "the user"
    dbname = params.get("dbname") or params.get("user") or "the database"
    if error.sqlstate == "28P01" or "password authentication failed" in lowered:
        return ConnectionFailed(
            f"password authentication failed for {user} at {shown}",
            hint="check the password in the URL (or PGPASSWORD / ~/.pgpass)",
        )
    if "no password supplied" in lowered:
        return ConnectionFailed(
            f"the server at {shown} asks for a password and none was given",
            hint="add it to the URL (postgresql://user:password@host/db), PGPASSWORD or ~/.pgpass",
        )
    # libpq often reports connection-time errors without a SQLSTATE: match the text too.
    if error.sqlstate == "3D000" or re.search(r'database ".*" does not exist', lowered):
        return ConnectionFailed(
            f"database {dbname!r} does not exist on {shown}",
            hint=f"create it (createdb {dbname}) or fix the database name in the URL",
        )
    if error.sqlstate == "28000" or any(
        s in lowered for s in ("no pg_hba.conf entry", "role \"", "peer authentication")
    ):
        return ConnectionFailed(
            f"the server at {shown} refused {user}: {detail}",
            hint="check the user name, and that pg_hba.conf allows this user, database and host",
        )
    if error.sqlstate == "57P03" or "the database system is" in lowered:
        return ConnectionFailed(
            f"the server at {shown} is not accepting connections yet: {detail}",
            hint="wait for it to finish starting (or recovering) and try again",
        )
    if any(s in lowered for s in ("connection refused", "no such file", "could not connect",
                                  "timeout expired", "could not translate host name",
                                  "failed to resolve host")):
        return ConnectionFailed(
            f"cannot reach a PostgreSQL server at {shown}: {detail}",
            hint="start the server (`pgmt db start` for the local one) or fix host/port in the URL",
        )
    return ConnectionFailed(
        f"cannot connect to {shown}: {detail}",
        hint="check the URL and that the server is up and accepts this user",
    )


def _first_line(error: Exception) -> str:
    # libpq adds indented advice lines ("Is the server running...?"); our hint replaces them.
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    first = re.sub(r"^(connection failed|connection is bad): ", "", lines[0])
    return re.sub(r"\bFATAL:\s+", "", first)
