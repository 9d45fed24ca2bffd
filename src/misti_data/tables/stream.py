"""A local CSV file as a stream of chunks of whole rows, read in bounded memory.

The file is read in blocks; its hash and size are taken from the blocks as they pass (for the
descriptor's `hash` and `bytes`), a gz, bz2, xz or zip file is decompressed as it is read, and
the text is cut into chunks of about `CHUNK` bytes at a line end outside quoted cells. The reader
(tables/read.py) reads each chunk as it read a whole file before, with the rows numbered on from
the chunks before it; a small file is one chunk.

A cut is made at a line end before which the file holds an even number of quote characters.
That is a row's end unless a quote stands inside an unquoted cell (`ab"c`, which Python's csv
module reads as text): then a chunk can end inside a quoted cell. The reader finds that (the
chunk's rows break the quoting grammar, or its last quoted cell never closes) and reads the rest
of the file as one chunk from the last row end it trusts, which is what it did with every file
before: the same cells and findings, in more memory, for files that are irregular anyway.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import hashlib
import io
import lzma
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

# Bytes of text per chunk, at most: 64 MiB is 1.6M rows of the benchmark's observations. The
# first chunk is smaller (FIRST), and the next are sized to hold about ROWS rows at the bytes per
# row seen so far, so that a file of one-digit cells is not read 32M rows at a time.
# MISTI_DATA_CHUNK_BYTES overrides the size (the tests read in tiny chunks).
CHUNK = 1 << 26
FIRST = 1 << 22
ROWS = 1_000_000
HEAD = 1 << 20  # what the header is read from, as before
_BLOCK = 1 << 22
_HASHES = {"md5", "sha1", "sha256", "sha512"}


def chunk_bytes() -> int | None:
    """The chunk size the environment sets (MISTI_DATA_CHUNK_BYTES), or None."""
    value = os.environ.get("MISTI_DATA_CHUNK_BYTES")
    return max(1, int(value)) if value and value.isdigit() else None


class DecompressionError(Exception):
    """The file cannot be decompressed as its `compression` says."""


class Raw:
    """The file's bytes in blocks, hashed and counted as they are read."""

    def __init__(self, source: Path | bytes, algo: str | None):
        """`source`: a file's path, or bytes already in memory (a table given inline)."""
        # closed by close(), after draining
        self.file = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
        self.hash = hashlib.new(algo) if algo in _HASHES else None
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        data = self.file.read(n)
        self.size += len(data)
        if self.hash is not None:
            self.hash.update(data)
        return data

    def readinto(self, b) -> int:  # what zipfile and the decompressors need of a file
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        return True

    def drain(self) -> None:
        """Read what is left, so the hash and size are the whole file's."""
        while self.read(_BLOCK):
            pass

    def close(self) -> None:
        self.file.close()


def blocks(raw: Raw, compression: str | None, path: str) -> Iterator[bytes]:
    """The file's (decompressed) bytes in blocks; DecompressionError when it cannot be decompressed."""
    if compression is None:
        while block := raw.read(_BLOCK):
            yield block
        return
    try:
        if compression == "zip":
            stream = _zip_member(raw)
        else:
            opener = {"gz": gzip.GzipFile, "bz2": bz2.BZ2File, "xz": lzma.LZMAFile}[compression]
            stream = (
                opener(fileobj=raw, mode="rb") if compression == "gz" else opener(raw, mode="rb")
            )
        with stream:
            while True:
                block = stream.read(_BLOCK)
                if not block:
                    break
                yield block
    except (
        OSError,
        EOFError,
        ValueError,
        lzma.LZMAError,
        zipfile.BadZipFile,
    ) as e:  # gzip.BadGzipFile is an OSError
        raise DecompressionError(f"{path} cannot be decompressed as {compression}: {e}") from None


def _zip_member(raw: Raw):
    """The archive's first file (as frictionless reads a zipped resource)."""
    data = raw.read()  # a zip's directory is at its end: the archive is read, its member streamed
    import io

    archive = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in archive.namelist() if not n.endswith("/")]
    if not names:
        raise zipfile.BadZipFile("the archive holds no file")
    return archive.open(names[0])


