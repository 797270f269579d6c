"""One exception tree for the whole library.

The CLI maps ``exit_code`` and the HTTP API maps ``http_status``: both are class data, so the two
edges cannot disagree about what an error means.
"""

from __future__ import annotations

from typing import ClassVar


class SdgkgError(Exception):
    """Root of every error sdgkg raises on purpose."""

    exit_code: ClassVar[int] = 2
    http_status: ClassVar[int] = 400
    title: ClassVar[str] = "error"

    def __init__(self, message: str, *, where: str = "", see: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where  # file:line:column, CSV row/column, or a focus node
        self.see = see  # the shape, query or spec section behind the rule

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} (see {self.see})" if self.see else text

    def to_dict(self) -> dict[str, str]:
        """The fixed body of an HTTP error response."""
        body = {"error": self.title, "message": self.message}
        if self.where:
            body["where"] = self.where
        if self.see:
            body["see"] = self.see
        return body


class ConfigError(SdgkgError):
    """The settings are unsafe or contradictory."""

    exit_code = 2
    http_status = 500
    title = "configuration error"


class InputError(SdgkgError):
    """Input that cannot be read: a missing file, an unknown format, a wrong encoding."""

    title = "unreadable input"


class RdfSyntaxError(InputError):
    """An RDF document that does not parse; ``where`` is ``file:line:column``."""

    title = "RDF syntax error"


class CsvImportError(InputError):
    """A CSV row that cannot become a record; ``where`` is ``file:row N, column C``."""

    title = "CSV import error"


class UnresolvedName(CsvImportError):
    """A sheet's name that names no record, or several equally well; ``candidates`` are
    ``(iri, name, score)``, best first, as reconciliation ranks them."""

    exit_code = 1
    http_status = 422
    title = "unresolved name"

    def __init__(
        self,
        message: str,
        *,
        where: str,
        text: str,
        candidates: tuple[tuple[str, str, float], ...] = (),
    ) -> None:
        super().__init__(message, where=where)
        self.text = text
        self.candidates = candidates

    def __str__(self) -> str:
        """The message with the candidates, for a terminal; pages list them on their own."""
        shown = "; ".join(f"{name} <{iri}> ({score:g})" for iri, name, score in self.candidates)
        return super().__str__() + (f"; candidates: {shown}" if shown else "")


class UnresolvedNames(SdgkgError):
    """Every name of a sheet that did not resolve; nothing was imported."""

    exit_code = 1
    http_status = 422
    title = "unresolved names"

    def __init__(self, names: list[UnresolvedName], *, where: str = "") -> None:
        super().__init__(
            f"{len(names)} name(s) did not resolve to one record; nothing was imported",
            where=where,
        )
        self.names = names


class QuerySyntaxError(InputError):
    """A SPARQL query or update that does not parse; ``where`` is ``line:column``."""

    title = "SPARQL syntax error"


class QueryNotAllowed(SdgkgError):
    """A well-formed query that the service refuses: an update, a SERVICE to a host not allowed."""

    exit_code = 2
    http_status = 403
    title = "query not allowed"


class NotAuthorized(SdgkgError):
    """An update without a valid token."""

    exit_code = 2
    http_status = 401
    title = "not authorised"


class QueryTimeout(SdgkgError):
    """A query ran past its time limit and was stopped."""

    exit_code = 4
    http_status = 503
    title = "query timeout"


class LimitExceeded(SdgkgError):
    """A request or a result over a configured size limit."""

    exit_code = 2
    http_status = 413
    title = "limit exceeded"


class ValidationFailed(SdgkgError):
    """Records that do not conform to the shapes; ``report`` holds every result."""

    exit_code = 1
    http_status = 422
    title = "validation failed"

    def __init__(
        self, message: str, *, report: object = None, where: str = "", see: str = ""
    ) -> None:
        super().__init__(message, where=where, see=see)
        self.report = report


class NotFound(SdgkgError):
    """A resource, graph or curated query that does not exist."""

    exit_code = 2
    http_status = 404
    title = "not found"


class GraphExists(SdgkgError):
    """A load would overwrite a graph that is already there and ``replace`` was not asked for."""

    exit_code = 2
    http_status = 409
    title = "graph exists"


class UpdateConflict(SdgkgError):
    """A well-formed update the data as they are do not allow: DROP of a graph that is not there,
    CREATE of one that is (SPARQL 1.1 Update says such an operation fails unless SILENT)."""

    exit_code = 1
    http_status = 409
    title = "update conflicts with the data"


class NotReadyYet(SdgkgError):
    """What a page shows is still being built for the first time (a fresh store, issue 18):
    answered at once with 503 and Retry-After instead of holding the request for minutes."""

    http_status = 503
    title = "being prepared"
    retry_after_s: ClassVar[int] = 30


class StoreError(SdgkgError):
    """The store cannot be opened or written: locked by another process, corrupt, full disk."""

    exit_code = 3
    http_status = 503
    title = "store unavailable"


class StoreClosed(StoreError):
    """The store was closed (the server is stopping): work still running on it stops here."""


class StoreLocked(StoreError):
    """Another process (a running ``sdgkg serve``) holds the embedded store's write lock."""
