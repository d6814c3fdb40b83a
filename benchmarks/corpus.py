"""Write the scaled benchmark corpus: ``government-reports.jsonl`` repeated N times with distinct ids.

    python benchmarks/corpus.py --times 10 -o /tmp/kg-bench/corpus-10x.jsonl
    python benchmarks/corpus.py --times 1 --limit 3 -o /tmp/kg-bench/corpus-3docs.jsonl
    python benchmarks/corpus.py --edit /tmp/kg-bench/corpus-10x.jsonl -o /tmp/kg-bench/corpus-10x-edited.jsonl

Copy k (0-based) of a document gets the id ``<id>#r<k>`` (only when N > 1), so a build sees N × 61
distinct documents whose texts are the same. ``--edit`` writes a copy of a corpus with one sentence added to
one document's text (the incremental-rebuild input). Prints the file, its documents and characters.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import characters, corpus_path, edited_copy, make_corpus, read_records  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, required=True, help="The JSONL file to write.")
    parser.add_argument("--times", type=int, default=10, help="Copies of the corpus (default 10).")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="Source corpus (default: ../shared/corpus/government-reports.jsonl).")
    parser.add_argument("--limit", type=int, default=None,
                        help="Use only the first N documents of the source.")
    parser.add_argument("--edit", type=Path, metavar="CORPUS", default=None,
                        help="Instead: copy CORPUS with one sentence added to one document's text.")
    parser.add_argument("--edit-index", type=int, default=0,
                        help="Which document --edit changes (default 0).")
    args = parser.parse_args(argv)

    if args.edit is not None:
        path, doc_id = edited_copy(corpus_path(args.edit), args.output, index=args.edit_index)
        print(f"{path}: document {doc_id!r} edited", file=sys.stderr)
    else:
        path = make_corpus(args.output, args.times, source=args.corpus, limit=args.limit)
    records = read_records(path)
    print(f"{path}: {len(records)} documents, {characters(records):,} characters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
