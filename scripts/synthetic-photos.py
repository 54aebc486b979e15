#!/usr/bin/env python3
"""Writes a seeded set of synthetic stamp photos, for measuring decoders beyond the shared corpus.

The corpus is what tem-scan was tuned on; these are photos it has never seen. Each one is a QR
code drawn from its modules (segno), laid on a cluttered background under a random camera pose
and degraded the way a phone's shot is. Every folder pushes one degradation further than a
shopper's photo usually goes, over a mild random pose; `mixed/` draws every degradation at
once at milder strengths. Each image gets its `.txt` beside it, as the corpus does, so

    python3 scripts/synthetic-photos.py target/synthetic
    python3 scripts/bench-decode.py --corpus target/synthetic [--frame]

scores tem and zxing-cpp on them folder by folder. The same seed writes the same photos.

usage: scripts/synthetic-photos.py OUT_DIR [--seed N] [--per-folder N] [--light-on-dark]
  --light-on-dark  every photo's grey levels inverted: light codes on dark packaging or a
                   phone's screen, each drawn as its dark-on-light photo is
needs: pip install segno pillow numpy
"""

import argparse
import json
import math
import random
import shutil
from pathlib import Path

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFilter, ImageOps

SCENE = (1280, 960)
# A stamp's payloads, from short element strings to long Digital Links: versions 3 to about 22
# across the four error-correction levels, and up to 30 in `dense/`, whose text is padded out.
HOSTS = ["id.tem.vn", "truyxuat.gov.vn", "qr.check.vn", "example.com.vn"]


def payload(rng):
    gtin = "".join(rng.choice("0123456789") for _ in range(14))
    serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(rng.randint(4, 20)))
    kind = rng.random()
    if kind < 0.5:
        text = f"https://{rng.choice(HOSTS)}/01/{gtin}/10/L{rng.randint(1, 99999)}/21/{serial}"
        if rng.random() < 0.5:
            text += f"?17={rng.randint(24, 30)}{rng.randint(1, 12):02}{rng.randint(1, 28):02}"
        return text
    if kind < 0.75:
        return f"(01){gtin}(10)L{rng.randint(1, 99999)}(21){serial}"
    # Long, dense codes: a record's whole summary packed into the stamp.
    words = ["gao", "ca-phe", "nuoc-mam", "mat-ong", "tra", "hat-dieu", "tieu", "thanh-long"]
    tail = "/".join(rng.choice(words) + str(rng.randint(1, 999)) for _ in range(rng.randint(8, 40)))
    return f"https://{rng.choice(HOSTS)}/01/{gtin}/21/{serial}?p={tail}"


def modules(text, rng):
    code = segno.make_qr(text, error=rng.choice("lmqh"), boost_error=False)
    return code, [[bool(v) for v in row] for row in code.matrix]


def code_image(matrix, quiet, ink, paper):
    """The code at one pixel a module, with its quiet zone, as a greyscale image."""
    size = len(matrix) + 2 * quiet
    image = Image.new("L", (size, size), paper)
    pixels = image.load()
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + quiet, y + quiet] = ink
    return image


def background(rng):
    """A lit, cluttered scene: a gradient, blocks of colour, lines of 'text' and sensor grain."""
    w, h = SCENE
    base = np.linspace(rng.uniform(40, 160), rng.uniform(60, 220), w)[None, :] * np.ones((h, 1))
    scene = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).convert("RGB")
    draw = ImageDraw.Draw(scene)
    for _ in range(rng.randint(4, 14)):
        x0, y0 = rng.randint(-200, w), rng.randint(-200, h)
        box = [x0, y0, x0 + rng.randint(40, 500), y0 + rng.randint(40, 400)]
        draw.rectangle(box, fill=tuple(rng.randint(0, 255) for _ in range(3)))
    for _ in range(rng.randint(0, 30)):
        x0, y0 = rng.randint(0, w), rng.randint(0, h)
        draw.line([x0, y0, x0 + rng.randint(20, 300), y0], fill=(rng.randint(0, 80),) * 3, width=rng.randint(2, 8))
    return scene


