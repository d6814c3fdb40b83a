"""Lexicons and pattern data under ``ontology/lexicon/``: files a researcher can read and extend."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.core.errors import ConfigError
from kg.core.resources import ontology_path


@dataclass(frozen=True)
class Term:
    """One lexicon entry: a canonical name, its label, and what else is known of it."""

    name: str
    label: str
    en: str | None = None
    aliases: tuple[str, ...] = ()
    code: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Division:
    """One administrative division (divisions.tsv, from the Ministry of Civil Affairs' code lists)."""

    name: str
    short: str
    level: str  # province, prefecture, county, district
    kind: str
    code: str
    parent: str  # the parent division's code, "" for a province
    ambiguous: str = ""  # why the short form is not read alone: shared, word, short ("" = it may be)
    en: str | None = None

    @property
    def place_word(self) -> str:
        """The level word the division's own documents use for it: 省 for a province, 市 for a city or a
        municipality, 自治区 for an autonomous region; "" for the rest."""
        if self.kind == "province":
            return "省"
        if self.kind in ("municipality", "city"):
            return "市"
        if self.kind == "autonomous region":
            return "自治区"
        return ""


@dataclass(frozen=True)
class Department:
    """A regular department of provincial or city government or Party committee (local_departments.tsv)."""

    name: str
    level: str  # province, city, both
    aliases: tuple[str, ...]
    en: str
    follows: str  # place (山东省财政厅) or committee (山东省委组织部)

    def fits(self, level: str) -> bool:
        """Whether the department exists at a division of this level (province, prefecture)."""
        wanted = "province" if level == "province" else "city"
        return self.level in ("both", wanted)


@dataclass(frozen=True)
class Lexicon:
    terms: tuple[Term, ...]
    org_suffixes: tuple[str, ...]
    org_levels: tuple[str, ...]
    org_fields: tuple[str, ...]
    mechanism_suffixes: dict[str, str] = field(default_factory=dict)
    programme_suffixes: dict[str, str] = field(default_factory=dict)
    policy_suffixes: dict[str, str] = field(default_factory=dict)
    cues: dict[str, str] = field(default_factory=dict)
    wikidata: dict[tuple[str, str], str] = field(default_factory=dict)
    #: GROUP head noun -> the words that classify it (group_kinds.tsv), longest first
    group_kinds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: China's administrative divisions, in code order (divisions.tsv)
    divisions: tuple[Division, ...] = ()
    #: regular local departments (local_departments.tsv)
    departments: tuple[Department, ...] = ()

    def sizes(self) -> dict[str, int]:
        by_label: dict[str, int] = {}
        for t in self.terms:
            by_label[t.label] = by_label.get(t.label, 0) + 1
        return {
            **{f"terms {k}": v for k, v in sorted(by_label.items())},
            "org suffixes": len(self.org_suffixes),
            "org levels": len(self.org_levels),
            "org fields": len(self.org_fields),
            "mechanism suffixes": len(self.mechanism_suffixes),
            "programme suffixes": len(self.programme_suffixes),
            "policy suffixes": len(self.policy_suffixes),
            "relation cues": len(self.cues),
            "wikidata links": len(self.wikidata),
            "group heads": len(self.group_kinds),
            "group qualifiers": sum(len(q) for q in self.group_kinds.values()),
            **{f"divisions {level}": sum(1 for d in self.divisions if d.level == level)
               for level in ("province", "prefecture", "county", "district")},
            "central bodies": sum(1 for t in self.terms if t.label == "ORG" and t.kind),
            "local departments": len(self.departments),
        }

    def english(self, label: str, name: str) -> str | None:
        for t in self.terms:
            if t.label == label and t.name == name:
                return t.en
        return None


def _lines(path: Path) -> Iterator[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read lexicon file ({exc.strerror})") from exc
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


def read_list(path: Path) -> tuple[str, ...]:
    return tuple(_lines(path))


def read_table(path: Path) -> list[dict[str, str]]:
    rows = list(csv.reader(_lines(path), delimiter="\t"))
    if not rows:
        return []
    header, body = rows[0], rows[1:]
    out = []
    for n, row in enumerate(body, start=2):
        if len(row) > len(header):
            raise ConfigError(f"{path}: row {n} has {len(row)} columns, header has {len(header)}")
        out.append({h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)})
    return out


def _aliases(value: str) -> tuple[str, ...]:
    return tuple(a for a in value.split("|") if a)


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Read every lexicon file of ``directory`` (default: the shipped ``ontology/lexicon``)."""
    d = directory or ontology_path("lexicon")
    if not d.is_dir():
        raise ConfigError(f"{d}: lexicon folder not found")
    return _load(d)


@lru_cache(maxsize=4)
def _load(d: Path) -> Lexicon:
    terms: list[Term] = []
    for row in read_table(d / "places.tsv"):
        terms.append(Term(row["name"], "PLACE", row["en"] or None, _aliases(row["aliases"]),
                          row["code"] or None, row["kind"] or None))
    divisions = _divisions(d)
    known = {t.name for t in terms}
    for div in divisions:
        if div.level not in ("province", "prefecture") or div.name in known:
            continue  # county-level divisions are matched by kg_lexicon alone, as whole words
        aliases = (div.short,) if div.short and not div.ambiguous else ()
        terms.append(Term(div.name, "PLACE", div.en, aliases, div.code, div.kind))
    if (d / "central_bodies.tsv").is_file():
        for row in read_table(d / "central_bodies.tsv"):
            terms.append(Term(row["name"], "ORG", row["en"] or None, _aliases(row["aliases"]),
                              kind=row["kind"] or "central"))
    for row in read_table(d / "bodies.tsv"):
        terms.append(Term(row["name"], "ORG", row["en"] or None, _aliases(row["aliases"])))
    if (d / "persons.tsv").is_file():  # optional: a lexicon folder made before it existed still loads
        for row in read_table(d / "persons.tsv"):
            terms.append(Term(row["name"], "PERSON", row["en"] or None, _aliases(row["aliases"])))
    terms += [Term(w, "POST") for w in read_list(d / "posts.txt")]
    terms += [Term(w, "GROUP") for w in read_list(d / "groups.txt")]

    def suffixes(name: str) -> dict[str, str]:
        return {r["suffix"]: r["kind"] for r in read_table(d / name)}

    return Lexicon(
        terms=tuple(terms),
        org_suffixes=read_list(d / "org_suffixes.txt"),
        org_levels=read_list(d / "org_levels.txt"),
        org_fields=read_list(d / "org_fields.txt"),
        mechanism_suffixes=suffixes("mechanisms.tsv"),
        programme_suffixes=suffixes("programmes.tsv"),
        policy_suffixes=suffixes("policies.tsv"),
        cues={r["cue"]: r["relation"] for r in read_table(d / "cues.tsv")},
        wikidata={(r["label"], r["name"]): r["qid"] for r in read_table(d / "wikidata.tsv")},
        group_kinds={r["head"]: tuple(sorted(r["qualifiers"].split(), key=len, reverse=True))
                     for r in read_table(d / "group_kinds.tsv")},
        divisions=divisions,
        departments=_departments(d),
    )


def _divisions(d: Path) -> tuple[Division, ...]:
    path = d / "divisions.tsv"
    if not path.is_file():  # optional: a lexicon folder made before it existed still loads
        return ()
    english = {r["name"]: r["en"] for r in read_table(d / "places.tsv") if r["en"]}
    out = []
    for row in read_table(path):
        if row["level"] not in ("province", "prefecture", "county", "district"):
            raise ConfigError(f"{path}: unknown level {row['level']!r} for {row['name']}")
        out.append(Division(row["name"], row["short"], row["level"], row["kind"], row["code"], row["parent"],
                            row["ambiguous"], english.get(row["name"]) or row.get("en") or None))
    return tuple(out)


def _departments(d: Path) -> tuple[Department, ...]:
    path = d / "local_departments.tsv"
    if not path.is_file():
        return ()
    out = []
    for row in read_table(path):
        if row["level"] not in ("province", "city", "both") or row["follows"] not in ("place", "committee"):
            raise ConfigError(f"{path}: bad level or follows for {row['name']}")
        out.append(Department(row["name"], row["level"], _aliases(row["aliases"]), row["en"], row["follows"]))
    return tuple(out)
