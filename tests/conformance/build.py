"""Rebuild the conformance suite from a git copy of frictionless-py (its tests and data/ fixtures).

    python tests/conformance/build.py PATH/TO/frictionless-py [--rev COMMIT]

PATH is a checkout or a bare clone; files are read with `git show REV:path`, so no work tree is
needed. REV defaults to the commit recorded in agreement.json, so a rebuild gives the same cases.

Each upstream test that validates a package or resource with the default checks and states the
outcome (`report.valid`, `not report.valid`, `report.flatten([... "type" ...]) == [...]`, an
exception on loading: its reasons' types where the test names them, as a report would list them,
else the exception's own type) becomes one case folder under cases/: a datapackage.json (a resource is
wrapped in a package that has nothing else), the fixture files it reads, and expected.json with
the verdict and error types *as the test states them* and the test's name. The tests are read,
never run: a small evaluator understands the few shapes these tests are written in and names
every test it leaves out and why (`--skipped` lists them).

The script lives beside the suite it builds (not in benchmarks/, which times things, nor in a
scripts/ folder the project does not have) so that whoever reads the test finds its source.
"""

from __future__ import annotations

import argparse
import ast
import copy
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
AGREEMENT = HERE / "agreement.json"
UPSTREAM = "https://github.com/frictionlessdata/frictionless-py"

# The upstream test modules whose subject is validation (their data/ fixtures are read as needed).
MODULES = [
    "frictionless/actions/__spec__/test_validate.py",
    "frictionless/checks/__spec__/test_baseline.py",
    "frictionless/formats/zip/__spec__/test_adapter.py",
    "frictionless/package/__spec__/test_security.py",
    "frictionless/package/__spec__/test_validate.py",
    "frictionless/resource/__spec__/test_validate.py",
    "frictionless/resource/__spec__/test_validate_dialect.py",
    "frictionless/resource/__spec__/test_validate_schema.py",
    "frictionless/table/__spec__/test_fields_match.py",
]
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


class Skip(Exception):
    """This test is not a case: the message says why (shown by --skipped)."""


@dataclass
class Target:
    """What a test validates: a package descriptor, the folder its paths are relative to, its files."""

    kind: str  # "package", "resource" or "archive"
    descriptor: dict | str
    base: str = "."
    descriptor_only: bool = False


@dataclass
class Checklist:
    pick: list | None = None
    skip: list | None = None


@dataclass
class Report:
    target: Target
    partial: str | None = None  # why the stated errors may be only some of them


@dataclass
class Raises:
    target: Target | None = None


@dataclass
class Expect:
    """The outcome a test states for one report."""

    report: Report | Raises
    valid: bool | None = None
    types: list[str] | None = None
    partial: str | None = None
    reasons: list[str] | None = None  # an exception's reasons: the errors a report would list


@dataclass
class Case:
    test: str
    target: Target
    valid: bool
    types: list[str] | None
    partial: str | None


@dataclass
class Frame:
    """The names a test function (or an inlined helper) can see."""

    names: dict = field(default_factory=dict)
    expects: list[Expect] = field(default_factory=list)
    raises: Raises | None = None


class Upstream:
    """Read files of one commit of a git repository (bare or not)."""

    def __init__(self, repo: Path, rev: str):
        self.repo, self.rev = repo, rev

    def git(self, *args: str) -> bytes:
        return subprocess.run(
            ["git", "-C", str(self.repo), *args], check=True, capture_output=True
        ).stdout

    def read(self, path: str) -> bytes:
        try:
            return self.git("show", f"{self.rev}:{path}")
        except subprocess.CalledProcessError:
            raise Skip(f"reads {path}, which is not in the repository") from None

    def exists(self, path: str) -> bool:
        return bool(self.git("ls-tree", "--name-only", self.rev, "--", path).strip())

    def files_under(self, folder: str) -> list[str]:
        out = self.git("ls-tree", "-r", "--name-only", self.rev, "--", folder).decode()
        return [line for line in out.splitlines() if line]


# --- reading a test -------------------------------------------------------------------------------


