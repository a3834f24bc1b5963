"""Files given on the command line are read with a size cap: `/dev/zero` must not fill memory.

| input | cap |
|---|---|
| `spbe index score / plan / whatif` JSON (levels, efforts) | 1 MiB |
| `spbe index import` CSV | 1 MiB |
| `spbe judol check` HTML | 10 MiB |

A full SPBE assessment is about 2 KB of JSON or CSV; the crawler keeps at most 2 MiB of a page.
"""

from __future__ import annotations

import sys
from pathlib import Path

MiB = 1024 * 1024
MAX_DATA_BYTES = 1 * MiB
MAX_HTML_BYTES = 10 * MiB


class InputTooLarge(ValueError):
    """An input file over its cap."""


def read_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of `path` (`-` is stdin), reading at most `limit` + 1 of them.

    InputTooLarge past `limit`; OSError as the file system raised it.
    """
    if str(path) == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputTooLarge(f"{path}: larger than {_size(limit)} (the limit for this input)")
    return data


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n} bytes"
