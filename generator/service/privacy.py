"""Privacy and abuse protection: PII masking, salted rotating client hashes, rate limits.

- ``mask_pii(text)`` (from ``carebase.service.masking``): e-mail addresses, IBANs, national id
  numbers, card and phone numbers become ``[email]``, ``[iban]``, ``[id]``, ``[card]`` and
  ``[phone]`` before anything is stored (a spaced run of 20+ digits ``[number]``); ids and order, tracking and bank references
  keep every character.
- ``ClientHasher``: a client is known only as SHA-256(daily salt + IP). The salt is random,
  kept in memory only, and replaced every UTC day (and at every start of the service), so
  hashes cannot be linked across days or reversed by trying every IPv4 address. Raw IPs are
  never stored. Each salt has an **epoch**: a random id drawn with it (not derived from it),
  stored with the events hashed under it. Two different hashes prove two clients only within
  one epoch: under two salts one address gives two hashes, so learning counts distinct
  clients within an epoch, never across epochs (``carebase.learned.ties.proven_clients``).
  **A client is an IPv4 address or an IPv6 /64** (``client_address``): a device with IPv6
  privacy extensions (RFC 8981) takes a new address within its /64 every day or so, and an
  ISP gives a home or an office a /64 (or a larger prefix) of its own, so the addresses of one
  /64 are one client; an IPv4 address mapped into IPv6 (``::ffff:198.51.100.7``) is that IPv4
  address. Only the hash is stored: the prefix, like the address, never leaves memory.
- ``RateLimiter``: a token bucket per client hash; ``check()`` returns the seconds to wait.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
import time

from carebase.service.masking import luhn_ok, mask_pii

__all__ = ["mask_pii", "luhn_ok", "ClientHasher", "RateLimiter", "client_address"]


EPOCH_CHARS = 16  # hex digits of an epoch id (64 random bits)
IPV6_CLIENT_PREFIX = 64  # the bits of an IPv6 address that name one client (a subnet: RFC 4291, 8981)
#: IPv4 addresses translated into IPv6 (NAT64 / SIIT): RFC 6052's well-known prefix, the IPv4
#: address in the last 32 bits; RFC 8215's local-use prefix (its embedding depends on the
#: operator's prefix length: the address is kept whole)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def client_address(host: str) -> str:
    """What identifies a client of ``host`` (the connection's address, or the proxy's
    ``X-Forwarded-For`` with ``--proxy-headers``): an IPv4 address whole, an IPv6 address's /64
    (``2001:db8:1:2::/64``; an IPv4-mapped one as its IPv4 address, ``::ffff:198.51.100.7`` →
    ``198.51.100.7``, and so a NAT64 one, ``64:ff9b::c633:6407``, and a Teredo one its client's IPv4
    address; one under RFC 8215's local-use NAT64 prefix whole; a zone ``%eth0`` left out),
    anything else (``unknown``, a name) as given."""
    text = host.strip()
    if ":" not in text:
        return text  # IPv4 (or no address): the whole address
    try:
        address = ipaddress.IPv6Address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return text
    mapped = address.ipv4_mapped
    if mapped is not None:
        return str(mapped)
    if address in _NAT64:  # an IPv4 customer through a translator: its IPv4 address
        return str(ipaddress.IPv4Address(address.packed[-4:]))
    if address in _NAT64_LOCAL:
        return str(address)
    if address.teredo is not None:  # a Teredo tunnel: its client's IPv4 address, not the server's /64
        return str(address.teredo[1])
    return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False))


class ClientHasher:
    """SHA-256 of the client address with a random salt that changes every UTC day.

    ``clock``: seconds since the epoch (``time.time``, read at each call, so a test's moved
    clock moves the day too)."""

    def __init__(self, clock=None) -> None:
        self._clock = clock
        self._day = -1
        self._salt = b""
        self._epoch = ""
        self._lock = threading.Lock()

    def _current(self) -> tuple[bytes, str]:
        day = int((self._clock or time.time)() // 86400)
        with self._lock:
            if day != self._day:
                # the epoch id is drawn on its own: knowing it tells nothing of the salt
                self._day, self._salt, self._epoch = day, secrets.token_bytes(32), secrets.token_hex(EPOCH_CHARS // 2)
            return self._salt, self._epoch

    def __call__(self, address: str) -> str:
        return self.stamp(address)[0]

    def stamp(self, address: str) -> tuple[str, str]:
        """(the hash of ``address``'s client (``client_address``: an IPv6 address's /64), the
        epoch of the salt it was made with), from one salt even at midnight."""
        salt, epoch = self._current()
        return hashlib.sha256(salt + client_address(address).encode("utf-8", "replace")).hexdigest(), epoch


class RateLimiter:
    """Token bucket per key: ``per_minute`` refill, ``burst`` capacity; 0 disables it."""

    def __init__(self, per_minute: int, burst: int, *, clock=time.monotonic, max_keys: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.enabled = per_minute > 0
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str, cost: float = 1.0) -> float:
        """0 if allowed (and the cost is taken), else the seconds until it would be."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= cost:
                self._buckets[key] = (tokens - cost, now)
                if len(self._buckets) > self._max_keys:
                    self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (cost - tokens) / self.rate

    def _prune(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key, (_, last) in list(self._buckets.items()):
            if now - last >= full_after:
                del self._buckets[key]
        while len(self._buckets) > self._max_keys:  # still too many: drop the oldest
            self._buckets.pop(next(iter(self._buckets)))