class Module:
    """One upstream test module: its constants, helpers and test functions."""

    def __init__(self, upstream: Upstream, path: str):
        self.upstream, self.path = upstream, path
        self.tree = ast.parse(upstream.read(path).decode("utf-8"))
        self.functions = {n.name: n for n in self.tree.body if isinstance(n, ast.FunctionDef)}
        self.constants = {
            t.id: n.value
            for n in self.tree.body
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        }

    def cases(self) -> tuple[list[Case], list[tuple[str, str]]]:
        cases, skipped = [], []
        for name, fn in self.functions.items():
            if not name.startswith("test_"):
                continue
            for test_id, args in self._instances(fn):
                try:
                    cases += self._run_test(test_id, fn, args)
                except Skip as e:
                    skipped.append((test_id, str(e)))
        return cases, skipped

    def _instances(self, fn: ast.FunctionDef):
        """(test id, bound arguments) for each instance of a (possibly parametrized) test."""
        base = f"{self.path}::{fn.name}"
        marks = [d for d in fn.decorator_list if isinstance(d, (ast.Attribute, ast.Call))]
        params = None
        for d in marks:
            mark = ast.unparse(d.func if isinstance(d, ast.Call) else d)
            if mark in ("pytest.mark.skip", "pytest.mark.vcr"):
                yield base, Skip(f"marked {mark.removeprefix('pytest.mark.')} upstream")
                return
            if mark == "pytest.mark.parametrize":
                params = d
        if params is None:
            yield base, {}
            return
        names = [n.strip() for n in ast.literal_eval(params.args[0]).split(",")]
        rows = self.value(params.args[1], Frame())
        ids_kw = next((k.value for k in params.keywords if k.arg == "ids"), None)
        for i, row in enumerate(rows):
            row = row if len(names) > 1 else (row,)
            shown = [
                str(v) if isinstance(v, (str, int, float, bool, type(None))) else f"{n}{i}"
                for n, v in zip(names, row)
            ]
            test_id = f"{base}[{row[0] if ids_kw is not None else '-'.join(shown)}]"
            yield test_id, dict(zip(names, row))

    def _run_test(self, test_id: str, fn: ast.FunctionDef, args) -> list[Case]:
        if isinstance(args, Skip):
            raise args
        args = {
            **args,
            **({"recwarn": _Ignored()} if "recwarn" in [a.arg for a in fn.args.args] else {}),
        }
        if any(a.arg not in args for a in fn.args.args):
            raise Skip(f"uses pytest fixtures ({', '.join(a.arg for a in fn.args.args)})")
        frame = Frame(names=dict(args))
        self.block(fn.body, frame)
        expects = [e for e in frame.expects if e.valid is not None or e.types is not None]
        if not expects:
            raise Skip("states no verdict (valid, invalid or error types) for a report")
        out = []
        for i, e in enumerate(expects):
            target = e.report.target
            if target is None:
                raise Skip(
                    "expects an exception from something other than loading a package or resource"
                )
            valid = e.valid
            if valid is None:
                if not e.types and e.partial:
                    continue  # no errors among the types picked says nothing of the others
                valid = not e.types
            suffix = f"#{i + 1}" if len(expects) > 1 else ""
            out.append(Case(test_id + suffix, target, valid, e.reasons or e.types, e.partial))
        if not out:
            raise Skip("narrows the report to some error types and finds none: no verdict")
        return out

    # statements

    def block(self, body: list[ast.stmt], frame: Frame) -> None:
        for stmt in body:
            self.statement(stmt, frame)

    def statement(self, s: ast.stmt, frame: Frame):
        if isinstance(s, ast.Assign) and self.unpacks_flatten(s, frame):
            return
        if isinstance(s, ast.Assign):
            value = self.value(s.value, frame)
            for t in s.targets:
                self.assign(t, value, frame)
        elif isinstance(s, ast.AugAssign):
            current = self.value(s.target, frame)
            if not isinstance(s.op, ast.Add):
                raise Skip(f"line {s.lineno}: unsupported operator")
            self.assign(s.target, current + self.value(s.value, frame), frame)
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                if not isinstance(t, ast.Subscript):
                    raise Skip(f"line {s.lineno}: unsupported del")
                del self.value(t.value, frame)[self.value(t.slice, frame)]
        elif isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant):
                return  # a docstring
            self.value(s.value, frame)
        elif isinstance(s, ast.Assert):
            self.assertion(s.test, frame)
        elif isinstance(s, ast.With):
            self.with_block(s, frame)
        elif isinstance(s, ast.For) and isinstance(s.target, ast.Name):
            items = self.value(s.iter, frame)
            if not isinstance(items, list):
                raise Skip(f"line {s.lineno}: loops over something other than a literal list")
            for item in items:
                frame.names[s.target.id] = item
                self.block(s.body, frame)
        elif isinstance(s, ast.If):
            self.block(s.body if self.value(s.test, frame) else s.orelse, frame)
        elif isinstance(s, ast.Return):
            raise _Return(self.value(s.value, frame) if s.value else None)
        elif isinstance(s, ast.Pass):
            return
        else:
            raise Skip(f"line {s.lineno}: unsupported statement {type(s).__name__}")

    def unpacks_flatten(self, s: ast.Assign, frame: Frame) -> bool:
        """`[[type, note]] = report.flatten(["type", "note"])`: the report has exactly one error."""
        target, call = s.targets[0], s.value
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "flatten"
        ):
            return False
        report = self.report_of(call.func.value, frame)
        one = target.elts[0] if isinstance(target, ast.List) and len(target.elts) == 1 else None
        if report is None or not isinstance(one, (ast.List, ast.Tuple)):
            raise Skip(f"line {s.lineno}: unpacks a report")
        spec = self.value(call.args[0], frame)
        for column, name in zip(spec, one.elts):
            frame.names[name.id] = _Cell(report, column)
        self.expect(report, frame).valid = False
        return True

    def assign(self, target: ast.expr, value, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.names[target.id] = value
        elif isinstance(target, ast.Subscript):
            self.value(target.value, frame)[self.value(target.slice, frame)] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            raise Skip(f"line {target.lineno}: unpacks a report")
        else:
            raise Skip(f"line {target.lineno}: unsupported assignment")

    def with_block(self, s: ast.With, frame: Frame) -> None:
        item = s.items[0]
        call = (
            ast.unparse(item.context_expr.func) if isinstance(item.context_expr, ast.Call) else ""
        )
        if call == "pytest.raises":
            raises = Raises()
            if item.optional_vars is not None:
                frame.names[item.optional_vars.id] = raises
            previous, frame.raises = frame.raises, raises
            try:
                self.block(s.body, frame)
            finally:
                frame.raises = previous
            frame.expects.append(
                Expect(raises, valid=False, partial="the test expects an exception")
            )
            return
        if call == "open":
            path = self.value(item.context_expr.args[0], frame)
            frame.names[item.optional_vars.id] = _File(path)
            self.block(s.body, frame)
            return
        if call == "pytest.warns":
            self.block(s.body, frame)
            return
        if call == "system.use_context":
            raise Skip("changes frictionless's context (trusted paths)")
        raise Skip(
            f"line {s.lineno}: unsupported with-block {call or ast.unparse(item.context_expr)}"
        )

    def assertion(self, test: ast.expr, frame: Frame) -> None:
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        inner = test.operand if negated else test
        if isinstance(inner, ast.Attribute) and inner.attr == "valid":
            report = self.report_of(inner.value, frame)
            if report is not None:
                self.expect(report, frame).valid = not negated
            return
        if (
            not isinstance(inner, ast.Compare)
            or len(inner.ops) != 1
            or not isinstance(inner.ops[0], ast.Eq)
        ):
            return  # an assertion about something else (stats, warnings, notes): not a verdict
        left, right = inner.left, inner.comparators[0]
        if isinstance(left, ast.Attribute) and left.attr == "valid":
            report = self.report_of(left.value, frame)
            if report is not None:
                self.expect(report, frame).valid = bool(self.value(right, frame))
            return
        if (
            isinstance(left, ast.Call)
            and isinstance(left.func, ast.Attribute)
            and left.func.attr == "flatten"
        ):
            report = self.report_of(left.func.value, frame)
            if report is None:
                return
            spec = (
                self.value(left.args[0], frame)
                if left.args
                else ["taskNumber", "rowNumber", "fieldNumber", "type"]
            )
            rows = self.value(right, frame)
            e = self.expect(report, frame)
            if "type" in spec:
                e.types = [row[spec.index("type")] for row in rows]
                e.partial = e.partial or report.partial
            elif rows:
                e.valid = False
            elif report.partial is None:
                e.valid = True
            return
        if isinstance(left, ast.Name) and isinstance(frame.names.get(left.id), _Cell):
            cell = frame.names[left.id]
            if cell.column == "type":
                self.expect(cell.report, frame).types = [self.value(right, frame)]
            return
        if isinstance(left, ast.Attribute) and left.attr == "type":
            holder = self.value(left.value, frame)
            if isinstance(holder, _Error):
                e = self.expect(holder.report, frame)
                if holder.reason:
                    e.reasons = (e.reasons or []) + [self.value(right, frame)]
                else:
                    e.types = (e.types or []) + [self.value(right, frame)]
                e.partial = e.partial or "the test names only some errors"
                e.valid = False

    def report_of(self, node: ast.expr, frame: Frame) -> Report | None:
        if isinstance(node, ast.Attribute) and node.attr == "task":
            node = node.value
        value = self.value(node, frame)
        return value if isinstance(value, Report) else None

    def expect(self, report, frame: Frame) -> Expect:
        for e in frame.expects:
            if e.report is report:
                return e
        e = Expect(report, partial=getattr(report, "partial", None))
        frame.expects.append(e)
        return e

    # expressions

    def value(self, node: ast.expr, frame: Frame):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in frame.names:
                return frame.names[node.id]
            if node.id in self.constants:
                frame.names[node.id] = self.value(self.constants[node.id], Frame())
                return frame.names[node.id]
            if node.id in ("None", "True", "False"):
                return {"None": None, "True": True, "False": False}[node.id]
            raise Skip(f"line {node.lineno}: uses {node.id}")
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.value(e, frame) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Dict):
            if any(k is None for k in node.keys):
                raise Skip(f"line {node.lineno}: dict unpacking")
            return {
                self.value(k, frame): self.value(v, frame) for k, v in zip(node.keys, node.values)
            }
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.value(node.operand, frame)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.value(node.left, frame) + self.value(node.right, frame)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self.value(node.left, frame) % self.value(node.right, frame)
        if isinstance(node, ast.Subscript):
            holder = self.value(node.value, frame)
            key = self.value(node.slice, frame)
            if isinstance(holder, _Errors):
                return _Error(holder.report, reason=holder.reasons)
            return holder[key]
        if (
            isinstance(node, ast.ListComp)
            and len(node.generators) == 1
            and not node.generators[0].ifs
        ):
            gen = node.generators[0]
            out = []
            for item in self.value(gen.iter, frame):
                inner = Frame(names={**frame.names, gen.target.id: item})
                out.append(self.value(node.elt, inner))
            return out
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a, b = self.value(node.left, frame), self.value(node.comparators[0], frame)
            ops = {
                ast.Is: lambda: a is b,
                ast.IsNot: lambda: a is not b,
                ast.Eq: lambda: a == b,
                ast.NotEq: lambda: a != b,
            }
            if type(node.ops[0]) in ops:
                return ops[type(node.ops[0])]()
        if isinstance(node, ast.Attribute):
            return self.attribute(node, frame)
        if isinstance(node, ast.Call):
            return self.call(node, frame)
        raise Skip(f"line {node.lineno}: unsupported expression {type(node).__name__}")

    def attribute(self, node: ast.Attribute, frame: Frame):
        holder = self.value(node.value, frame)
        if isinstance(holder, Raises) and node.attr == "value":
            return _Exception(holder)
        if isinstance(holder, _Exception) and node.attr == "error":
            return _Error(holder.raises)
        if isinstance(holder, _Exception) and node.attr == "reasons":
            return _Errors(holder.raises, reasons=True)
        if isinstance(holder, Report) and node.attr in ("task",):
            return holder
        if isinstance(holder, Report) and node.attr in ("errors",):
            return _Errors(holder)
        raise Skip(f"line {node.lineno}: reads .{node.attr}")

    def call(self, node: ast.Call, frame: Frame):
        name = ast.unparse(node.func)
        args = [self.value(a, frame) for a in node.args]
        kwargs = {k.arg: self.value(k.value, frame) for k in node.keywords if k.arg}
        known = (
            name in _CONSTRUCTORS
            or name in _FUNCTIONS
            or name.startswith("fields.")
            or name in self.functions
        )
        if isinstance(node.func, ast.Attribute) and not known:
            holder_node = node.func.value
            method = node.func.attr
            if method == "validate":
                holder = self.value(holder_node, frame)
                if isinstance(holder, Target):
                    return self.report(holder, args, kwargs, frame)
            if method == "validate_descriptor":
                owner = ast.unparse(holder_node)
                if owner == "Schema":
                    raise Skip("validates a Table Schema on its own, not a package or resource")
                target = self.target(owner, args, {}, frame)
                target.descriptor_only = True
                return self.report(target, [], {}, frame)
            holder = self.value(holder_node, frame)
            if method == "pop" and isinstance(holder, (dict, list)):
                return holder.pop(*args)
            if method == "append" and isinstance(holder, list):
                holder.append(*args)
                return None
            raise Skip(f"line {node.lineno}: calls .{method}()")
        if name in ("validate", "frictionless.validate"):
            source = args[0]
            extra = {k: v for k, v in kwargs.items() if k not in ("type",)}
            if extra:
                raise Skip(f"validate() with {', '.join(extra)}")
            if isinstance(source, Target):
                return self.report(source, [], {}, frame)
            kind = (
                "package"
                if isinstance(source, str) and source.endswith("datapackage.json")
                else "resource"
            )
            if isinstance(source, dict) and "resources" in source:
                kind = "package"
            return self.report(
                self.target("Package" if kind == "package" else "Resource", [source], {}, frame),
                [],
                {},
                frame,
            )
        if name in _CONSTRUCTORS:
            return self.target(name, args, kwargs, frame)
        if name == "deepcopy":
            return copy.deepcopy(args[0])
        if name == "json.load":
            return json.loads(self.upstream.read(args[0].path))
        if name == "pathlib.Path":
            return args[0]
        if name in ("Schema.from_descriptor", "Schema"):
            if args and isinstance(args[0], str):
                return _SchemaPath(args[0])
            return _camel(args[0] if args else kwargs)
        if name in ("Dialect", "Dialect.from_descriptor"):
            return {"dialect": _camel(args[0] if args else kwargs)}
        if name == "formats.CsvControl":
            return {"dialect": _camel(kwargs)}
        if name.startswith("fields.") and name.endswith("Field"):
            kind = name.removeprefix("fields.").removesuffix("Field").lower()
            return {"type": kind, **_camel(kwargs)}
        if name == "Checklist":
            if set(kwargs) - {"pick_errors", "skip_errors"}:
                raise Skip("uses a checklist with its own checks (not the standard's)")
            return Checklist(pick=kwargs.get("pick_errors"), skip=kwargs.get("skip_errors"))
        if name == "Detector":
            if kwargs == {"schema_sync": False}:
                return None  # frictionless's default
            raise Skip(
                f"uses a Detector ({', '.join(kwargs)}), frictionless's own inference options"
            )
        if name in self.functions and not name.startswith("test_"):
            return self.inline(self.functions[name], args, kwargs, frame)
        raise Skip(f"line {node.lineno}: calls {name}()")

    def inline(self, fn: ast.FunctionDef, args, kwargs, frame: Frame):
        params = fn.args.args
        defaults = dict(
            zip([a.arg for a in params[len(params) - len(fn.args.defaults) :]], fn.args.defaults)
        )
        defaults |= {
            a.arg: d for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults) if d is not None
        }
        names = {k: self.value(v, frame) for k, v in defaults.items()}
        names |= dict(zip([a.arg for a in params], args)) | kwargs
        inner = Frame(names=names, expects=frame.expects, raises=frame.raises)
        try:
            self.block(fn.body, inner)
        except _Return as r:
            return r.value
        return None

    def report(self, target: Target, args, kwargs, frame: Frame) -> Report:
        if frame.raises is not None:
            frame.raises.target = target
        checklist = args[0] if args else kwargs.pop("checklist", None)
        extra = set(kwargs) - {"limit_errors", "parallel"}
        if extra:
            raise Skip(f"validates with {', '.join(sorted(extra))}")
        partial = None
        if isinstance(checklist, Checklist):
            partial = f"the test picks or skips error types ({checklist.pick or checklist.skip})"
        if "limit_errors" in kwargs:
            partial = f"the test stops at {kwargs['limit_errors']} errors"
        return Report(target, partial)

    def target(self, name: str, args, kwargs, frame: Frame) -> Target:
        """A package or resource as frictionless would build it from these arguments."""
        kind = "package" if name.startswith("Package") else "resource"
        target = self._target(kind, args, kwargs)
        if frame.raises is not None:
            frame.raises.target = target
        return target

    def _target(self, kind: str, args, kwargs) -> Target:
        source = args[0] if args else None
        base = kwargs.pop("basepath", ".")
        if kind == "package":
            if set(kwargs) - {"resources"}:
                raise Skip(f"Package() with {', '.join(kwargs)}")
            if "resources" in kwargs:
                source = {
                    "resources": [
                        r.descriptor if isinstance(r, Target) else r for r in kwargs["resources"]
                    ]
                }
            if isinstance(source, str):
                if source.endswith(".zip"):
                    return Target("archive", source)
                if not source.endswith(".json"):
                    raise Skip(f"reads a package from {source}")
                return Target(
                    "package",
                    json.loads(self.upstream.read(source)),
                    str(PurePosixPath(source).parent),
                )
            if not isinstance(source, dict):
                raise Skip("builds a package from something other than a descriptor")
            resources = source.get("resources")
            if isinstance(resources, list):
                source["resources"] = [
                    r.descriptor if isinstance(r, Target) else r for r in resources
                ]
            return Target("package", source, base)
        descriptor: dict
        if isinstance(source, dict):
            descriptor = dict(source)
        elif isinstance(source, str) and source.endswith((".yaml", ".yml")):
            raise Skip(f"reads a resource descriptor in YAML ({source})")
        elif (
            isinstance(source, str)
            and source.endswith(".json")
            and _is_descriptor(self.upstream.read(source))
        ):
            descriptor = json.loads(self.upstream.read(source))
            base = str(PurePosixPath(source).parent)
        elif isinstance(source, str):
            descriptor = {"path": source}
        elif isinstance(source, list):
            descriptor = {"data": source}
        elif source is None:
            descriptor = {}
        else:
            raise Skip("builds a resource from something other than a path, data or a descriptor")
        for key, value in kwargs.items():
            if key == "schema":
                value = value.path if isinstance(value, _SchemaPath) else value
            elif key == "dialect":
                value = value.get("dialect", value) if isinstance(value, dict) else value
            elif key == "control":
                key, value = "dialect", value["dialect"]
            elif key == "detector" and value is None:
                continue
            elif key == "data" and not isinstance(value, list):
                raise Skip("gives a resource its data as an open file")
            elif key not in (
                "path",
                "data",
                "encoding",
                "format",
                "hash",
                "bytes",
                "rows",
                "compression",
                "scheme",
                "name",
            ):
                raise Skip(f"builds a resource with {key}")
            descriptor[key] = value
        return Target("resource", descriptor, base)


