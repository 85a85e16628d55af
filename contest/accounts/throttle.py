"""Sign-in throttling that slows attackers without locking anyone out (OWASP's "device
cookie" pattern), and limits on the account e-mails a stranger can make us send.

Sign-in attempts are counted in Redis, atomically, on one of two paths:

- A *known device* (a browser holding a device cookie for this account, see devices.py)
  is counted on its own cookie only. Attacks on the account never slow it down. A cookie
  that fails LOGIN_DEVICE_MAX_FAILURES times stops being trusted for LOGIN_FAILURE_WINDOW.
- An *unknown client* is counted per account (the e-mail typed, known or not, so the
  answer reveals nothing) and per client address (all accounts together: password
  spraying). After `free` failures each further one makes the next attempt wait
  base * 2^(n - free) seconds, up to a cap; a waiting attempt is refused (429) without
  checking the password. A school behind one address is hurt only for pupils signing in
  from a new browser while someone there sprays: known devices skip the address count.

Each attempt is charged before the password is checked (a burst of parallel guesses
cannot slip through together); a success takes the charge back. A completed password
reset clears the account's counters. If Redis is unreachable the checks fail open (sign-in
beats lock-out) and it is logged. The client address is request.remote_addr: the peer,
unless TRUSTED_PROXIES is set (then werkzeug's ProxyFix takes it from X-Forwarded-For).
"""
from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
from dataclasses import dataclass, field

from flask import current_app
from redis.exceptions import RedisError

from contest.errors import DomainError
from contest.jobs.queue import redis_connection

log = logging.getLogger(__name__)

# KEYS: (count, wait) pairs; ARGV: window seconds, then (free, base ms, cap ms) per pair.
# If any pair is waiting: nothing is charged, the longest wait (ms) is returned.
# Otherwise every count goes up by one and each pair at or over its free count waits.
_CHARGE = """
local longest = 0
for i = 2, #KEYS, 2 do
  local wait = redis.call('PTTL', KEYS[i])
  if wait > longest then longest = wait end
end
if longest > 0 then return longest end
for i = 1, #KEYS, 2 do
  local j = 2 + (i - 1) / 2 * 3
  local n = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[1])
  local free = tonumber(ARGV[j])
  if n >= free then
    local delay = math.min(tonumber(ARGV[j + 2]), tonumber(ARGV[j + 1]) * 2 ^ (n - free))
    redis.call('SET', KEYS[i + 1], '1', 'PX', math.max(1, math.floor(delay)))
  end
end
return 0
"""


class TooManyAttempts(DomainError):
    """Refused before any work: wait `seconds` (the view answers 429 with Retry-After)."""

    def __init__(self, message, *, seconds: int):
        super().__init__(message)
        self.seconds = seconds


def delay_after(failures: int, *, free: int, base: float, cap: float) -> float:
    """Seconds the next attempt waits after `failures` charged attempts: none before `free`,
    then base, 2*base, 4*base... never more than `cap`."""
    if failures < free:
        return 0
    return min(cap, base * 2 ** (failures - free))


def _key(*parts: str) -> str:
    return f"{current_app.config['REDIS_PREFIX']}throttle:{':'.join(parts)}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode()).hexdigest()[:32]


