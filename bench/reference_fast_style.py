#!/usr/bin/python3
"""Fast style at 512x512: plain PyTorch (python3-torch, float32, NCHW, eager) against neuraltransfer's
CPU path, measured in the same run, alternating, on the same cores.

The reference is pytorch/examples' fast_neural_style TransformerNet as its own code defines it
(reflection padding, Conv2d, InstanceNorm2d(affine=True), ReLU, nearest-upsampling convs), with
random weights: the time does not depend on them. neuraltransfer's side is nt_bench's
BM_FastStyle row for the path asked (default the fused bf16 path, the CLI's and the viewer's
choice on CPUs with native bf16). Prints both medians and their ratio (issue 13's goal: at most
0.2), and the floor nt_bench reports (the network's conv work at the measured conv rate).

Usage: bench/reference_fast_style.py [--bench build/bin/nt_bench] [--path cpu_fused_bf16] [--rounds 3]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn


class ConvLayer(nn.Module):
    def __init__(self, cin, cout, kernel, stride):
        super().__init__()
        self.reflection_pad = nn.ReflectionPad2d(kernel // 2)
        self.conv2d = nn.Conv2d(cin, cout, kernel, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, 3, 1)
        self.in1 = nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, 3, 1)
        self.in2 = nn.InstanceNorm2d(channels, affine=True)
        self.relu = nn.ReLU()

    def forward(self, x):
        out = self.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class UpsampleConvLayer(nn.Module):
    def __init__(self, cin, cout, kernel, stride, upsample):
        super().__init__()
        self.upsample = upsample
        self.reflection_pad = nn.ReflectionPad2d(kernel // 2)
        self.conv2d = nn.Conv2d(cin, cout, kernel, stride)

    def forward(self, x):
        x = nn.functional.interpolate(x, mode="nearest", scale_factor=self.upsample)
        return self.conv2d(self.reflection_pad(x))


class TransformerNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.in1 = ConvLayer(3, 32, 9, 1), nn.InstanceNorm2d(32, affine=True)
        self.conv2, self.in2 = ConvLayer(32, 64, 3, 2), nn.InstanceNorm2d(64, affine=True)
        self.conv3, self.in3 = ConvLayer(64, 128, 3, 2), nn.InstanceNorm2d(128, affine=True)
        self.res = nn.Sequential(*[ResidualBlock(128) for _ in range(5)])
        self.deconv1, self.in4 = UpsampleConvLayer(128, 64, 3, 1, 2), nn.InstanceNorm2d(64, affine=True)
        self.deconv2, self.in5 = UpsampleConvLayer(64, 32, 3, 1, 2), nn.InstanceNorm2d(32, affine=True)
        self.deconv3 = ConvLayer(32, 3, 9, 1)
        self.relu = nn.ReLU()

    def forward(self, x):
        y = self.relu(self.in1(self.conv1(x)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)


def pytorch_ms(net, x, runs):
    times = []
    with torch.inference_mode():
        net(x)  # warm-up
        for _ in range(runs):
            t = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def nt_bench_row(bench, path):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([bench, "--benchmark_filter=BM_FastStyle/%s/side:512" % path, "--benchmark_repetitions=5",
                        "--benchmark_report_aggregates_only=true", "--benchmark_out=" + out.name,
                        "--benchmark_out_format=json"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        rows = json.load(open(out.name))["benchmarks"]
    median = [r for r in rows if r.get("aggregate_name") == "median"][0]
    return median["real_time"], median.get("floor_ms")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=os.path.join(here, "..", "build", "bin", "nt_bench"))
    ap.add_argument("--path", default="cpu_fused_bf16", help="the nt_bench row: cpu_fused_bf16, cpu_fused_fp32, ...")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    if not os.access(args.bench, os.X_OK):
        sys.exit("reference_fast_style: %s not found: build first (scripts/build.sh)" % args.bench)
    torch.set_num_threads(os.cpu_count())  # every core, as neuraltransfer uses
    torch.manual_seed(0)
    net = TransformerNet().eval()
    x = torch.rand(1, 3, 512, 512) * 255
    ref, ours, floor = [], [], None
    for _ in range(args.rounds):  # alternating, so both see the same machine
        ref.append(pytorch_ms(net, x, 5))
        ms, floor = nt_bench_row(args.bench, args.path)
        ours.append(ms)
    r, o = statistics.median(ref), statistics.median(ours)
    print("fast style 512x512, %d threads, medians of %d alternating rounds" % (torch.get_num_threads(), args.rounds))
    print("  PyTorch %s fp32 eager (python3-torch): %7.1f ms" % (torch.__version__, r))
    print("  neuraltransfer %-21s %7.1f ms   (floor %.1f ms)" % (args.path + ":", o, floor or float("nan")))
    print("  ratio: %.3f" % (o / r))


if __name__ == "__main__":
    main()