def utf8_blocks(source: Iterator[bytes], encoding: str) -> Iterator[bytes]:
    """Blocks of another encoding as UTF-8 (UnicodeDecodeError, LookupError as the codec raises them)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for block in source:
        text = decoder.decode(block)
        if text:
            yield text.encode("utf-8")
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail.encode("utf-8")


class Chunks:
    """UTF-8 text in chunks that end at a line end outside quoted cells (see the module's docstring)."""

    def __init__(
        self,
        source: Iterator[bytes],
        quote: str | None,
        sep: bytes = b"\n",
        size: int | None = None,
    ):
        self.source = source
        self.quote = quote.encode() if quote else None
        self.sep = sep
        self.fixed = size or chunk_bytes()
        self.size = self.fixed or FIRST
        self.buffer = bytearray()
        self.done = False

    def rows_seen(self, size: int, rows: int) -> None:
        """A chunk of `size` bytes held `rows` rows: size the next ones to about ROWS rows."""
        if not self.fixed and rows:
            self.size = max(FIRST, min(CHUNK, size * ROWS // rows))

    def head(self, n: int = HEAD) -> bytes:
        """The file's first `n` bytes (or all of it), without consuming them."""
        while len(self.buffer) < n and self._fill():
            pass
        return bytes(self.buffer[:n])

    def _fill(self) -> bool:
        if self.done:
            return False
        block = next(self.source, None)
        if block is None:
            self.done = True
            return False
        self.buffer += block
        return True

    def __iter__(self) -> Iterator[tuple[bytes, bool]]:
        """(chunk, whether it is the file's last)."""
        want = self.size
        while True:
            while len(self.buffer) < want and self._fill():
                pass
            cut = self._cut() if not self.done or len(self.buffer) > self.size else None
            if cut is None and not self.done:
                want = 2 * len(self.buffer)  # no row end found yet: read on
                continue
            if cut is None or cut == len(self.buffer) and not self._fill():
                out, self.buffer = bytes(self.buffer), bytearray()
                yield out, True
                return
            out = bytes(self.buffer[:cut])
            del self.buffer[:cut]
            want = self.size
            yield out, False

    def _cut(self) -> int | None:
        """Where to end the chunk: after the last line end with an even number of quotes before it."""
        buf, sep = self.buffer, self.sep
        end = buf.rfind(sep, 0, self.size)
        if end < 0:
            end = buf.find(sep, self.size)  # one row longer than a chunk
        if end < 0:
            return None
        if self.quote is None:
            return end + len(sep)
        odd = buf.count(self.quote, 0, end) % 2
        for _ in range(256):
            if not odd:
                return end + len(sep)
            earlier = buf.rfind(sep, 0, end)
            if earlier < 0:
                return None
            odd ^= buf.count(self.quote, earlier, end) % 2
            end = earlier
        return None

    def rest(self) -> bytes:
        """Everything not yet given out, as one chunk."""
        while self._fill():
            pass
        out, self.buffer = bytes(self.buffer), bytearray()
        return out


class Prefetched:
    """The chunks of `chunks`, read one ahead in a thread: reading the file, hashing, decompressing
    and cutting the next chunk (about a fifth of the time, in Python and the C it calls without the
    GIL) overlap with polars's work on this one. Errors in the thread are raised where the chunk is
    asked for; `rest()` stops the thread and gives everything not yet handed out."""

    def __init__(self, chunks: Chunks):
        import queue
        import threading

        self.chunks = chunks
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.stopping = False
        self.thread = threading.Thread(target=self._run, name="misti-data-chunks", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for item in self.chunks:
                self.queue.put(("chunk", item))
                if self.stopping:
                    return
            self.queue.put(("end", None))
        except BaseException as e:  # noqa: BLE001  (handed to the reader's thread, raised there)
            self.queue.put(("error", e))

    def __iter__(self) -> Iterator[tuple[bytes, bool]]:
        while True:
            kind, item = self.queue.get()
            if kind == "chunk":
                yield item
            elif kind == "error":
                raise item
            else:
                return

    def rest(self) -> bytes:
        import queue

        self.stopping = True
        pending = []
        while True:
            try:
                kind, item = self.queue.get(timeout=0.05)
            except queue.Empty:
                if not self.thread.is_alive() and self.queue.empty():
                    break
                continue
            if kind == "chunk":
                pending.append(item[0])
            elif kind == "error":
                raise item
        self.thread.join()
        return b"".join(pending) + self.chunks.rest()

    def close(self) -> None:
        """Stop the thread (on an error in the reader's thread): it reads on only to hand one chunk out."""
        self.stopping = True
        while self.thread.is_alive():
            try:
                self.queue.get(timeout=0.05)
            except Exception:  # noqa: BLE001, S110  (queue.Empty: the thread is finishing)
                pass
