"""The content-negotiation snippets kg publish writes, run in the real servers: nginx, Caddy and Apache httpd
serve a published site, and GET <base>/id/X answers Turtle, JSON-LD or HTML by the Accept header.

Each server is skipped when it is not installed (apt-get install nginx-light caddy apache2).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_publish import full_build

from kg.rdf.iri import entity_iri
from kg.sparql.site import publish

pytestmark = pytest.mark.slow

ORG = str(entity_iri("ORG", "河南省委社会工作部")).rsplit("/", 1)[1]
APACHE_MODULES = Path("/usr/lib/apache2/modules")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nginx_config(root: Path, site: Path, port: int, work: Path) -> list[str]:
    snippet = (site / "conneg" / "nginx.conf").read_text(encoding="utf-8")
    http_part, server_part = snippet.split("# inside server")
    server_part = server_part.split("\n", 1)[1]
    temp = " ".join(f"{k}_temp_path {work};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 folders
    conf = (f"{user}daemon off; pid {work}/nginx.pid; error_log {work}/error.log;\nevents {{}}\nhttp {{\n"
            f"access_log off; {temp}\n{http_part}\nserver {{ listen 127.0.0.1:{port}; root {root};\n"
            f"{server_part}\n}}\n}}\n")
    (work / "nginx.conf").write_text(conf, encoding="utf-8")
    return ["nginx", "-c", str(work / "nginx.conf")]


def caddy_config(root: Path, site: Path, port: int, work: Path) -> list[str]:
    text = (site / "conneg" / "Caddyfile").read_text(encoding="utf-8")
    lines = text.splitlines()
    lines = [f"http://127.0.0.1:{port} {{" if line.endswith(" {") and not line.startswith((" ", "#"))
             else line for line in lines]
    conf = "\n".join(lines).replace("root * /srv/kg-site", f"root * {root}") + "\n"
    (work / "Caddyfile").write_text(conf, encoding="utf-8")
    return ["caddy", "run", "--config", str(work / "Caddyfile"), "--adapter", "caddyfile"]


def apache_config(root: Path, site: Path, port: int, work: Path) -> list[str]:
    modules = ["mpm_event", "authz_core", "mime", "dir", "rewrite", "headers"]
    conf = "\n".join([f"ServerRoot {work}", f"Listen 127.0.0.1:{port}", f"PidFile {work}/apache.pid",
                      f"ErrorLog {work}/error.log", "ServerName localhost", "TypesConfig /etc/mime.types",
                      *(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so" for m in modules),
                      f"DocumentRoot {root}", f"<Directory {root}>", "AllowOverride All",
                      "Require all granted", "</Directory>", ""])
    (work / "apache.conf").write_text(conf, encoding="utf-8")
    return ["apache2", "-f", str(work / "apache.conf"), "-DFOREGROUND"]


SERVERS = {"nginx": nginx_config, "caddy": caddy_config, "apache2": apache_config}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("servers")
    yield folder / "root", full_build(folder / "out")


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_snippet_negotiates_in_the_real_server(server: str, published: tuple[Path, Path],
                                               tmp_path: Path) -> None:
    if shutil.which(server) is None or (server == "apache2" and not APACHE_MODULES.is_dir()):
        pytest.skip(f"{server} is not installed")
    root, out = published
    port = free_port()
    site = root / f"{server}-kg"
    publish(out, site, base=f"http://127.0.0.1:{port}/{site.name}")
    command = SERVERS[server](root, site, port, tmp_path)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)

        def get(path: str, accept: str) -> tuple[int, str, str, bytes]:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/{site.name}/{path}",
                                             headers={"Accept": accept})
            with urllib.request.urlopen(request, timeout=10) as response:
                return (response.status, response.headers.get("Content-Type", ""),
                        response.headers.get("Vary", ""), response.read())

        for accept, media, start in (("text/turtle", "text/turtle", b"@prefix"),
                                     ("application/ld+json", "application/ld+json", b"{"),
                                     ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html", b"<!DOCTYPE"),
                                     ("*/*", "text/turtle", b"@prefix")):
            status, content_type, vary, body = get(f"id/{ORG}", accept)
            assert (status, content_type.split(";")[0], body[: len(start)]) == (200, media, start), accept
            assert "Accept" in vary
            ext = {"text/turtle": "ttl", "text/html": "html"}.get(media, "jsonld")
            assert body == (site / "id" / f"{ORG}.{ext}").read_bytes()
        status, content_type, _, body = get("dataset", "text/turtle")
        assert status == 200 and body == (site / "dataset.ttl").read_bytes()
        status, content_type, _, body = get("dataset", "text/html")
        assert status == 200 and content_type.startswith("text/html")
    finally:
        process.terminate()
        process.wait(10)
