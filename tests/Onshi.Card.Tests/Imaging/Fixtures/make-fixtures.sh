#!/usr/bin/env bash
# Regenerates the JPEG 2000 test images from synthetic pixels (no photos of anyone).
# Needs python3 and opj_compress (Debian: libopenjp2-tools). The tests recompute the same pixels to compare.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
out = sys.argv[1]
# 64x48 gray gradient: value = (4x + 2y) mod 256
w, h = 64, 48
open(f"{out}/gradient.pgm", "wb").write(b"P5\n%d %d\n255\n" % (w, h) + bytes(((x * 4 + y * 2) & 0xFF) for y in range(h) for x in range(w)))
# 40x30 RGB: red rectangle, blue disc, off-white background
w, h = 40, 30
px = bytearray()
for y in range(h):
    for x in range(w):
        if 5 <= x < 20 and 5 <= y < 15: c = (220, 30, 30)
        elif (x - 28) ** 2 + (y - 20) ** 2 <= 36: c = (30, 60, 200)
        else: c = (245, 245, 240)
        px += bytes(c)
open(f"{out}/shapes.ppm", "wb").write(b"P6\n%d %d\n255\n" % (w, h) + bytes(px))
# 40x30, three planar components, the last two subsampled 2x2 (4:2:0)
c0 = bytes((x * 5) & 0xFF for y in range(30) for x in range(40))
c1 = bytes(100 + x * 3 for y in range(15) for x in range(20))
c2 = bytes(50 + y * 5 for y in range(15) for x in range(20))
open(f"{out}/sub.raw", "wb").write(c0 + c1 + c2)
PY
opj_compress -i "$tmp/gradient.pgm" -o gradient-gray-lossless.j2k >/dev/null
opj_compress -i "$tmp/shapes.ppm" -o shapes-rgb-lossless.jp2 -n 4 >/dev/null
opj_compress -i "$tmp/shapes.ppm" -o shapes-rgb-lossy.jp2 -n 4 -q 36 >/dev/null
opj_compress -i "$tmp/sub.raw" -o subsampled-420-lossless.j2k -F 40,30,3,8,u@1x1:2x2:2x2 -n 3 >/dev/null
