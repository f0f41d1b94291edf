#!/usr/bin/env python3
"""Draws the synthetic (non-real-person) grayscale face used as the default photo of issued test cards.

Run once at development time; its output synthetic-face.jp2 is committed:
    python3 make-synthetic-face.py && opj_compress -i synthetic-face.pgm -o synthetic-face.jp2 -r 20 && rm synthetic-face.pgm
"""
import math

W, H = 120, 150
img = [[235] * W for _ in range(H)]  # light background

def ellipse(cx, cy, rx, ry, value):
    for y in range(H):
        for x in range(W):
            if ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.0:
                img[y][x] = value

ellipse(60, 150, 55, 35, 90)      # shoulders
ellipse(60, 120, 14, 20, 170)     # neck
ellipse(60, 52, 34, 30, 60)       # hair
ellipse(60, 68, 30, 38, 185)      # face
ellipse(47, 62, 6, 3, 40)         # eyes
ellipse(73, 62, 6, 3, 40)
ellipse(47, 55, 7, 1.5, 70)       # brows
ellipse(73, 55, 7, 1.5, 70)
ellipse(60, 76, 3, 6, 160)        # nose
for x in range(48, 73):           # mouth: a gentle arc
    y = 88 + int(3 * math.sin((x - 48) / 24 * math.pi))
    img[y][x] = 90
    img[y + 1][x] = 110

with open("synthetic-face.pgm", "wb") as f:
    f.write(f"P5\n{W} {H}\n255\n".encode())
    f.write(bytes(v for row in img for v in row))
