"""Takes the screenshots in docs/reconcile.md with headless Chromium, so they can be made again.

Starts ``sdgkg serve`` on 127.0.0.1 over a temporary store of the bundle, then photographs the
preview card OpenRefine shows for a candidate, and the check page's answer to a sheet with one
name the graph does not hold. The check page answers a POST, which ``chromium --screenshot``
cannot send, so a local page posts the form as a browser would and Chromium follows it.

    python scripts/screenshot_reconcile.py   # writes docs/img/reconcile-*.png
"""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
SDGKG = [sys.executable, "-m", "sdgkg"]
MAX_BYTES = 150_000  # keep the repository small
PARTNER = "https://w3id.org/sdgkg/id/partner/red-barnet"
BAD_ROW = (
    "green-school,Grøn skole,Green school,,Red Barn (lead); KL,Sønderborg Kommune,mål 4,"
    "delmål 4.7,,,2024,seed-002,95,95,I Sønderborg ser vi fire dimensioner af bæredygtighed\n"
)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sdgkg-shots-") as work:
        folder = Path(work)
        store = folder / "store"
        subprocess.run([*SDGKG, "--store", str(store), "load"], check=True, capture_output=True)
        server, url = start_server(store)
        try:
            shoot(f"{url}reconcile/preview?id={PARTNER}&lang=en", "reconcile-preview", (420, 140))
            template = (ROOT / "data" / "templates" / "partnerships.csv").read_text("utf-8")
            header = template.splitlines(keepends=True)[0]
            form = posting_page(folder, f"{url}check?lang=en", header + BAD_ROW)
            shoot(form.as_uri(), "reconcile-check-page", (900, 1150))
        finally:
            server.terminate()
            server.wait(timeout=10)


def start_server(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*SDGKG, "--store", str(store), "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url + "health", timeout=1):
                return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("sdgkg serve did not start within 60 s")


def posting_page(folder: Path, action: str, text: str) -> Path:
    """A local page that submits ``text`` to the check page as its form does."""
    page = folder / "post.html"
    page.write_text(
        f'<!DOCTYPE html><form method="post" action="{html.escape(action)}" '
        'enctype="multipart/form-data">'
        f'<textarea name="text">{html.escape(text)}</textarea></form>'
        "<script>document.forms[0].submit()</script>",
        encoding="utf-8",
    )
    return page


def shoot(url: str, name: str, size: tuple[int, int]) -> None:
    target = OUT / f"{name}.png"
    with tempfile.TemporaryDirectory(prefix="sdgkg-chromium-") as profile:
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--window-size={size[0]},{size[1]}",
                "--virtual-time-budget=10000",
                f"--screenshot={target}",
                url,
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "LANG": "en_GB.UTF-8"},
            timeout=120,
        )
    size_bytes = target.stat().st_size
    if size_bytes > MAX_BYTES:
        raise SystemExit(f"{target} is {size_bytes} bytes; make the window smaller")
    print(f"{target.relative_to(ROOT)}: {size_bytes:,} bytes")


if __name__ == "__main__":
    main()