def _is_descriptor(content: bytes) -> bool:
    """A .json file is a resource descriptor (not JSON data) when it is an object with a path or data."""
    try:
        data = json.loads(content)
    except ValueError:
        return False
    return isinstance(data, dict) and ("path" in data or "data" in data)


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class _Ignored:
    """A pytest fixture whose use says nothing of the verdict (recwarn)."""


@dataclass
class _Cell:
    report: Report
    column: str


@dataclass
class _File:
    path: str


@dataclass
class _SchemaPath:
    path: str


@dataclass
class _Exception:
    raises: Raises


@dataclass
class _Error:
    report: Report | Raises
    reason: bool = False


@dataclass
class _Errors:
    report: Report | Raises
    reasons: bool = False  # an exception's `reasons`, not a report's `errors`


_FUNCTIONS = {
    "validate",
    "frictionless.validate",
    "deepcopy",
    "json.load",
    "pathlib.Path",
    "Schema",
    "Schema.from_descriptor",
    "Dialect",
    "Dialect.from_descriptor",
    "formats.CsvControl",
    "Checklist",
    "Detector",
}
_CONSTRUCTORS = {
    "Package",
    "Package.from_descriptor",
    "Resource",
    "Resource.from_descriptor",
    "TableResource",
    "TableResource.from_descriptor",
}


