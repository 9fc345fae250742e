#!/usr/bin/env python3
"""Writes bigrams.bin: how common each pair of (lowercased) bytes is in
source code and prose, 8 * log2(count + 1) capped at 255, row = first byte.

The prefilter picks each keyword's rarest 4-byte window with it. Counted over
the text files (under 1 MiB, no NUL byte, 24 MiB at most per root) of
whatever code is installed locally; the table shipped in the repository was
made with

    python3 src/engine/prefilter/bigrams.py src/engine/prefilter/bigrams.bin \
        ~/.cargo/registry/src /usr/lib/python3.11 /usr/include /usr/share/perl5

(Rust crates, the Python standard library, C headers, Perl modules: none of
the repositories the benchmarks measure on).
"""
import math
import os
import sys

LIMIT_PER_ROOT = 24 << 20


def main():
    out_path, roots = sys.argv[1], sys.argv[2:]
    counts = [0] * 65536
    for root in roots:
        got = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    if os.path.islink(path) or os.path.getsize(path) > 1 << 20:
                        continue
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                if b"\0" in data[:8000]:
                    continue
                data = data.lower()
                for i in range(len(data) - 1):
                    counts[data[i] << 8 | data[i + 1]] += 1
                got += len(data)
                if got > LIMIT_PER_ROOT:
                    break
            if got > LIMIT_PER_ROOT:
                break
        print(f"{root}: {got} bytes", file=sys.stderr)
    table = bytes(min(255, round(8 * math.log2(c + 1))) for c in counts)
    with open(out_path, "wb") as f:
        f.write(table)


if __name__ == "__main__":
    main()