def client_key(address: str | None) -> str:
    """An IPv6 client is its /64 (one subscriber's whole network); IPv4 is the address."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


@dataclass
class Attempt:
    """What was charged for one sign-in attempt, to take back on success."""

    trusted: bool
    keys: dict[str, str] = field(default_factory=dict)


def _pairs(email: str, client: str | None, device: str | None, trusted: bool) -> list[tuple[str, str, tuple]]:
    """(kind, key, (free, base s, cap s)) of each counter this attempt is charged to."""
    cfg = current_app.config
    window = cfg["LOGIN_FAILURE_WINDOW"]
    if trusted:
        return [("device", _key("device", device), (cfg["LOGIN_DEVICE_MAX_FAILURES"], window, window))]
    base, cap = cfg["LOGIN_DELAY_SECONDS"], cfg["LOGIN_DELAY_MAX_SECONDS"]
    return [("account", _key("account", _digest(email)), (cfg["LOGIN_FREE_FAILURES"], base, cap)),
            ("client", _key("client", client_key(client)), (cfg["LOGIN_CLIENT_FREE_FAILURES"], base, cap))]


def _charge(pairs: list[tuple[str, str, tuple]]) -> int:
    """Charge every pair atomically; the wait in ms if one of them is waiting (then nothing)."""
    keys, args = [], [current_app.config["LOGIN_FAILURE_WINDOW"]]
    for _kind, name, (free, base, cap) in pairs:
        keys += [f"{name}:n", f"{name}:wait"]
        args += [free, int(base * 1000), int(cap * 1000)]
    return int(redis_connection().eval(_CHARGE, len(keys), *keys, *args))


def _device_usable(device: str) -> bool:
    return not redis_connection().exists(_key("device", device) + ":wait")


def begin_attempt(*, email: str, client: str | None, device: str | None, message) -> Attempt:
    """Charge one sign-in attempt, or raise TooManyAttempts if it must wait."""
    try:
        trusted = device is not None and _device_usable(device)
        pairs = _pairs(email, client, device, trusted)
        wait_ms = _charge(pairs)
    except RedisError as exc:
        log.warning("sign-in throttle skipped, Redis unavailable: %s", exc)
        return Attempt(trusted=False)
    if wait_ms > 0:
        seconds = math.ceil(wait_ms / 1000)
        raise TooManyAttempts(message(seconds), seconds=seconds)
    return Attempt(trusted=trusted, keys={kind: name for kind, name, _params in pairs})


def succeeded(attempt: Attempt) -> None:
    """The password was right: forget the account's (or device's) failures, and take this
    attempt back from the client's count (its wait, if any, stays)."""
    try:
        conn = redis_connection()
        for kind, name in attempt.keys.items():
            if kind == "client":
                if conn.decr(f"{name}:n") < 0:
                    conn.delete(f"{name}:n")
            else:
                conn.delete(f"{name}:n", f"{name}:wait")
    except RedisError as exc:
        log.warning("sign-in throttle not updated, Redis unavailable: %s", exc)


def clear_account(email: str) -> None:
    """A completed password reset: unknown clients may try this account again at once."""
    try:
        name = _key("account", _digest(email))
        redis_connection().delete(f"{name}:n", f"{name}:wait")
    except RedisError as exc:
        log.warning("sign-in throttle not cleared, Redis unavailable: %s", exc)


def begin_code_attempt(*, purpose: str, user_id: int, message) -> Attempt:
    """Charge one try of a code typed by a signed-in person (a paper entry's claim key), on
    that person's own counter, with the sign-in delays: guessing a key slows to a crawl,
    and no one else is slowed. Redis down: fails open, as sign-in does."""
    cfg = current_app.config
    pairs = [("account", _key(purpose, str(user_id)),
              (cfg["LOGIN_FREE_FAILURES"], cfg["LOGIN_DELAY_SECONDS"], cfg["LOGIN_DELAY_MAX_SECONDS"]))]
    try:
        wait_ms = _charge(pairs)
    except RedisError as exc:
        log.warning("code throttle skipped, Redis unavailable: %s", exc)
        return Attempt(trusted=False)
    if wait_ms > 0:
        seconds = math.ceil(wait_ms / 1000)
        raise TooManyAttempts(message(seconds), seconds=seconds)
    return Attempt(trusted=False, keys={kind: name for kind, name, _params in pairs})


def allow_account_mail(*, email: str, client: str | None) -> bool:
    """Count one registration or reset e-mail against the address and the client; False when
    either is over its limit for the window (ACCOUNT_MAILS_PER_ADDRESS / _PER_CLIENT)."""
    cfg = current_app.config
    limits = [(_key("mail-address", _digest(email)), cfg["ACCOUNT_MAILS_PER_ADDRESS"])]
    if client is not None:  # None: the CLI or the demo seed, not a web client
        limits.append((_key("mail-client", client_key(client)), cfg["ACCOUNT_MAILS_PER_CLIENT"]))
    try:
        pipe = redis_connection().pipeline()
        for name, _limit in limits:
            pipe.set(name, 0, ex=cfg["ACCOUNT_MAIL_WINDOW"], nx=True)  # the window starts here
            pipe.incr(name)
        counts = pipe.execute()[1::2]
    except RedisError as exc:
        log.warning("account e-mail limit skipped, Redis unavailable: %s", exc)
        return True
    return all(n <= limit for n, (_name, limit) in zip(counts, limits))
