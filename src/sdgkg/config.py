"""Every setting in one place, read from ``SDGKG_*`` environment variables.

Validators hold policy: an unsafe combination fails at startup rather than at the first request.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sdgkg.iris import DEFAULT_BASE_IRI


def default_query_workers() -> int:
    """Four query workers per core, at least eight: queries that scan share RocksDB's block
    cache while they run side by side, so eight clients on a two-core machine were answered at
    1.13x the rate of four workers, reading a third of the blocks from files (benchmarks/README.md,
    "Unseen queries: worker count and malloc arenas")."""
    return max(8, 4 * (os.cpu_count() or 2))


class Settings(BaseSettings):
    """Configuration of the library, the CLI and the service."""

    model_config = SettingsConfigDict(env_prefix="SDGKG_", extra="ignore")

    store: str = Field(
        default=".sdgkg/store",
        description="On-disk Oxigraph directory, or a sparql+http(s):// URL of a remote engine.",
    )
    base_iri: str = Field(default=DEFAULT_BASE_IRI, description="Base of every minted IRI.")
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = Field(
        default=None, description="URL the service is reached at, if not http://host:port/."
    )
    update_token: SecretStr | None = Field(
        default=None, description="Bearer token required for SPARQL Update; unset = read-only."
    )
    query_timeout_s: float = Field(default=30.0, gt=0)
    query_workers: int = Field(
        default_factory=default_query_workers,
        gt=0,
        description="Queries evaluated at once (4 per core, at least 8); more wait their turn.",
    )
    max_request_bytes: int = Field(default=1_000_000, gt=0)
    max_result_rows: int = Field(default=1_000_000, gt=0)
    result_cache_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=0,
        description="Memory for repeated small answers until the data change; 0 = off.",
    )
    first_build_wait_s: float = Field(
        default=5.0,
        ge=0,
        description=(
            "How long a page waits for a table, index or dump that was never built for this "
            "store (a fresh load not prepared); then 503 with Retry-After (issue 18)."
        ),
    )
    service_allowlist: list[str] = Field(
        default_factory=list, description="Endpoints SERVICE clauses may call; empty = none."
    )
    bulk_threshold_bytes: int = Field(
        default=8 * 1024 * 1024,
        description="Files at least this large use the bulk loader (reference checks, no SHACL).",
    )
    remote_user: str | None = None
    remote_password: SecretStr | None = None
    remote_token: SecretStr | None = None
    remote_flavour: str = Field(
        default="auto",
        description="Remote engine: auto (ask its Server header), oxigraph, virtuoso, generic.",
    )
    remote_query_url: str | None = Field(
        default=None, description="Overrides the derived query URL."
    )
    remote_update_url: str | None = Field(
        default=None, description="Overrides the derived update URL."
    )
    remote_gsp_url: str | None = Field(
        default=None, description="Overrides the Graph Store Protocol URL."
    )
    remote_writers: Literal["any", "sdgkg"] = Field(
        default="any",
        description=(
            "Who writes to the remote engine. 'sdgkg': only sdgkg loads and updates, so serve "
            "caches answers and sends validators until sdgkg's data stamp changes (docs/deploy.md)."
        ),
    )
    remote_timeout_s: float | None = Field(
        default=300.0,
        description="How long the CLI waits for the remote engine; serve uses query_timeout_s.",
    )

    # -- Operations (issue 19 §2, docs/deploy.md): metrics, access log, loads through /store ---
    metrics: bool = Field(
        default=False, description="Serve Prometheus metrics at /metrics (SDGKG_METRICS=1)."
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token /metrics asks for; needed when the host is not a loopback one.",
    )
    access_log: Literal["off", "json"] = Field(
        default="off", description="One JSON line per request (json), or none (off)."
    )
    access_log_file: Path | None = Field(
        default=None, description="File the access log is appended to; unset = stderr."
    )
    access_log_queries: bool = Field(
        default=False,
        description="Log the query text too; by default only its hash (queries may be private).",
    )
    max_load_bytes: int = Field(
        default=16 * 1024**3,
        gt=0,
        description="Largest file the update token's holder may PUT to /store (a graph load).",
    )

    @model_validator(mode="after")
    def _public_metrics_need_a_token(self) -> Settings:
        if self.metrics and self.metrics_token is None and not _is_loopback(self.host):
            raise ValueError(
                f"SDGKG_METRICS=1 on host {self.host}, which others can reach: set "
                "SDGKG_METRICS_TOKEN, the bearer token Prometheus must send for /metrics"
            )
        return self

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or not value.endswith(("/", "#")):
            raise ValueError("base_iri must be an http(s) IRI ending in '/' or '#'")
        return value

    @property
    def store_is_remote(self) -> bool:
        return self.store.startswith(("sparql+http://", "sparql+https://"))

    @property
    def store_path(self) -> Path:
        return Path(self.store).expanduser()


def _is_loopback(host: str) -> bool:
    """``localhost``, 127.0.0.0/8 or ::1: only this machine reaches a service bound there."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests build their own ``Settings`` instead."""
    return Settings()
