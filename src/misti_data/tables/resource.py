"""What a resource's descriptor says about how to read it: local CSV or not, its compression and
format, its fields, and the `hash` and `bytes` its file is checked against."""

from __future__ import annotations

from misti_data.findings import Finding
from misti_data.registry import finding
from misti_data.tables.types import clean_field

_CSV_FORMATS = {None, "csv", "tsv"}
DECOMPRESS = ("gz", "bz2", "xz")


def is_local_csv(res: dict) -> bool:
    path = res.get("path")
    if (
        not isinstance(path, str)
        or "data" in res
        or "://" in path
        or compression_of(res) not in (None, "zip", *DECOMPRESS)
    ):
        return False
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    inner = path.lower().removesuffix(f".{compression_of(res)}")
    return fmt in _CSV_FORMATS and (fmt is not None or inner.endswith((".csv", ".tsv", ".txt")))


def is_inline_csv(res: dict) -> bool:
    """A table given inline as CSV text (Data Resource v1: `data` may be a string, e.g. `"a,b\\n1,2"`)."""
    fmt = res.get("format").lower() if isinstance(res.get("format"), str) else None
    return isinstance(res.get("data"), str) and fmt in _CSV_FORMATS


def compression_of(res: dict) -> str | None:
    """The resource's `compression`, or the one its path's extension names (as frictionless infers it)."""
    if isinstance(res.get("compression"), str):
        return res["compression"].lower() or None
    path = res.get("path").lower() if isinstance(res.get("path"), str) else ""
    return next((c for c in (*DECOMPRESS, "zip") if path.endswith(f".{c}")), None)


def format_of(res: dict) -> str:
    if isinstance(res.get("format"), str):
        return res["format"].lower()
    path = res.get("path") if isinstance(res.get("path"), str) else ""
    return (
        path.lower().removesuffix(f".{compression_of(res)}").rpartition(".")[2]
        if "." in path
        else ""
    )


def fields_of(schema: dict) -> list[dict]:
    fields = schema.get("fields") if isinstance(schema.get("fields"), list) else []
    return [
        clean_field(f) for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)
    ]


def hash_algo(res: dict) -> str | None:
    """The algorithm of the declared `hash` (`algo:hex`, bare = md5); tables/stream.py's Raw takes
    the ones it knows, and hashes nothing for another."""
    declared = res.get("hash")
    if isinstance(declared, str) and declared:
        return declared.rpartition(":")[0].lower() or "md5"
    return None


def integrity(res: dict, digest: str | None, size: int, where: dict) -> list[Finding]:
    """hash-count and byte-count against the descriptor's `hash` (`algo:hex`, bare = md5) and `bytes`;
    `digest` is the file's hash in the declared algorithm, `size` its length."""
    found = []
    declared = res.get("hash")
    if isinstance(declared, str) and declared and digest is not None:
        algo, _, expected = declared.rpartition(":")
        algo = algo.lower() or "md5"
        if digest != expected.lower():
            found.append(
                finding(
                    "hash-count",
                    f"the file's {algo} is {digest[:12]}…, datapackage.json says {expected[:12]}…; run `misti-data stamp` after editing data",
                    **where,
                )
            )
    declared = res.get("bytes")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared != size:
        found.append(
            finding(
                "byte-count",
                f"the file has {size} bytes, datapackage.json says {declared}; run `misti-data stamp` after editing data",
                **where,
            )
        )
    return found
