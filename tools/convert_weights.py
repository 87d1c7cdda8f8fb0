#!/usr/bin/python3
"""Converts published PyTorch checkpoints to the .safetensors files neuraltransfer loads.

Runs with Debian's python3 and python3-torch (apt install python3-torch); needs no other
package and no network. See docs/MODELS.md.
"""
import argparse
import json
import os
import re
import struct
import sys
import tempfile

PROG = "convert_weights.py"

EPILOG = """\
where to get the originals:
  fast-style     the pretrained fast_neural_style models of pytorch/examples (candy, mosaic,
                 rain_princess, udnie): download_saved_models.py in
                 https://github.com/pytorch/examples/tree/main/fast_neural_style fetches
                 https://www.dropbox.com/s/lrvwfehqdcxoza8/saved_models.zip?dl=1 (see that
                 README); unzipped: saved_models/candy.pth, ... Checkpoints you trained with the
                 example's neural_style.py convert the same way.
  adain-encoder  vgg_normalised.pth and
  adain-decoder  decoder.pth, the release files of naoto0804/pytorch-AdaIN:
                 https://github.com/naoto0804/pytorch-AdaIN/releases/tag/v0.0.0
  fast-style-onnx  the ONNX Model Zoo's fast neural style files (mosaic-9.onnx, candy-9.onnx,
                 rain-princess-9.onnx, udnie-9.onnx, pointilism-9.onnx and their -8 versions),
                 https://github.com/onnx/models/tree/main/validated/vision/style_transfer/fast_neural_style:
                 the same TransformerNet exported to ONNX; needs Debian's python3-onnx
  vgg19          a VGG-19 for Gatys' neural style (--method gatys), one of:
                 torchvision's vgg19-dcbb9e9d.pth (--preprocessing torchvision),
                 the Caffe conversion vgg19-d01eb7cb.pth of neural-style-pt's
                 models/download_models.py (--preprocessing caffe: BGR 0..255 minus the Caffe
                 mean; same key names as torchvision's, so it must be said), or AdaIN's
                 vgg_normalised.pth (recognised by its keys). Only the convolutions are kept.

where to put the results (the models folder: --models DIR, $NEURALTRANSFER_MODELS or ./models):
  models/fast_style/<name>.safetensors      one file per fast style, e.g. candy.safetensors
  models/adain/vgg_encoder.safetensors      from vgg_normalised.pth
  models/adain/decoder.safetensors          from decoder.pth
  models/torchscript/<name>.pt + <name>.json  your own TorchScript models (no conversion)
  models/vgg19/<name>.safetensors           a VGG-19 for --method gatys

examples:
  %(prog)s fast-style saved_models/candy.pth models/fast_style/candy.safetensors
  %(prog)s adain-encoder vgg_normalised.pth models/adain/vgg_encoder.safetensors
  %(prog)s adain-decoder decoder.pth models/adain/decoder.safetensors
  %(prog)s fast-style-onnx mosaic-9.onnx models/fast_style/mosaic.safetensors
  %(prog)s vgg19 vgg19-d01eb7cb.pth models/vgg19/caffe.safetensors --preprocessing caffe
"""


class ConversionError(Exception):
    """A problem with the input or output; printed as one line, exit status 1."""


# ------------------------------------------------------------------------------------------
# The expected tensors of each kind: name -> shape.

def _fast_style_shapes():
    shapes = {}

    def conv(prefix, cin, cout, k):
        shapes[prefix + ".conv2d.weight"] = (cout, cin, k, k)
        shapes[prefix + ".conv2d.bias"] = (cout,)

    def norm(prefix, c):
        shapes[prefix + ".weight"] = (c,)
        shapes[prefix + ".bias"] = (c,)

    conv("conv1", 3, 32, 9), norm("in1", 32)
    conv("conv2", 32, 64, 3), norm("in2", 64)
    conv("conv3", 64, 128, 3), norm("in3", 128)
    for i in range(1, 6):
        r = "res%d" % i
        conv(r + ".conv1", 128, 128, 3), norm(r + ".in1", 128)
        conv(r + ".conv2", 128, 128, 3), norm(r + ".in2", 128)
    conv("deconv1", 128, 64, 3), norm("in4", 64)
    conv("deconv2", 64, 32, 3), norm("in5", 32)
    conv("deconv3", 32, 3, 9)
    return shapes


