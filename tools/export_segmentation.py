#!/usr/bin/python3
"""Exports one of torchvision's segmentation networks, with the checkpoint you downloaded, as the
TorchScript model and JSON sidecar neuraltransfer reads from models/segmentation/ (masks from
classes: --mask-classes person, or the viewer's "Mask from segmentation").

Runs with Debian's python3-torch and python3-torchvision; fetches nothing (the backbone is built
without weights: weights_backbone=None; every weight comes from your checkpoint). See
docs/MODELS.md.
"""
import argparse
import json
import os
import sys
import tempfile

PROG = "export_segmentation.py"
ARCHITECTURES = ("deeplabv3_resnet101", "deeplabv3_mobilenet_v3_large", "lraspp_mobilenet_v3_large")
# torchvision's COCO_WITH_VOC_LABELS_V1 categories, "__background__" named plainly.
VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
               "tvmonitor"]
LABELS = {"deeplabv3_resnet101": "DeepLabV3 ResNet-101", "deeplabv3_mobilenet_v3_large": "DeepLabV3 MobileNetV3",
          "lraspp_mobilenet_v3_large": "LR-ASPP MobileNetV3"}

EPILOG = """\
the checkpoints (torchvision's COCO-trained weights with the 21 VOC classes):
  deeplabv3_resnet101           https://download.pytorch.org/models/deeplabv3_resnet101_coco-586e9e4e.pth
  deeplabv3_mobilenet_v3_large  https://download.pytorch.org/models/deeplabv3_mobilenet_v3_large-fc3c493d.pth
  lraspp_mobilenet_v3_large     https://download.pytorch.org/models/lraspp_mobilenet_v3_large-d234d4ea.pth

example:
  %(prog)s deeplabv3_resnet101 deeplabv3_resnet101_coco-586e9e4e.pth models/segmentation/deeplab.pt
writes models/segmentation/deeplab.pt and models/segmentation/deeplab.json (the classes and the
input normalisation: RGB 0..1, ImageNet mean and std).
"""


class ExportError(Exception):
    """One line on stderr, exit status 1."""


def load_checkpoint(torch, path):
    if not os.path.isfile(path):
        raise ExportError("%s: no such file" % path)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as e:
        raise ExportError("%s: not a PyTorch checkpoint of tensors: %s" % (path, str(e).splitlines()[0][:200]))
    if isinstance(state, dict) and "model" in state and isinstance(state["model"], dict):
        state = state["model"]  # torchvision's training reference saves {"model": ..., "optimizer": ...}
    if not isinstance(state, dict) or not state:
        raise ExportError("%s: holds no state_dict" % path)
    return state


def build(torchvision, arch, state, path):
    from torchvision.models import segmentation
    kwargs = {"weights": None, "weights_backbone": None, "num_classes": len(VOC_CLASSES)}
    if arch != "lraspp_mobilenet_v3_large":
        kwargs["aux_loss"] = any(k.startswith("aux_classifier.") for k in state)
    model = getattr(segmentation, arch)(**kwargs)
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as e:
        first = str(e).splitlines()
        raise ExportError("%s: not a %s checkpoint with %d classes: %s" % (
            path, arch, len(VOC_CLASSES), " ".join(first[1:3]).strip()[:300] or first[0][:300]))
    return model.eval()


def write_atomically(path, write, force):
    if os.path.exists(path) and not force:
        raise ExportError("%s: already exists (pass --force to replace it)" % path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ExportError("%s: the folder %s does not exist" % (path, folder))
    fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        write(temp)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.remove(temp)


def main(argv):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0], epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("architecture", choices=ARCHITECTURES)
    parser.add_argument("checkpoint", help="the downloaded .pth")
    parser.add_argument("output", help="the .pt to write (its .json sidecar goes beside it)")
    parser.add_argument("--force", action="store_true", help="replace existing files")
    args = parser.parse_args(argv)
    try:
        import torch
        import torchvision
    except ImportError as e:
        print("%s: error: needs python3-torch and python3-torchvision: %s" % (PROG, e), file=sys.stderr)
        return 1
    try:
        if not args.output.endswith(".pt"):
            raise ExportError("%s: the output must end in .pt" % args.output)
        sidecar = args.output[:-3] + ".json"
        for path in (args.output, sidecar):
            if os.path.exists(path) and not args.force:
                raise ExportError("%s: already exists (pass --force to replace it)" % path)
        model = build(torchvision, args.architecture, load_checkpoint(torch, args.checkpoint), args.checkpoint)
        import warnings
        # torchvision's models keep aux_classifier in __constants__; scripting warns about it.
        warnings.filterwarnings("ignore", message=".*was found in ScriptModule constants.*")
        scripted = torch.jit.script(model)
        meta = {"name": LABELS[args.architecture] + " (VOC classes)", "classes": VOC_CLASSES,
                "input_range": [0, 1], "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
        write_atomically(args.output, scripted.save, args.force)

        def write_json(path):
            with open(path, "w") as f:
                json.dump(meta, f, indent=2)
                f.write("\n")
        write_atomically(sidecar, write_json, args.force)
    except ExportError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        return 1
    print("%s: wrote %s and %s (%s, %d classes)" % (PROG, args.output, sidecar, args.architecture, len(VOC_CLASSES)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
