"""The zoo detector's output decoding ("grid-v1"), class-wise NMS and COCO mAP, in NumPy.
This is the reference that the harness's C++ decoder must reproduce (datasets/README.md).

Standalone use, to score any recorded outputs (e.g. `harness infer` of the converted model):
    /usr/bin/python3 datasets/detector/grid_decoder.py OUTPUTS.h5 datasets/detector/val.h5
OUTPUTS.h5 holds /outputs [N, 6, 6, 15] (or a first dataset of that size) in NHWC order.

grid-v1: the output is one tensor [1, 6, 6, 15], NHWC, every value a sigmoid in [0, 1].
Cell (gy, gx) = output[0, gy, gx, :] (gy row, gx column, stride 8 px on the 48x48 input):
  c[0]      objectness p
  c[1],c[2] box centre inside the cell: cx = (gx + c[1]) * 8, cy = (gy + c[2]) * 8
  c[3],c[4] box size: w = c[3] * 48, h = c[4] * 48
  c[5+k]    probability of class k (k = 0..9)
Each cell gives one candidate: class k* = argmax_k c[5+k] (lowest k on ties), score
p * c[5+k*], box (cx - w/2, cy - h/2, cx + w/2, cy + h/2) in input pixels, not clipped.
Candidates with score >= 0.05 are kept, then class-wise greedy NMS (score descending, lower
cell index first on ties, cells in row-major order; a candidate is dropped when its IoU with a
kept one of the same class is > 0.5), then at most 10 detections per image, best first.
All arithmetic in float32 except IoU (float64).
"""
import sys

import h5py
import numpy as np

DECODER = "grid-v1"
INPUT_SIZE = 48
STRIDE = 8
GRID = 6
CLASSES = 10
SCORE_THRESHOLD = 0.05
NMS_IOU_THRESHOLD = 0.5
MAX_DETECTIONS = 10
LAYOUT = ("one output [1, 6, 6, 15] NHWC of sigmoids; cell (gy, gx): c0 objectness p, "
          "cx = (gx + c1) * 8, cy = (gy + c2) * 8, w = c3 * 48, h = c4 * 48, c5..c14 class "
          "probabilities; one candidate per cell: class argmax (lowest on ties), score p * max, "
          "box (cx - w/2, cy - h/2, cx + w/2, cy + h/2) unclipped; keep score >= "
          "score_threshold; class-wise greedy NMS dropping IoU > nms_iou_threshold; at most "
          "max_detections per image")


def write_attributes(f):
    f.attrs["decoder"] = DECODER
    f.attrs["decoder_layout"] = LAYOUT
    f.attrs["grid_height"] = np.int32(GRID)
    f.attrs["grid_width"] = np.int32(GRID)
    f.attrs["grid_stride"] = np.int32(STRIDE)
    f.attrs["box_size_scale"] = np.int32(INPUT_SIZE)
    f.attrs["num_classes"] = np.int32(CLASSES)
    f.attrs["score_threshold"] = np.float64(SCORE_THRESHOLD)
    f.attrs["nms_iou_threshold"] = np.float64(NMS_IOU_THRESHOLD)
    f.attrs["max_detections"] = np.int32(MAX_DETECTIONS)


def iou(a, b):
    a = a.astype(np.float64)
    b = b.astype(np.float64)
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    union = (max(0.0, a[2] - a[0]) * max(0.0, a[3] - a[1]) +
             max(0.0, b[2] - b[0]) * max(0.0, b[3] - b[1]) - inter)
    return inter / union if union > 0 else 0.0