def _sequential_shapes(layers):
    shapes = {}
    for index, (cout, cin, k) in layers.items():
        shapes["%d.weight" % index] = (cout, cin, k, k)
        shapes["%d.bias" % index] = (cout,)
    return shapes


FAST_STYLE = _fast_style_shapes()
# vgg_normalised: the 1x1 preprocessing conv, then the 3x3 convs, all 53 layers. AdaIN needs it up
# to relu4_1 (layer 30), Gatys up to relu5_1 (43): the whole file is kept (files cut at relu4_1,
# as this converter wrote them before, still convert for AdaIN).
NORMALISED_VGG_LAYERS = {
    0: (3, 3, 1), 2: (64, 3, 3), 5: (64, 64, 3), 9: (128, 64, 3), 12: (128, 128, 3),
    16: (256, 128, 3), 19: (256, 256, 3), 22: (256, 256, 3), 25: (256, 256, 3), 29: (512, 256, 3),
    32: (512, 512, 3), 35: (512, 512, 3), 38: (512, 512, 3), 42: (512, 512, 3), 45: (512, 512, 3),
    48: (512, 512, 3), 51: (512, 512, 3),
}
ADAIN_ENCODER_LAST_LAYER = 30
NORMALISED_VGG = _sequential_shapes(NORMALISED_VGG_LAYERS)
ADAIN_ENCODER = _sequential_shapes({k: v for k, v in NORMALISED_VGG_LAYERS.items() if k <= ADAIN_ENCODER_LAST_LAYER})
# torchvision's (and the Caffe conversion's) vgg19().features: the 16 convolutions.
TORCHVISION_VGG = {
    "features.%d.%s" % (index, part): shape
    for index, (cout, cin) in {0: (64, 3), 2: (64, 64), 5: (128, 64), 7: (128, 128), 10: (256, 128),
                               12: (256, 256), 14: (256, 256), 16: (256, 256), 19: (512, 256), 21: (512, 512),
                               23: (512, 512), 25: (512, 512), 28: (512, 512), 30: (512, 512), 32: (512, 512),
                               34: (512, 512)}.items()
    for part, shape in (("weight", (cout, cin, 3, 3)), ("bias", (cout,)))
}
# The file names under which the two torchvision-keyed files are published.
KNOWN_VGG19 = {"dcbb9e9d": "torchvision", "d01eb7cb": "caffe"}
ADAIN_DECODER = _sequential_shapes({
    1: (256, 512, 3), 5: (256, 256, 3), 8: (256, 256, 3), 11: (256, 256, 3), 14: (128, 256, 3),
    18: (128, 128, 3), 21: (64, 128, 3), 25: (64, 64, 3), 28: (3, 64, 3),
})

STALE_INSTANCE_NORM = re.compile(r"in\d+\.running_(mean|var)$")
SEQUENTIAL_KEY = re.compile(r"^(\d+)\.(weight|bias)$")


# ------------------------------------------------------------------------------------------
# Reading the checkpoint