def homography(src, dst):
    """The 8 coefficients PIL's perspective transform takes, mapping dst points onto src."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, float), np.array(rhs, float)).tolist()


def pose(rng, side, span, turn=None, tilt=None):
    """The code's four corners in the scene: `side` pixels across, turned in the image plane,
    tilted away from the camera about a random axis (a far edge shorter than the near one)."""
    turn = rng.uniform(0, 360) if turn is None else turn
    tilt = rng.uniform(0, 25) if tilt is None else tilt
    axis = rng.uniform(0, 360)
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    out = []
    t = math.radians(tilt)
    a = math.radians(axis)
    for x, y in corners:
        # Turn the square so the tilt axis is along x, tilt it by projecting depth, turn back.
        rx, ry = x * math.cos(a) + y * math.sin(a), -x * math.sin(a) + y * math.cos(a)
        depth = 1 + 0.35 * ry * math.sin(t)
        rx, ry = rx / depth, ry * math.cos(t) / depth
        x2, y2 = rx * math.cos(-a) + ry * math.sin(-a), -rx * math.sin(-a) + ry * math.cos(-a)
        k = math.radians(turn)
        out.append((x2 * math.cos(k) - y2 * math.sin(k), x2 * math.sin(k) + y2 * math.cos(k)))
    w, h = SCENE
    reach = max(max(abs(x), abs(y)) for x, y in out) * side / 2
    cx = rng.uniform(min(w / 2, reach + span), max(w / 2, w - reach - span))
    cy = rng.uniform(min(h / 2, reach + span), max(h / 2, h - reach - span))
    return [(cx + x * side / 2, cy + y * side / 2) for x, y in out]


def place(scene, code, corners, paper_tint):
    """Lays the code (greyscale, one pixel a module) on the scene at the corners given."""
    n = code.size[0]
    big = code.resize((n * 8, n * 8), Image.Resampling.NEAREST)
    coeffs = homography([(0, 0), (n * 8, 0), (n * 8, n * 8), (0, n * 8)], corners)
    warped = big.transform(SCENE, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    mask = Image.new("L", big.size, 255).transform(SCENE, Image.Transform.PERSPECTIVE, coeffs)
    tint = Image.merge("RGB", [warped.point(lambda v, c=c: v * c / 255) for c in paper_tint])
    scene.paste(tint, (0, 0), mask)


def motion_blur(scene, length, angle):
    pixels = np.asarray(scene, dtype=np.float32)
    total = np.zeros_like(pixels)
    steps = max(1, int(length))
    for k in range(steps):
        dx = int(round((k - steps / 2) * math.cos(angle)))
        dy = int(round((k - steps / 2) * math.sin(angle)))
        total += np.roll(pixels, (dy, dx), axis=(0, 1))
    return Image.fromarray(np.clip(total / steps, 0, 255).astype(np.uint8))


def lighting(scene, rng, low, high):
    """Uneven light across the scene: a ramp from `low` to `high` times the light, at a random angle."""
    w, h = SCENE
    a = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:h, 0:w]
    ramp = ((xs - w / 2) * math.cos(a) + (ys - h / 2) * math.sin(a)) / (w / 2)
    gain = low + (high - low) * (np.clip(ramp, -1, 1) + 1) / 2
    pixels = np.asarray(scene, dtype=np.float32) * gain[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def glare(scene, rng, corners, strength):
    w, h = SCENE
    cx = sum(x for x, _ in corners) / 4 + rng.uniform(-60, 60)
    cy = sum(y for _, y in corners) / 4 + rng.uniform(-60, 60)
    radius = rng.uniform(30, 110)
    ys, xs = np.mgrid[0:h, 0:w]
    spot = strength * np.exp(-((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * radius**2))
    pixels = np.asarray(scene, dtype=np.float32)
    pixels = pixels + (255 - pixels) * spot[..., None]
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def grain(scene, rng, sigma):
    noise = np.random.default_rng(rng.randint(0, 2**32 - 1)).normal(0, sigma, (SCENE[1], SCENE[0], 1))
    pixels = np.asarray(scene, dtype=np.float32) + noise
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


# Each folder: the range it draws its own degradation from; every other setting gets its mild
# draw (see `photo`).
FOLDERS = {
    "plain": {},
    "dense": {"dense": True},
    "small": {"fill": (0.08, 0.16)},
    "filling": {"fill": (0.8, 0.95)},
    "tilted": {"tilt": (35, 55)},
    "blurred": {"blur": (1.5, 3.0)},
    "shaken": {"motion": (5, 12)},
    "dim": {"contrast": (0.12, 0.25), "light": (0.25, 0.45)},
    "bright": {"contrast": (0.3, 0.5), "washout": (0.2, 0.4)},
    "uneven": {"uneven": (0.3, 1.6)},
    "glare": {"glare": (0.6, 0.95)},
    "grainy": {"grain": (14, 26)},
    "jpeg": {"jpeg": (8, 20)},
    "mixed": {"mixed": True},
}


def photo(rng, push):
    """(text, scene, jpeg quality, what was drawn) of one photo for a folder's `push`."""
    mixed = push.get("mixed", False)
    drawn = {}

    def draw(key, mild, off=None):
        """The folder's own push, or else a mild draw; a degradation with an `off` value is
        left off half the time outside `mixed/`."""
        if key in push:
            value = rng.uniform(*push[key])
        elif off is not None and not mixed and rng.random() < 0.5:
            value = off
        else:
            value = rng.uniform(*mild)
        drawn[key] = round(value, 2)
        return value

    text = payload(rng)
    if push.get("dense"):
        text += "&d=" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(150, 500)))
    code, matrix = modules(text, rng)
    contrast = draw("contrast", (0.5, 1.0), off=1.0)
    paper = rng.randint(200, 255)
    ink = int(paper - contrast * rng.uniform(160, paper))
    quiet = rng.choice([1, 2, 4, 4, 4])
    drawn.update(version=code.version, error=code.error, quiet=quiet)
    square = code_image(matrix, quiet, max(0, ink), paper)

    fill = draw("fill", (0.25, 0.6))
    side = fill * min(SCENE) * rng.uniform(0.9, 1.1)
    corners = pose(rng, side, 20, tilt=draw("tilt", (0, 25)))
    scene = background(rng)
    place(scene, square, corners, [rng.uniform(0.85, 1.0) * 255 for _ in range(3)])

    light = draw("light", (0.8, 1.2), off=1.0)
    uneven = draw("uneven", (0.0, 0.4), off=0.0)
    scene = lighting(scene, rng, light * (1 - uneven / 2), light * (1 + uneven / 2))
    if (washout := draw("washout", (0.6, 0.9), off=1.0)) < 1:
        # Overexposure: everything pushed towards white, the darks most, nothing clipped flat.
        scene = scene.point(lambda v: 255 - (255 - v) * washout)
    if (g := draw("glare", (0.3, 0.6), off=0.0)) > 0:
        scene = glare(scene, rng, corners, g)
    if (blur := draw("blur", (0.4, 1.2), off=0.0)) > 0:
        scene = scene.filter(ImageFilter.GaussianBlur(blur))
    if (length := draw("motion", (2, 4), off=0.0)) > 1:
        scene = motion_blur(scene, length, rng.uniform(0, math.pi))
    scene = grain(scene, rng, draw("grain", (2, 8), off=1.5))
    quality = draw("jpeg", (55, 90), off=85)
    return text, scene, quality, drawn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-folder", type=int, default=30)
    parser.add_argument("--light-on-dark", action="store_true")
    args = parser.parse_args()
    if args.out.exists():
        shutil.rmtree(args.out)
    for name, push in FOLDERS.items():
        folder = args.out / name
        folder.mkdir(parents=True)
        rng = random.Random(f"{args.seed}/{name}")
        drawn = {}
        for i in range(args.per_folder):
            text, scene, quality, drawn[f"{i:03}.jpg"] = photo(rng, push)
            if args.light_on_dark:
                scene = ImageOps.invert(scene)
            scene.save(folder / f"{i:03}.jpg", quality=int(quality))
            (folder / f"{i:03}.txt").write_text(text)
        # What each photo was drawn with, to tell what the misses have in common.
        (folder / "drawn.json").write_text(json.dumps(drawn, indent=0))
    print(f"wrote {len(FOLDERS) * args.per_folder} photos under {args.out}")


if __name__ == "__main__":
    main()
