#!/usr/bin/env python3
"""Decode-rate benchmark for `tem decode` on the shared QR corpus, zxing-cpp side by side.

Scoring rule (corpus/README.md): an image counts as read when at least one decoded payload
equals its `.txt` exactly, compared as bytes. A payload is compared both as its text (UTF-8)
and as its raw bytes, since the expected files hold either, depending on the code's charset.

usage: scripts/bench-decode.py [--tem PATH] [--corpus DIR] [--record] [--no-zxing] [--frame] [-v]
  --frame    each image fitted into the camera frame (tem_scan::CAMERA_FRAME, 640x480), read
             by the camera pass the widget gives each frame (tem decode --frame); zxing-cpp
             gets the same fitted frame, at the size tem reports
  --record   write the per-folder counts of both modes (photo and frame) to
             crates/tem-scan/ratchet.txt, the floors `cargo test -p tem-cli` holds them to
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}


def corpus_images(corpus):
    """(folder, image, expected bytes) for every image that has its `.txt`."""
    for image in sorted(corpus.rglob("*")):
        if image.suffix.lower() in IMAGE_SUFFIXES and image.with_suffix(".txt").exists():
            folder = str(image.parent.relative_to(corpus))
            yield folder, image, image.with_suffix(".txt").read_bytes()


def run_tem(tem, images, frame=False):
    """{path: (read payloads as a list of bytes, ms or None, [width, height] read or None)}
    from one `tem decode` process."""
    out = subprocess.run(
        [tem, "decode", *(["--frame"] if frame else []), *map(str, images)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    results = {}
    for line in out.splitlines():
        answer = json.loads(line)
        if "error" in answer:
            print(f"  error: {answer['file']}: {answer['error']}", file=sys.stderr)
            results[answer["file"]] = ([], None, None)
            continue
        payloads = []
        for code in answer["codes"]:
            payloads.append(code["text"].encode("utf-8"))
            payloads.append(base64.b64decode(code["bytes_b64"]))
        results[answer["file"]] = (payloads, answer["ms"], answer["size"])
    return results


def run_zxing(images, sizes):
    """As run_tem, for zxing-cpp; `sizes` ({path: [width, height]}), when given, are the
    camera frames tem fitted each image into (tem_scan::CAMERA_FRAME), which zxing-cpp
    gets too."""
    try:
        import zxingcpp
        from PIL import Image
    except ImportError:
        return None
    results = {}
    for image in images:
        pixels = Image.open(image)
        pixels.load()
        size = sizes and sizes.get(str(image))
        if size:
            pixels = pixels.convert("L").resize(tuple(size), Image.Resampling.BILINEAR)
        start = time.perf_counter()
        codes = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
        ms = (time.perf_counter() - start) * 1000
        payloads = []
        for code in codes:
            payloads.append(code.text.encode("utf-8"))
            payloads.append(bytes(code.bytes))
        results[str(image)] = (payloads, ms, None)
    return results


def score(entries, results):
    """Per folder and overall: (read, total, [ms])."""
    table = {}
    for folder, image, expected in entries:
        payloads, ms, _ = results[str(image)]
        for key in (folder, "overall"):
            row = table.setdefault(key, [0, 0, []])
            row[0] += expected in payloads
            row[1] += 1
            if ms is not None:
                row[2].append(ms)
    return table


def p95(values):
    return sorted(values)[min(len(values) - 1, int(0.95 * len(values)))] if values else 0.0


def fmt(row):
    read, total, times = row
    median = statistics.median(times) if times else 0.0
    return f"{100 * read / total:5.1f}% {read:3}/{total:<3} med {median:6.1f} ms p95 {p95(times):7.1f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tem", default=str(ROOT / "target/release/tem"))
    shared = Path(os.environ.get("TEM_SHARED") or ROOT.parent / "shared")
    parser.add_argument("--corpus", default=str(shared / "corpus/qr"))
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--no-zxing", action="store_true")
    parser.add_argument("--frame", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the images missed")
    args = parser.parse_args()

    corpus = Path(args.corpus)
    entries = list(corpus_images(corpus))
    if not entries:
        sys.exit(f"no images with expected .txt under {corpus}")
    images = [image for _, image, _ in entries]
    read = run_tem(args.tem, images, args.frame)
    ours = score(entries, read)
    sizes = {path: size for path, (_, _, size) in read.items()} if args.frame else None
    theirs = None if args.no_zxing else run_zxing(images, sizes)
    if theirs is not None:
        theirs = score(entries, theirs)
    elif not args.no_zxing:
        print("zxing-cpp not installed (pip install zxing-cpp pillow): no comparison")

    header = f"{'folder':22} {'tem-scan':46}"
    print(header + (" zxing-cpp" if theirs else ""))
    for key in sorted(ours, key=lambda k: (k == "overall", k)):
        line = f"{key:22} {fmt(ours[key]):46}"
        print(line + (f" {fmt(theirs[key])}" if theirs else ""))

    if args.verbose:
        results = run_tem(args.tem, images, args.frame)
        for _, image, expected in entries:
            if expected not in results[str(image)][0]:
                print(f"missed {image.relative_to(corpus)}")

    if args.record:
        # Both modes, whichever was shown: the floors are recorded together.
        other = score(entries, run_tem(args.tem, images, not args.frame))
        photo, frame = (other, ours) if args.frame else (ours, other)
        rows = []
        for label, table in (("photo", photo), ("frame", frame)):
            for key in sorted(table, key=lambda k: (k == "overall", k)):
                read, total, _ = table[key]
                rows.append(f"{label} {key} {read} of {total}\n")
        ratchet = ROOT / "crates/tem-scan/ratchet.txt"
        ratchet.write_text(
            "# Images of ../shared/corpus/qr read by tem-scan, per folder and overall, written by\n"
            "# scripts/bench-decode.py --record. `photo`: every pass on the image as it is (tem\n"
            "# decode); `frame`: the camera pass (Effort::CAMERA) on the image fitted into 640x480\n"
            "# (tem decode --frame). The tests in crates/tem-cli/src/decode.rs fail when any count\n"
            "# drops below its floor.\n" + "".join(rows)
        )
        print(f"recorded {len(rows)} floors in {ratchet.relative_to(ROOT)}")

if __name__ == "__main__":
    main()