def load_state_dict(torch, path, trust_pickle):
    if not os.path.exists(path):
        raise ConversionError("%s: no such file" % path)
    if os.path.isdir(path):
        raise ConversionError("%s: is a folder, not a checkpoint" % path)
    if os.path.getsize(path) == 0:
        raise ConversionError("%s: file is empty" % path)
    try:
        if trust_pickle:
            obj = torch.load(path, map_location="cpu")
        else:
            try:
                obj = torch.load(path, map_location="cpu", weights_only=True)
            except TypeError:  # a PyTorch older than 1.13 has no weights_only
                obj = torch.load(path, map_location="cpu")
    except Exception as e:  # torch.load raises many types for a file that is not a checkpoint
        text = " ".join(str(e).split())
        marker = "WeightsUnpickler error: "
        if not trust_pickle and marker in text:
            raise ConversionError("%s: holds Python objects besides tensors (%s); if you trust the file, "
                                  "--trust-pickle loads it with full unpickling" % (
                                      path, _short(text[text.index(marker) + len(marker):])))
        raise ConversionError("%s: cannot read it as a PyTorch checkpoint: %s" % (
            path, _short("%s: %s" % (type(e).__name__, text) if text else type(e).__name__)))

    if isinstance(obj, dict):
        for wrapper in ("state_dict", "model"):
            if wrapper in obj and isinstance(obj[wrapper], dict):
                obj = obj[wrapper]
                break
    if not isinstance(obj, dict):
        raise ConversionError("%s: holds a %s, not a state_dict (a dict of tensors)" % (path, type(obj).__name__))
    if not obj:
        raise ConversionError("%s: the state_dict is empty" % path)
    for key, value in obj.items():
        if not isinstance(key, str):
            raise ConversionError("%s: key %r is not a string" % (path, key))
        if not isinstance(value, torch.Tensor):
            raise ConversionError("%s: %r is a %s, not a tensor" % (path, key, type(value).__name__))
    # nn.DataParallel saves every name with a "module." prefix.
    if all(key.startswith("module.") for key in obj):
        obj = {key[len("module."):]: value for key, value in obj.items()}
    return dict(obj)


def _short(text, limit=200):
    return text if len(text) <= limit else text[:limit] + "..."


