"""The service's settings (``carebase service`` flags and ``CAREBASE_*`` environment variables)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from carebase.service.masking_region import read_region


@dataclass(frozen=True)
class ServiceConfig:
    database_url: str = "sqlite:///feedback.db"
    allowed_origins: tuple[str, ...] = ()  # site origins allowed to send events ("*" = any)
    site_data: str | None = None  # the build output (carebase.output): known items, search index
    wait_for_site_data: bool = False  # carebase serve: the first build writes it after start-up
    token: str | None = None  # bearer token for /api/v1/export and /report
    report_dir: str | None = None  # where the live report keeps its models (default: a temporary folder)
    report_every: float = 600.0  # seconds between the live report's background builds (0: only when asked)
    edit_url: str | None = None  # the live report's "edit" links (as carebase report --edit-url)
    site_url: str = ""  # the site's public URL: citations of the answer API and MCP tools link to it
    rate_limit: int = 600  # events per minute per client, a batch of N counting N (0: no limit)
    rate_burst: int = 200  # events a client may send at once before the limit applies
    search_rate_limit: int = 300  # search API requests per minute per client (0: no limit)
    search_rate_burst: int = 60  # search API requests a client may send at once
    max_body: int = 64 * 1024
    max_events: int = 100
    contact_webhook: str | None = None  # contact-form tickets are POSTed here (JSON), in the background
    contact_webhook_secret: str | None = None  # HMAC-SHA256 signature header when set
    contact_mask: str = "payment"  # masked in contact messages: payment | all | none
    learn_every: float = 300.0  # seconds between learned-phrasing refreshes (0: search learns nothing)
    learn_min_journeys: int = 3  # a learned tie needs this many distinct journeys …
    learn_min_clients: int = 2  # … from this many distinct clients
    learn_days: int = 90  # evidence window (days of events learned from)
    health_hold: float = 5.0  # seconds /healthz stays 503 after a refused write (no flapping while it half-works)
    # the help centre's countries (ISO 3166-1 alpha-2) when no build output names them (the carebase
    # plugin's `region`, which wins): their national phone numbers are masked without a cue
    region: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_origins", tuple(normalise_origin(o) for o in self.allowed_origins if o))
        codes, complaints = read_region(self.region if isinstance(self.region, str) else list(self.region))
        if complaints:
            raise ValueError("; ".join(complaints))
        object.__setattr__(self, "region", codes)
        if self.contact_mask not in ("payment", "all", "none"):
            raise ValueError(f"contact mask: expected payment, all or none, found {self.contact_mask!r}")
        if self.contact_webhook:
            parts = urlsplit(self.contact_webhook)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"contact webhook {self.contact_webhook!r}: expected an http(s) URL, "
                                 "e.g. https://tickets.example.com/hooks/carebase")


def normalise_origin(origin: str) -> str:
    """``https://Help.Example.com/`` → ``https://help.example.com``; ``*`` stays."""
    origin = origin.strip()
    if origin == "*":
        return origin
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"allowed origin {origin!r}: expected scheme://host[:port], e.g. https://help.example.com")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def split_origins(value: str | None) -> list[str]:
    """Comma- or space-separated origins, as in ``CAREBASE_ALLOWED_ORIGINS``."""
    if not value:
        return []
    return [part for part in value.replace(",", " ").split() if part]