def decode(grid):
    """grid: float [6, 6, 15] NHWC. Returns (boxes [D, 4], scores [D], classes [D]) after NMS,
    best first."""
    grid = np.asarray(grid, dtype=np.float32).reshape(GRID * GRID, 5 + CLASSES)
    gy, gx = np.divmod(np.arange(GRID * GRID), GRID)
    cls = np.argmax(grid[:, 5:], axis=1)
    scores = grid[:, 0] * grid[np.arange(GRID * GRID), 5 + cls]
    cx = (gx.astype(np.float32) + grid[:, 1]) * np.float32(STRIDE)
    cy = (gy.astype(np.float32) + grid[:, 2]) * np.float32(STRIDE)
    half_w = grid[:, 3] * np.float32(INPUT_SIZE) / np.float32(2)
    half_h = grid[:, 4] * np.float32(INPUT_SIZE) / np.float32(2)
    boxes = np.stack([cx - half_w, cy - half_h, cx + half_w, cy + half_h], axis=1)
    candidates = [i for i in np.argsort(-scores, kind="stable")
                  if scores[i] >= np.float32(SCORE_THRESHOLD)]
    kept = []
    for i in candidates:
        if all(cls[j] != cls[i] or iou(boxes[i], boxes[j]) <= NMS_IOU_THRESHOLD for j in kept):
            kept.append(i)
    kept = kept[:MAX_DETECTIONS]
    return boxes[kept].astype(np.float32), scores[kept].astype(np.float32), \
        cls[kept].astype(np.int32)


def decode_all(grids):
    return [decode(g) for g in grids]


def average_precision_101(is_tp, num_gt):
    tp = np.cumsum(is_tp)
    precision = tp / np.arange(1, len(is_tp) + 1)
    recall = tp / num_gt
    precision = np.maximum.accumulate(precision[::-1])[::-1] if len(precision) else precision
    total = 0.0
    for r in np.linspace(0.0, 1.0, 101):
        hit = np.searchsorted(recall, r, side="left")
        total += precision[hit] if hit < len(precision) else 0.0
    return total / 101.0


def coco_map(detections, gt_boxes, gt_classes, gt_samples):
    """pycocotools-style bbox mAP (area "all", no crowd, 101 recall points), for the given
    per-image detections. Returns (mAP@0.5, mAP@[.5:.95])."""
    thresholds = np.linspace(0.5, 0.95, 10)
    per_threshold = []
    for t in thresholds:
        aps = []
        for c in sorted(set(gt_classes.tolist())):
            gts = [i for i in range(len(gt_classes)) if gt_classes[i] == c]
            ranked = []
            for n, (boxes, scores, classes) in enumerate(detections):
                for k in range(len(scores)):
                    if classes[k] == c:
                        ranked.append((-float(scores[k]), n, k))
            ranked.sort()
            matched = set()
            is_tp = []
            for _, n, k in ranked:
                best, best_iou = None, min(t, 1 - 1e-10)
                for g in gts:
                    if gt_samples[g] != n or g in matched:
                        continue
                    overlap = iou(detections[n][0][k], gt_boxes[g])
                    if overlap >= best_iou:
                        best, best_iou = g, overlap
                if best is not None:
                    matched.add(best)
                is_tp.append(1 if best is not None else 0)
            aps.append(average_precision_101(np.asarray(is_tp, dtype=np.float64), len(gts)))
        per_threshold.append(np.mean(aps))
    return float(per_threshold[0]), float(np.mean(per_threshold))


def write_detections(path, detections, map50, map_coco):
    with h5py.File(path, "w") as f:
        f.create_dataset("boxes", data=np.concatenate(
            [d[0] for d in detections]).astype(np.float32).reshape(-1, 4))
        f.create_dataset("scores", data=np.concatenate([d[1] for d in detections]))
        f.create_dataset("classes", data=np.concatenate([d[2] for d in detections]))
        f.create_dataset("sample", data=np.concatenate(
            [np.full(len(d[1]), n, dtype=np.int32) for n, d in enumerate(detections)]))
        write_attributes(f)
        f.attrs["map50"] = np.float64(map50)
        f.attrs["map"] = np.float64(map_coco)
        f.attrs["source"] = ("detections decoded by datasets/detector/grid_decoder.py from "
                             "val_torch_outputs.h5, scored against val.h5")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with h5py.File(sys.argv[1], "r") as f:
        name = "outputs" if "outputs" in f else list(f.keys())[0]
        grids = np.asarray(f[name], dtype=np.float32).reshape(-1, GRID, GRID, 5 + CLASSES)
    with h5py.File(sys.argv[2], "r") as f:
        boxes, classes, samples = (np.asarray(f[k]) for k in ("boxes", "box_classes",
                                                               "box_sample"))
    map50, map_coco = coco_map(decode_all(grids), boxes, classes, samples)
    print("mAP@0.5 %.4f  mAP@[.5:.95] %.4f" % (map50, map_coco))


if __name__ == "__main__":
    main()
