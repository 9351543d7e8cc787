#!/usr/bin/python3
# bench/lucene_cfs_sizes.py INDEX/_0.cfe: the size of each file inside a Lucene 8 compound file
# (the entry table of its .cfe), to set scour's index parts against Lucene's (docs/PERFORMANCE.md).
import struct, sys
def vint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1; v |= (c & 0x7f) << s; s += 7
        if c < 0x80: return v, i
def string(b, i):
    n, i = vint(b, i); return b[i:i+n].decode(), i + n
b = open(sys.argv[1], 'rb').read()
assert struct.unpack('>I', b[:4])[0] == 0x3fd76c17
i = 4
_, i = string(b, i); i += 4 + 16; i += 1 + b[i]
n, i = vint(b, i)
tot = 0
for _ in range(n):
    name, i = string(b, i)
    off, ln = struct.unpack('>qq', b[i:i+16]); i += 16
    print(f"{name:12s} {ln:12,d}"); tot += ln
print(f"{'sum':12s} {tot:12,d}")