def _printable(text):
    """A file name fit for JSON and a terminal: undecodable bytes become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _listed(names, limit=4):
    names = sorted(names)
    shown = ", ".join(repr(n) for n in names[:limit])
    return "%d (%s%s)" % (len(names), shown, ", ..." if len(names) > limit else "")


def check_tensors(torch, path, tensors, expected, what):
    missing = set(expected) - set(tensors)
    unexpected = set(tensors) - set(expected)
    if missing or unexpected:
        parts = []
        if missing:
            parts.append("missing " + _listed(missing))
        if unexpected:
            parts.append("unexpected " + _listed(unexpected))
        raise ConversionError("%s: not a %s checkpoint: %s" % (path, what, "; ".join(parts)))
    out = {}
    for name in sorted(expected):
        t = tensors[name]
        if tuple(t.shape) != tuple(expected[name]):
            raise ConversionError("%s: %s has shape %s, a %s needs %s" % (
                path, name, list(t.shape), what, list(expected[name])))
        if not t.is_floating_point():
            raise ConversionError("%s: %s has dtype %s, not floating point" % (path, name, t.dtype))
        t = t.detach().to(device="cpu", dtype=torch.float32).contiguous()
        if not bool(torch.isfinite(t).all()):
            raise ConversionError("%s: %s holds NaN or infinite values" % (path, name))
        out[name] = t
    return out


def convert_fast_style(torch, path, tensors, preprocessing=None):
    kept = {k: v for k, v in tensors.items()
            if not STALE_INSTANCE_NORM.search(k) and not k.endswith("num_batches_tracked")}
    return check_tensors(torch, path, kept, FAST_STYLE, "fast_neural_style TransformerNet")


# TransformerNet's parametrised layers in state_dict (and forward) order: conv or instance norm.
FAST_STYLE_LAYERS = ([("conv1", "conv"), ("in1", "norm"), ("conv2", "conv"), ("in2", "norm"), ("conv3", "conv"),
                      ("in3", "norm")] +
                     [(f"res{i}.{part}", kind) for i in range(1, 6)
                      for part, kind in (("conv1", "conv"), ("in1", "norm"), ("conv2", "conv"), ("in2", "norm"))] +
                     [("deconv1", "conv"), ("in4", "norm"), ("deconv2", "conv"), ("in5", "norm"), ("deconv3", "conv")])


def _onnx_parameters(path):
    """The ONNX file's initializers (name -> torch tensor) and, in graph order, the parameter inputs
    of its Conv and InstanceNormalization nodes, each followed through Identity nodes to the
    initializer it names."""
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as e:
        raise ConversionError("reading ONNX files needs Debian's python3-onnx (apt install python3-onnx): %s" % e)
    import torch
    try:
        model = onnx.load(path)
    except Exception as e:  # protobuf raises its own types for a file that is not ONNX
        raise ConversionError("%s: not an ONNX model: %s" % (path, _short(str(e) or type(e).__name__)))
    inits = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in model.graph.initializer}
    alias = {n.output[0]: n.input[0] for n in model.graph.node if n.op_type == "Identity" and n.input and n.output}

    def source(name):
        seen = set()
        while name in alias and name not in seen:
            seen.add(name)
            name = alias[name]
        return name
    layers = []
    for node in model.graph.node:
        if node.op_type in ("Conv", "InstanceNormalization"):
            layers.append(("conv" if node.op_type == "Conv" else "norm", [source(n) for n in node.input[1:]]))
    return inits, layers


def convert_fast_style_onnx(torch, path, tensors, preprocessing=None):
    what = "fast_neural_style TransformerNet"
    inits, layers = _onnx_parameters(path)
    if all(k in inits for k in FAST_STYLE):  # exported with the state_dict names
        return check_tensors(torch, path, {k: inits[k] for k in FAST_STYLE}, FAST_STYLE, what)
    # Numeric names (older exports) or shared ones: by graph order, which is the state_dict's.
    kinds = [k for k, _ in layers]
    expected = [k for _, k in FAST_STYLE_LAYERS]
    if kinds != expected:
        raise ConversionError("%s: not a %s exported to ONNX: %d Conv/InstanceNormalization nodes (%s...), "
                              "expected %d in TransformerNet's order" % (
                                  path, what, len(kinds), ", ".join(kinds[:4]), len(expected)))
    mapped = {}
    for (prefix, kind), (_, inputs) in zip(FAST_STYLE_LAYERS, layers):
        names = [prefix + ".conv2d.weight", prefix + ".conv2d.bias"] if kind == "conv" else \
            [prefix + ".weight", prefix + ".bias"]
        if len(inputs) != 2 or any(i not in inits for i in inputs):
            raise ConversionError("%s: the %s node of %s has no constant weight and bias" % (path, kind, prefix))
        mapped.update(zip(names, (inits[i] for i in inputs)))
    return check_tensors(torch, path, mapped, FAST_STYLE, what)


def _sequential_layer(path, key, what):
    m = SEQUENTIAL_KEY.match(key)
    if not m:
        raise ConversionError("%s: not a %s checkpoint: key %r is not an nn.Sequential parameter name "
                              "like '0.weight'" % (path, what, key))
    return int(m.group(1))


def convert_adain_encoder(torch, path, tensors, preprocessing=None):
    what = "pytorch-AdaIN vgg_normalised"
    deepest = max(_sequential_layer(path, k, what) for k in tensors)
    return check_tensors(torch, path, tensors, NORMALISED_VGG if deepest > ADAIN_ENCODER_LAST_LAYER else ADAIN_ENCODER,
                         what)


def convert_vgg19(torch, path, tensors, preprocessing=None):
    """A VGG-19 for Gatys: torchvision keys ("features.N", the classifier dropped) with the
    preprocessing given or known from the published file name, or vgg_normalised."""
    if all(SEQUENTIAL_KEY.match(k) for k in tensors):
        if preprocessing not in (None, "normalised"):
            raise ConversionError("%s: a vgg_normalised checkpoint (keys '0.weight', ...) has its own preprocessing, "
                                  "not --preprocessing %s" % (path, preprocessing))
        return check_tensors(torch, path, tensors, NORMALISED_VGG, "vgg_normalised"), "normalised"
    features = {k: v for k, v in tensors.items() if not k.startswith("classifier.")}
    if preprocessing is None:
        known = [p for h, p in KNOWN_VGG19.items() if h in os.path.basename(path)]
        if not known:
            raise ConversionError("%s: torchvision's and the Caffe VGG-19 have the same keys: say which with "
                                  "--preprocessing torchvision or --preprocessing caffe" % path)
        preprocessing = known[0]
    if preprocessing == "normalised":
        raise ConversionError("%s: torchvision key names, so --preprocessing torchvision or caffe" % path)
    return check_tensors(torch, path, features, TORCHVISION_VGG, "VGG-19 (torchvision keys)"), preprocessing


def convert_adain_decoder(torch, path, tensors, preprocessing=None):
    what = "pytorch-AdaIN decoder"
    for key in tensors:
        _sequential_layer(path, key, what)
    return check_tensors(torch, path, tensors, ADAIN_DECODER, what)


KINDS = {
    "fast-style": convert_fast_style,
    "fast-style-onnx": convert_fast_style_onnx,
    "adain-encoder": convert_adain_encoder,
    "adain-decoder": convert_adain_decoder,
    "vgg19": convert_vgg19,
}


# ------------------------------------------------------------------------------------------
# Writing .safetensors by hand (the package is not in Debian): an 8-byte little-endian header
# length, the JSON header padded with spaces to a multiple of 8, then the tensors' raw
# little-endian bytes, packed in sorted key order.

def safetensors_bytes(tensors, metadata):
    header = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name in sorted(tensors):
        t = tensors[name]
        data = t.numpy().astype("<f4", copy=False).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), sort_keys=True).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def write_atomically(path, data, force):
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ConversionError("%s: is a folder" % path)
    if os.path.exists(path) and not force:
        raise ConversionError("%s: already exists (pass --force to replace it)" % path)
    if not os.path.isdir(folder):
        raise ConversionError("%s: the folder %s does not exist" % (path, folder))
    fd, temp = None, None
    try:
        fd, temp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            fd = None
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
        temp = None
    except OSError as e:
        raise ConversionError("%s: cannot write: %s" % (path, e.strerror or e))
    finally:
        if fd is not None:
            os.close(fd)
        if temp is not None and os.path.exists(temp):
            os.remove(temp)


# ------------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Converts a published PyTorch checkpoint (.pth) to the .safetensors file "
                    "neuraltransfer loads (float32, keys sorted).")
    parser.add_argument("kind", choices=sorted(KINDS), help="what the checkpoint is")
    parser.add_argument("input", help="the .pth checkpoint")
    parser.add_argument("output", help="the .safetensors file to write")
    parser.add_argument("--force", action="store_true", help="replace OUTPUT if it exists")
    parser.add_argument("--preprocessing", choices=["torchvision", "caffe", "normalised"],
                        help="vgg19: what the network expects (recorded in the file's metadata)")
    parser.add_argument("--trust-pickle", action="store_true",
                        help="load a checkpoint that holds Python objects besides tensors (full unpickling: "
                             "runs code from the file, use only for files you trust)")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    try:
        import torch
    except ImportError as e:
        print("%s: error: needs PyTorch (Debian: apt install python3-torch): %s" % (PROG, e), file=sys.stderr)
        return 1
    try:
        if os.path.exists(args.output) and not args.force and not os.path.isdir(args.output):
            # Checked before the (slow) load as well as at the end.
            raise ConversionError("%s: already exists (pass --force to replace it)" % args.output)
        if args.kind == "fast-style-onnx":
            if not os.path.isfile(args.input):
                raise ConversionError("%s: no such file" % args.input)
            tensors = None  # the ONNX reader reads the file itself
        else:
            tensors = load_state_dict(torch, args.input, args.trust_pickle)
        if args.preprocessing and args.kind != "vgg19":
            raise ConversionError("--preprocessing is for vgg19 only")
        converted = KINDS[args.kind](torch, args.input, tensors, args.preprocessing)
        metadata = {"format": "onnx" if args.kind.endswith("onnx") else "pt", "converted_by": PROG, "kind": args.kind,
                    "source": _printable(os.path.basename(args.input))}
        if isinstance(converted, tuple):
            converted, metadata["preprocessing"] = converted
        write_atomically(args.output, safetensors_bytes(converted, metadata), args.force)
    except ConversionError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        return 1
    count = sum(t.numel() for t in converted.values())
    print("%s: wrote %s (%d tensors, %d parameters)" % (PROG, args.output, len(converted), count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
