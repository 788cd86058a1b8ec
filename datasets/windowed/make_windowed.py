"""Trains the zoo's windowed 1-D model: an autoencoder over log-mel frames of real recorded
music (a music-on-hold line, normal) that flags a voice on it as anomalous, and writes its ONNX model and HDF5 sets. Rerun (Debian
packages python3-torch python3-numpy python3-h5py python3-onnx, and the audio from Debian's
asterisk-core-sounds-en-wav 1.6.1-1 and asterisk-moh-opsound-wav 2.03-1.1; nothing else):

    apt-get install -y asterisk-core-sounds-en-wav asterisk-moh-opsound-wav
    /usr/bin/python3 datasets/windowed/make_windowed.py

Audio: 8 kHz 16-bit mono WAV. Normal = the five real music-on-hold recordings in
/usr/share/asterisk/moh/*.wav (18 minutes; each cut into clips, clip c of a track with
c % 5 == 0 is validation, c % 5 == 1 calibration, the rest training). Anomalous (validation
only, never trained on) = real speech: the 568 English voice prompts (one speaker,
/usr/share/asterisk/sounds/en_US_f_Allison/**.wav, sorted by path).

Features: frames of 256 samples (Hann window) every 128 samples, power spectrum, 16 triangular
mel bands 60..3800 Hz, log10, normalized with the training music's mean and standard
deviation, stored as uint8 q = round((x + 8) * 16) clipped to 0..255 (so x = q / 16 - 8:
attributes scale 0.0625, offset -8). A sample is a clip of 64 frames (about 1.04 s);
/inputs is uint8 [N, 64, 16]. The model sees windows of 8 frames every 4 frames (15 per
clip), each flattened frame-major to [1, 128], and reconstructs it; a clip's anomaly score is
the mean over its windows of the mean squared reconstruction error (DESIGN.md), metric ROC AUC.

Writes, next to this script:
  windowed.onnx          opset 13, input "input" [1, 128], output "reconstruction" [1, 128]
  calib.h5               100 music clips (normal only)
  val.h5                 150 music clips (label 0) + 50 speech clips (label 1)
  val_torch_outputs.h5   /outputs float32 [20, 15, 128]: each window's reconstruction for
                         the val samples listed in /output_samples (0..9, 150..159);
                         /scores float64 [200] for every sample; attribute auc
"""
import glob
import os
import wave

import h5py
import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
SPEECH_GLOB = "/usr/share/asterisk/sounds/en_US_f_Allison/**/*.wav"
MUSIC_GLOB = "/usr/share/asterisk/moh/*.wav"
SEED = 20240515
RATE = 8000
FRAME, HOP, MELS = 256, 128, 16
CLIP_FRAMES = 64
WINDOW, WINDOW_STRIDE = 8, 4
SILENCE_DBFS = -45.0  # clips quieter than this (RMS) are silence, not speech or music
EPOCHS = 40
BATCH = 128


def read_wav(path):
    with wave.open(path) as w:
        if (w.getframerate(), w.getsampwidth(), w.getnchannels()) != (RATE, 2, 1):
            raise SystemExit("%s: expected 8 kHz 16-bit mono" % path)
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768


def mel_filterbank():
    def mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(60.0), mel(3800.0), MELS + 2))
    freqs = np.arange(FRAME // 2 + 1) * RATE / FRAME
    bank = np.zeros((MELS, freqs.size))
    for b in range(MELS):
        lo, mid, hi = edges[b:b + 3]
        bank[b] = np.clip(np.minimum((freqs - lo) / (mid - lo), (hi - freqs) / (hi - mid)), 0, None)
    return bank


def clips_of(signal, bank):
    """Log-mel clips [K, 64, 16] (not normalized) of consecutive, non-overlapping stretches."""
    clip_samples = (CLIP_FRAMES - 1) * HOP + FRAME
    window = np.hanning(FRAME)
    clips = []
    for start in range(0, signal.size - clip_samples + 1, CLIP_FRAMES * HOP):
        piece = signal[start:start + clip_samples]
        if 20 * np.log10(np.sqrt(np.mean(piece ** 2)) + 1e-12) < SILENCE_DBFS:
            continue
        frames = np.stack([piece[i * HOP:i * HOP + FRAME] * window for i in range(CLIP_FRAMES)])
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        clips.append(np.log10(power @ bank.T + 1e-10))
    return clips


def quantize(features, mean, std):
    x = (features - mean) / std
    return np.clip(np.rint((x + 8.0) * 16.0), 0, 255).astype(np.uint8)


def windows_of(stored):
    """uint8 clips [N, 64, 16] -> float32 windows [N, 15, 128] as the harness builds them."""
    x = stored.astype(np.float32) * np.float32(0.0625) + np.float32(-8.0)
    starts = range(0, CLIP_FRAMES - WINDOW + 1, WINDOW_STRIDE)
    return np.stack([x[:, s:s + WINDOW].reshape(len(x), -1) for s in starts], axis=1)


class WindowAutoencoder(nn.Module):
    """Dense autoencoder 128 -> 32 -> 8 -> 32 -> 128, about 8.7k MACs per window."""

    def __init__(self):
        super().__init__()
        dim = WINDOW * MELS
        self.net = nn.Sequential(nn.Linear(dim, 32), nn.ReLU(), nn.Linear(32, 8), nn.ReLU(),
                                 nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, dim))

    def forward(self, x):
        return self.net(x)