def _camel(options: dict) -> dict:
    """frictionless's snake_case keyword arguments as the descriptor's camelCase properties."""
    out = {}
    for key, value in options.items():
        head, *rest = key.split("_")
        out[head + "".join(w.title() for w in rest)] = value
    return out


# --- writing a case -------------------------------------------------------------------------------


def write_case(upstream: Upstream, case: Case, folder: Path) -> None:
    target = case.target
    folder.mkdir(parents=True)
    expected = {
        "test": case.test,
        "source": f"{UPSTREAM}/blob/{upstream.rev}/{case.test.split('::')[0]}",
        "valid": case.valid,
        "types": case.types,
        "partial": case.partial,
        # A descriptor check (validate_descriptor) says nothing of the data the descriptor names.
        "scope": "descriptor" if target.descriptor_only else "package",
    }
    if target.kind == "archive":
        name = PurePosixPath(target.descriptor).name
        (folder / name).write_bytes(upstream.read(target.descriptor))
        expected["target"] = name
    else:
        descriptor = copy.deepcopy(target.descriptor)
        if target.kind == "resource":
            _name_resource(descriptor, target.descriptor_only)
            descriptor = {"resources": [descriptor]}
        elif not target.descriptor_only:
            for resource in descriptor.get("resources", []):
                if isinstance(resource, dict):
                    _name_resource(resource, False)
        for path in _local_paths(descriptor):
            _copy(upstream, target.base, path, folder)
        (folder / "datapackage.json").write_text(
            json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    (folder / "expected.json").write_text(
        json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def _name_resource(resource: dict, descriptor_only: bool) -> None:
    """frictionless names an unnamed resource after its file (or 'memory'); a descriptor check does not."""
    if descriptor_only or "name" in resource:
        return
    path = resource.get("path")
    stem = (
        PurePosixPath(path[0] if isinstance(path, list) else path).name.split(".")[0]
        if path
        else "memory"
    )
    resource["name"] = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-") or "memory"


def _local_paths(descriptor: dict) -> list[str]:
    """Every relative path the descriptor reads: resource paths, and schemas or dialects given as paths."""
    out = []
    for resource in descriptor.get("resources", []):
        if not isinstance(resource, dict):
            continue
        paths = resource.get("path")
        out += paths if isinstance(paths, list) else [paths]
        out += [resource.get("schema"), resource.get("dialect")]
    return [
        p
        for p in out
        if isinstance(p, str) and not _REMOTE.match(p) and not PurePosixPath(p).is_absolute()
    ]


def _copy(upstream: Upstream, base: str, path: str, folder: Path) -> None:
    """Copy one fixture file; a path that leaves the folder is copied to where it really resolves."""
    source = PurePosixPath(base) / path
    parts: list[str] = []
    for part in source.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    real = "/".join(parts)
    if not upstream.exists(real):
        return  # a test about a missing file
    dest = folder / PurePosixPath(path)
    if ".." in PurePosixPath(path).parts:
        dest = (
            folder / PurePosixPath(real).relative_to(base)
            if real.startswith(base.rstrip("/") + "/") or base == "."
            else None
        )
        if dest is None:
            return
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(upstream.read(real))


def build(repo: Path, rev: str, out: Path = CASES) -> tuple[list[Case], list[tuple[str, str]]]:
    upstream = Upstream(repo, rev)
    upstream.rev = upstream.git("rev-parse", rev).decode().strip()
    cases, skipped = [], []
    for path in MODULES:
        found, left = Module(upstream, path).cases()
        cases += found
        skipped += left
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for case in cases:
        write_case(upstream, case, out / case_folder(case.test))
    (out / "LICENSE-frictionless-py.md").write_bytes(upstream.read("LICENSE.md"))
    manifest = {
        "upstream": UPSTREAM,
        "commit": upstream.rev,
        "cases": [c.test for c in cases],
        "skipped": dict(skipped),
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return cases, skipped


def case_folder(test: str) -> str:
    """A folder name from an upstream test id: frictionless/resource/__spec__/test_validate.py::test_x → resource.test_validate.test_x."""
    module, name = test.split("::", 1)
    short = (
        module.removeprefix("frictionless/")
        .replace("/__spec__/", ".")
        .removesuffix(".py")
        .replace("/", ".")
    )
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"{short}.{name}").strip("_")


def recorded_commit() -> str | None:
    if AGREEMENT.is_file():
        return json.loads(AGREEMENT.read_text(encoding="utf-8")).get("commit")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a checkout or bare clone of frictionless-py")
    parser.add_argument(
        "--rev", help="the commit to read (default: the one agreement.json records, else HEAD)"
    )
    parser.add_argument("--skipped", action="store_true", help="list the tests left out and why")
    ns = parser.parse_args(argv)
    cases, skipped = build(ns.repo, ns.rev or recorded_commit() or "HEAD")
    print(f"{len(cases)} cases written to {CASES}; {len(skipped)} tests left out")
    if ns.skipped:
        for test, why in skipped:
            print(f"  {test}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
