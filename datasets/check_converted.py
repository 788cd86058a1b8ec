"""Checks the zoo's converted .tflite models against the PyTorch outputs recorded when they
were made: runs `harness infer` on each validation set and compares. Run from the repository
root after building the CLI (Debian python3-numpy and python3-h5py):

    /usr/bin/python3 datasets/check_converted.py build/release/bin/harness

Prints, per model, the largest absolute difference and that difference relative to the
largest recorded magnitude, and the task figure of the harness's outputs (accuracy, mAP@0.5
with detector/grid_decoder.py, ROC AUC). Exits 1 if a relative difference exceeds 1e-4.
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "detector"))
import grid_decoder  # noqa: E402

TOLERANCE = 1e-4


def infer(harness, model, data, out):
    subprocess.run([harness, "infer", model, "--data", data, "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(out, "r") as f:
        return np.asarray(f["outputs"], dtype=np.float64)


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    harness = sys.argv[1]
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("digits", "detector", "windowed"):
            folder = os.path.join(HERE, name)
            ours = infer(harness, os.path.join(folder, name + ".tflite"),
                         os.path.join(folder, "val.h5"), os.path.join(tmp, name + ".h5"))
            with h5py.File(os.path.join(folder, "val_torch_outputs.h5"), "r") as f:
                torch_out = np.asarray(f["outputs"], dtype=np.float64)
                kept = np.asarray(f["output_samples"]) if "output_samples" in f else None
            with h5py.File(os.path.join(folder, "val.h5"), "r") as f:
                labels = np.asarray(f["labels"]) if "labels" in f else None
                truth = [np.asarray(f[k]) for k in ("boxes", "box_classes", "box_sample")] \
                    if "boxes" in f else None
                inputs = np.asarray(f["inputs"])
            if kept is not None:  # windowed: [N * windows, 128] or [N, windows, 128]
                ours = ours.reshape(len(inputs), -1, torch_out.shape[-1])
                scores = (((ours - windows(inputs)) ** 2).mean(axis=2)).mean(axis=1)
                figure = "ROC AUC %.4f" % roc_auc(scores, labels)
                ours = ours[kept]
            elif truth is not None:
                ours = ours.reshape(torch_out.shape)
                figure = "mAP@0.5 %.4f" % grid_decoder.coco_map(
                    grid_decoder.decode_all(ours.astype(np.float32)), *truth)[0]
            else:
                ours = ours.reshape(torch_out.shape)
                figure = "accuracy %.4f" % (ours.argmax(axis=1) == labels).mean()
            diff = np.abs(ours - torch_out).max()
            relative = diff / np.abs(torch_out).max()
            worst = max(worst, relative)
            print("%-9s max |harness - torch| %.3g (relative %.3g), %s" % (
                name, diff, relative, figure))
    return 0 if worst <= TOLERANCE else 1


def windows(stored, length=8, stride=4):
    """Every window of each clip, flattened, as the harness feeds windowed.tflite."""
    x = stored.astype(np.float32) * np.float32(0.0625) + np.float32(-8.0)
    starts = range(0, x.shape[1] - length + 1, stride)
    return np.stack([x[:, s:s + length].reshape(len(x), -1) for s in starts],
                    axis=1).astype(np.float64)


def roc_auc(scores, labels):
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (pos.size * neg.size))


if __name__ == "__main__":
    sys.exit(main())
