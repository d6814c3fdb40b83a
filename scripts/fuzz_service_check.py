"""Fuzz kg serve's SERVICE check against Oxigraph itself: no query that makes Oxigraph call out may pass it.

Builds random queries around a service call (glued or spaced tokens, strings, IRIs, comments, "<" that may be
"less than"), runs each that parses on an empty in-memory pyoxigraph store with a local TCP listener as the
service, and counts the queries that reached the listener while ``uses_service`` said no. Only 127.0.0.1 is
contacted.

    python scripts/fuzz_service_check.py --seconds 200 --seed 2
"""

from __future__ import annotations

import argparse
import random
import socket
import threading
import time

import pyoxigraph as ox

from kg.sparql.serve import uses_service


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    hits: list[int] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
                hits.append(1)
                conn.close()
            except OSError:
                pass

    threading.Thread(target=accept, daemon=True).start()
    iri = f"<http://127.0.0.1:{port}/x>"
    pieces = ["SERVICE", "service", "SILENT", iri, "<http://a/#b>", "<?b&&'>", "'", '"', "'''", "#",
              "\n", "(", ")", "{", "}", "?s", "?p", "?o", "<", ">", "1", "12", "true", ":x", "ex:a\\'", ".",
              " ", "FILTER", "BIND", "AS", "?a", "?b", "&&", "=", "'>'", ",", "a", "OPTIONAL", "MINUS"]
    rnd = random.Random(args.seed)
    store = ox.Store()
    parsed = called = missed = 0
    started = time.monotonic()
    while time.monotonic() - started < args.seconds:
        def glue() -> str:
            return rnd.choice(["", " "])

        pre = "".join(rnd.choice(pieces) + glue() for _ in range(rnd.randint(0, 6)))
        post = "".join(rnd.choice(pieces) + glue() for _ in range(rnd.randint(0, 6)))
        call = (rnd.choice(["SERVICE", "service", "SeRvIcE", "service:x", "SERVICE SILENT"]) + glue()
                + rnd.choice([iri, "?u", ":x", ""]) + glue() + "{ ?s ?p ?o }")
        query = (f"PREFIX ex: <http://e/> PREFIX : <http://127.0.0.1:{port}/> "
                 f"SELECT * WHERE {{ {pre}{call}{glue()}{post} }}")
        outcome: dict[str, bool] = {}

        def run(text: str = query, box: dict[str, bool] = outcome) -> None:
            try:
                answer = store.query(text)
            except (SyntaxError, ValueError):
                box["syntax"] = True
                return
            try:
                for _ in answer:  # type: ignore[union-attr]
                    pass
            except Exception:  # noqa: BLE001 - the service's failure is expected; only the call matters
                pass

        before = len(hits)
        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(2)
        if outcome.get("syntax"):
            continue
        parsed += 1
        time.sleep(0.05)
        if len(hits) > before:
            called += 1
            if not uses_service(query):
                missed += 1
                print("MISSED:", repr(query))
    print(f"{parsed} queries parsed, {called} called the service, {missed} of those passed the check")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