def roc_auc(scores, labels):
    """Probability that an anomalous clip scores above a normal one (ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (pos.size * neg.size))


def write_set(path, stored, labels, which):
    with h5py.File(path, "w") as f:
        f.create_dataset("inputs", data=stored)
        f.create_dataset("labels", data=labels.astype(np.int32))
        f.attrs["task"] = "anomaly"
        f.attrs["scale"] = np.float64(0.0625)
        f.attrs["offset"] = np.float64(-8.0)
        f.attrs["window_length"] = np.int32(WINDOW)
        f.attrs["window_stride"] = np.int32(WINDOW_STRIDE)
        f.attrs["class_names"] = ["normal", "anomalous"]
        f.attrs["source"] = ("log-mel clips (64 frames x 16 bands, 8 kHz, 256/128) of Debian "
                             "asterisk-moh-opsound-wav 2.03-1.1 (music, normal) and "
                             "asterisk-core-sounds-en-wav 1.6.1-1 (speech, anomalous); %s; made by "
                             "datasets/windowed/make_windowed.py" % which)


def main():
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(SEED)
    rng = np.random.RandomState(SEED)
    bank = mel_filterbank()

    speech_files = sorted(glob.glob(SPEECH_GLOB, recursive=True))
    music_files = sorted(glob.glob(MUSIC_GLOB))
    if len(speech_files) != 568 or len(music_files) != 5:
        raise SystemExit("expected 568 speech and 5 music files; install the Debian packages")
    split = {0: [], 1: [], 2: []}  # 0 validation, 1 calibration, 2 training
    for path in music_files:
        for c, clip in enumerate(clips_of(read_wav(path), bank)):
            split[min(c % 5, 2)].append(clip)
    speech = [c for path in speech_files for c in clips_of(read_wav(path), bank)]
    train = np.stack(split[2])
    mean, std = train.mean(), train.std()
    print("clips: train %d, calib %d, val music %d, speech %d" % (
        len(train), len(split[1]), len(split[0]), len(speech)))

    def pick(clips, count):
        order = np.sort(rng.choice(len(clips), size=count, replace=False))
        return np.stack([clips[i] for i in order])

    calib = quantize(pick(split[1], 100), mean, std)
    val = np.concatenate([quantize(pick(split[0], 150), mean, std),
                          quantize(pick(speech, 50), mean, std)])
    val_labels = np.concatenate([np.zeros(150), np.ones(50)]).astype(np.int32)

    # Training windows: every frame offset (stride 1), so the model sees all alignments.
    train_x = quantize(train, mean, std).astype(np.float32) * np.float32(0.0625) - np.float32(8)
    train_windows = torch.from_numpy(np.concatenate(
        [train_x[:, s:s + WINDOW].reshape(len(train_x), -1)
         for s in range(CLIP_FRAMES - WINDOW + 1)]))
    model = WindowAutoencoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    val_windows = torch.from_numpy(windows_of(val))
    for epoch in range(EPOCHS):
        order = torch.randperm(len(train_windows), generator=generator)
        for start in range(0, len(order), BATCH):
            batch = train_windows[order[start:start + BATCH]]
            loss = nn.functional.mse_loss(model(batch), batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        if epoch % 10 == 9:
            with torch.no_grad():
                errors = ((model(val_windows) - val_windows) ** 2).mean(dim=2).mean(dim=1)
            print("epoch %d loss %.4f val AUC %.4f" % (
                epoch + 1, loss.item(), roc_auc(errors.numpy(), val_labels)))

    with torch.no_grad():
        outputs = torch.stack([torch.cat([model(w[None]) for w in clip]) for clip in val_windows])
    scores = ((outputs.double() - val_windows.double()) ** 2).mean(dim=2).mean(dim=1).numpy()
    auc = roc_auc(scores, val_labels)
    print("final val AUC %.4f" % auc)
    torch.onnx.export(model, torch.zeros(1, WINDOW * MELS), os.path.join(HERE, "windowed.onnx"),
                      input_names=["input"], output_names=["reconstruction"], opset_version=13)
    write_set(os.path.join(HERE, "calib.h5"), calib, np.zeros(100, dtype=np.int32),
              "calibration: 100 music clips c % 5 == 1")
    write_set(os.path.join(HERE, "val.h5"), val, val_labels,
              "validation: 150 music clips c % 5 == 0, then 50 speech clips")
    with h5py.File(os.path.join(HERE, "val_torch_outputs.h5"), "w") as f:
        # Reconstructions of 20 clips only (10 music, 10 speech) keep the file small; the
        # scores cover every clip.
        keep = np.r_[0:10, 150:160].astype(np.int32)
        f.create_dataset("outputs", data=outputs.numpy()[keep].astype(np.float32))
        f.create_dataset("output_samples", data=keep)
        f.create_dataset("scores", data=scores)
        f.attrs["auc"] = np.float64(auc)
        f.attrs["source"] = ("PyTorch %s float32 reconstructions of every window of val.h5, "
                             "one window at a time; scores: mean over windows of the mean "
                             "squared error" % torch.__version__)


if __name__ == "__main__":
    main()
