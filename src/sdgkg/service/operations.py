"""What an operator runs on a live service: ``POST /admin/backup``.

The server has the store open, so it takes the backup itself (``sdgkg.backup``): a consistent
copy while queries go on being answered. Only the holder of the update token may ask, since a
backup writes a new directory, named by the caller, on the server's disk.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sdgkg.backup import backup_store
from sdgkg.errors import InputError, StoreError
from sdgkg.execution.deps import StateDep
from sdgkg.service.request_facts import facts_of
from sdgkg.service.sparql import check_update_token
from sdgkg.store.embedded import EmbeddedStore

router = APIRouter(tags=["operations"])


class BackupRequest(BaseModel):
    directory: str = Field(description="A directory on the server's disk that does not exist yet")


@router.post(
    "/admin/backup",
    summary="Back the store up into a new directory, with a manifest (Authorization: Bearer)",
)
async def backup(body: BackupRequest, request: Request, state: StateDep) -> JSONResponse:
    check_update_token(state.settings, request.headers.get("authorization"), "a backup")
    facts = facts_of(request.scope)
    if facts is not None:
        facts.operation = "backup"  # its outcome and duration go into the metrics' history
    store = state.store
    if not isinstance(store, EmbeddedStore):
        raise StoreError("only the embedded store is backed up here; use the engine's own backup")
    target = Path(body.directory)
    if not target.is_absolute():
        raise InputError("name the backup directory by an absolute path", where=body.directory)
    manifest = await state.runner.write(lambda: backup_store(store, target))
    return JSONResponse(manifest.to_dict())
