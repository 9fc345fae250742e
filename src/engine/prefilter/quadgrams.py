#!/usr/bin/env python3
"""Writes quadgrams.bin: the most common (lowercased) 4-byte strings of
source code and prose, with how common each is.

The byte-pair model of bigrams.bin ranks most windows well, but it cannot
see that `from`, `oken` or `ault` are whole common words: the prefilter
looks these windows up here first. Entries are sorted by their 4 bytes and
take 5 bytes each: the 4 bytes, then 8 * log2(count + 1) capped at 255.
Counted over the same text as bigrams.bin:

    python3 src/engine/prefilter/quadgrams.py src/engine/prefilter/quadgrams.bin \
        ~/.cargo/registry/src /usr/lib/python3.11 /usr/include /usr/share/perl5
"""
import collections
import math
import os
import sys

LIMIT_PER_ROOT = 24 << 20
KEEP = 16384


def main():
    out_path, roots = sys.argv[1], sys.argv[2:]
    counts = collections.Counter()
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
                counts.update(data[i : i + 4] for i in range(len(data) - 3))
                got += len(data)
                if got > LIMIT_PER_ROOT:
                    break
            if got > LIMIT_PER_ROOT:
                break
        print(f"{root}: {got} bytes", file=sys.stderr)
    top = sorted(counts.most_common(KEEP))
    with open(out_path, "wb") as f:
        for gram, count in top:
            f.write(gram + bytes([min(255, round(8 * math.log2(count + 1)))]))


if __name__ == "__main__":
    main()
