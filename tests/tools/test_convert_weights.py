#!/usr/bin/python3
"""Tests tools/convert_weights.py on fake checkpoints with the real key names and shapes:

    tests/tools/test_convert_weights.py tools/convert_weights.py CASE

CASE is fast_style, fast_style_onnx, adain_encoder, adain_decoder, vgg19 or errors (one ctest each: convert_weights_CASE).
The .safetensors results are re-read by hand here (8-byte length, header JSON, raw bytes), so the
test does not trust the writer it checks. Needs Debian's python3-torch; exits 77 (a failure
for ctest) without it.
"""
import collections
import contextlib
import importlib.util
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import traceback

try:
    import torch
except ImportError as e:
    print("test_convert_weights.py: cannot run, PyTorch is not importable (%s); install python3-torch" % e,
          file=sys.stderr)
    sys.exit(77)

CONVERTER = None
CLI = None  # the neuraltransfer binary, when given: end-to-end checks
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)


def run_as_process(*args):
    """The converter as users start it: its own interpreter, its exit status."""
    result = subprocess.run([sys.executable, CONVERTER] + [str(a) for a in args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    return result.returncode, result.stdout, result.stderr


_converter_module = None


def run(*args):
    """The converter's main() in this interpreter: the same exit status and output as run_as_process, without
    importing PyTorch again for every call (about 4 s each here; 20 calls made this suite take minutes)."""
    global _converter_module
    if _converter_module is None:
        spec = importlib.util.spec_from_file_location("convert_weights_under_test", CONVERTER)
        _converter_module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(_converter_module)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = _converter_module.main([str(a) for a in args])
        except SystemExit as e:  # argparse: --help exits 0, a usage error 2
            rc = e.code if isinstance(e.code, int) else 1
        except Exception:  # an uncaught error: exit 1 and a traceback, as the interpreter would print
            traceback.print_exc()
            rc = 1
    return rc, out.getvalue(), err.getvalue()


def convert_ok(kind, source, target, *extra):
    rc, out, err = run(kind, source, target, *extra)
    check(rc == 0, "%s %s: exit %d, stderr: %s" % (kind, source, rc, err))
    check("wrote" in out, "%s: no summary on stdout: %r" % (kind, out))


def convert_fails(kind, source, target, fragment, *extra):
    rc, out, err = run(kind, source, target, *extra)
    check(rc == 1, "%s %s: expected exit 1, got %d (stderr %r)" % (kind, source, rc, err))
    print("  %s" % err.strip())
    lines = err.strip().splitlines()
    check(len(lines) == 1, "%s %s: expected one line on stderr, got %r" % (kind, source, err))
    check(fragment in err, "%s %s: expected %r in %r" % (kind, source, fragment, err))
    return err


# ------------------------------------------------------------------------------------------
# Reading a .safetensors file by hand

def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    check(n % 8 == 0, "%s: header length %d is not a multiple of 8" % (path, n))
    text = data[8:8 + n]
    check(text.rstrip(b" ").endswith(b"}"), "%s: the header is padded with something other than spaces" % path)
    header = json.loads(text.decode("utf-8"))
    payload = data[8 + n:]
    metadata = header.pop("__metadata__", None)
    names = list(header)
    check(names == sorted(names), "%s: keys are not sorted: %r" % (path, names[:5]))
    tensors, offset = {}, 0
    for name in sorted(names):
        entry = header[name]
        check(entry["dtype"] == "F32", "%s: %s is %s, not F32" % (path, name, entry["dtype"]))
        begin, end = entry["data_offsets"]
        check(begin == offset, "%s: %s starts at %d, expected %d (packed in key order)" % (path, name, begin, offset))
        count = 1
        for d in entry["shape"]:
            count *= d
        check(end - begin == 4 * count, "%s: %s holds %d bytes for shape %r" % (path, name, end - begin, entry["shape"]))
        values = struct.unpack("<%df" % count, payload[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(entry["shape"])
        offset = end
    check(offset == len(payload), "%s: %d bytes of data, %d used" % (path, len(payload), offset))
    return tensors, metadata


def check_same(path, got, want):
    check(sorted(got) == sorted(want), "%s: keys %r, expected %r" % (path, sorted(got)[:6], sorted(want)[:6]))
    for name in want:
        if name not in got:
            continue
        w = want[name].to(torch.float32)
        check(tuple(got[name].shape) == tuple(w.shape), "%s: %s shape %r, expected %r" % (
            path, name, tuple(got[name].shape), tuple(w.shape)))
        if tuple(got[name].shape) == tuple(w.shape):
            check(torch.equal(got[name], w), "%s: %s values differ" % (path, name))


# ------------------------------------------------------------------------------------------
# Fake checkpoints (key names and shapes written out here independently of the converter)

def fast_style_state_dict(generator):
    sd = collections.OrderedDict()

    def conv(name, cin, cout, k):
        sd[name + ".conv2d.weight"] = torch.randn(cout, cin, k, k, generator=generator)
        sd[name + ".conv2d.bias"] = torch.randn(cout, generator=generator)

    def norm(name, c):
        sd[name + ".weight"] = torch.randn(c, generator=generator)
        sd[name + ".bias"] = torch.randn(c, generator=generator)

    conv("conv1", 3, 32, 9); norm("in1", 32)
    conv("conv2", 32, 64, 3); norm("in2", 64)
    conv("conv3", 64, 128, 3); norm("in3", 128)
    for i in range(1, 6):
        conv("res%d.conv1" % i, 128, 128, 3); norm("res%d.in1" % i, 128)
        conv("res%d.conv2" % i, 128, 128, 3); norm("res%d.in2" % i, 128)
    conv("deconv1", 128, 64, 3); norm("in4", 64)
    conv("deconv2", 64, 32, 3); norm("in5", 32)
    conv("deconv3", 32, 3, 9)
    return sd


def with_stale_keys(sd):
    """What old checkpoints hold: InstanceNorm running statistics (and num_batches_tracked)."""
    out = collections.OrderedDict(sd)
    for norm, c in (("in1", 32), ("in2", 64), ("in3", 128), ("res1.in1", 128), ("res5.in2", 128),
                    ("in4", 64), ("in5", 32)):
        out[norm + ".running_mean"] = torch.zeros(c)
        out[norm + ".running_var"] = torch.ones(c)
        out[norm + ".num_batches_tracked"] = torch.tensor(0)
    return out


VGG_CONVS = {  # full vgg_normalised: layer index -> (out, in, kernel)
    0: (3, 3, 1), 2: (64, 3, 3), 5: (64, 64, 3), 9: (128, 64, 3), 12: (128, 128, 3), 16: (256, 128, 3),
    19: (256, 256, 3), 22: (256, 256, 3), 25: (256, 256, 3), 29: (512, 256, 3), 32: (512, 512, 3),
    35: (512, 512, 3), 38: (512, 512, 3), 42: (512, 512, 3), 45: (512, 512, 3), 48: (512, 512, 3),
    51: (512, 512, 3),
}
DECODER_CONVS = {
    1: (256, 512, 3), 5: (256, 256, 3), 8: (256, 256, 3), 11: (256, 256, 3), 14: (128, 256, 3),
    18: (128, 128, 3), 21: (64, 128, 3), 25: (64, 64, 3), 28: (3, 64, 3),
}


def sequential_state_dict(convs, generator):
    sd = collections.OrderedDict()
    for index in sorted(convs):
        cout, cin, k = convs[index]
        sd["%d.weight" % index] = torch.randn(cout, cin, k, k, generator=generator)
        sd["%d.bias" % index] = torch.randn(cout, generator=generator)
    return sd


# ------------------------------------------------------------------------------------------

def case_fast_style(tmp, g):
    sd = fast_style_state_dict(g)
    check(len(sd) == 62, "the fake TransformerNet has %d tensors, expected 62" % len(sd))
    # A stale old-style checkpoint, saved in the legacy (pre-1.6, non-zip) format.
    source = os.path.join(tmp, "candy.pth")
    torch.save(with_stale_keys(sd), source, _use_new_zipfile_serialization=False)
    target = os.path.join(tmp, "candy.safetensors")
    convert_ok("fast-style", source, target)
    got, metadata = read_safetensors(target)
    check_same(target, got, sd)
    check(metadata is not None and metadata.get("kind") == "fast-style", "metadata: %r" % metadata)

    # Wrapped under "state_dict", with nn.DataParallel's "module." prefix, some tensors float64.
    wrapped = collections.OrderedDict(("module." + k, v.double() if k.startswith("res2") else v) for k, v in sd.items())
    source = os.path.join(tmp, "wrapped.pth")
    torch.save({"state_dict": wrapped, "epoch": 2}, source)
    target = os.path.join(tmp, "wrapped.safetensors")
    convert_ok("fast-style", source, target)
    got, _ = read_safetensors(target)
    check_same(target, got, {k: v.double().float() if k.startswith("res2") else v for k, v in sd.items()})

    # Wrapped under "model".
    source = os.path.join(tmp, "model.pth")
    torch.save({"model": sd}, source)
    convert_ok("fast-style", source, os.path.join(tmp, "model.safetensors"))
    check_same("model.safetensors", read_safetensors(os.path.join(tmp, "model.safetensors"))[0], sd)


def case_adain_encoder(tmp, g):
    full = sequential_state_dict(VGG_CONVS, g)
    source = os.path.join(tmp, "vgg_normalised.pth")
    torch.save(full, source)
    target = os.path.join(tmp, "vgg_encoder.safetensors")
    convert_ok("adain-encoder", source, target)
    got, _ = read_safetensors(target)
    # The whole network is kept: AdaIN reads its first 31 layers, Gatys needs relu5_1.
    check_same(target, got, full)
    want = {k: v for k, v in full.items() if int(k.split(".")[0]) <= 30}
    check(len(want) == 20, "expected 20 encoder tensors up to relu4_1, the fake has %d" % len(want))

    # Cut at relu4_1 (as this converter wrote them before): converts the same.
    source = os.path.join(tmp, "cut.pth")
    torch.save(collections.OrderedDict(want), source)
    convert_ok("adain-encoder", source, os.path.join(tmp, "cut.safetensors"))
    check_same("cut.safetensors", read_safetensors(os.path.join(tmp, "cut.safetensors"))[0], want)


def case_vgg19(tmp, g):
    features = collections.OrderedDict()
    for index, (cout, cin) in {0: (64, 3), 2: (64, 64), 5: (128, 64), 7: (128, 128), 10: (256, 128),
                               12: (256, 256), 14: (256, 256), 16: (256, 256), 19: (512, 256), 21: (512, 512),
                               23: (512, 512), 25: (512, 512), 28: (512, 512), 30: (512, 512), 32: (512, 512),
                               34: (512, 512)}.items():
        features["features.%d.weight" % index] = torch.randn(cout, cin, 3, 3, generator=g) * 0.01
        features["features.%d.bias" % index] = torch.randn(cout, generator=g)
    with_classifier = collections.OrderedDict(features)
    with_classifier["classifier.0.weight"] = torch.zeros(8, 8)  # shapes shrunk: it is dropped anyway
    with_classifier["classifier.0.bias"] = torch.zeros(8)
    # The Caffe conversion has torchvision's keys: --preprocessing says which it is.
    source = os.path.join(tmp, "vgg19-caffe.pth")
    torch.save(with_classifier, source)
    target = os.path.join(tmp, "caffe.safetensors")
    convert_ok("vgg19", source, target, "--preprocessing", "caffe")
    got, metadata = read_safetensors(target)
    check_same(target, got, features)
    check(metadata.get("preprocessing") == "caffe" and metadata.get("kind") == "vgg19", "metadata: %r" % metadata)
    # Without it, the published file name tells; any other name is refused.
    named = os.path.join(tmp, "vgg19-dcbb9e9d.pth")
    torch.save(with_classifier, named)
    convert_ok("vgg19", named, os.path.join(tmp, "tv.safetensors"))
    check(read_safetensors(os.path.join(tmp, "tv.safetensors"))[1].get("preprocessing") == "torchvision",
          "vgg19-dcbb9e9d.pth is torchvision's")
    convert_fails("vgg19", source, os.path.join(tmp, "unsaid.safetensors"), "say which with --preprocessing")
    # vgg_normalised is recognised by its keys.
    normalised = os.path.join(tmp, "vgg_normalised.pth")
    torch.save(sequential_state_dict(VGG_CONVS, g), normalised)
    convert_ok("vgg19", normalised, os.path.join(tmp, "normalised.safetensors"))
    check(read_safetensors(os.path.join(tmp, "normalised.safetensors"))[1].get("preprocessing") == "normalised",
          "vgg_normalised's preprocessing")
    convert_fails("vgg19", normalised, os.path.join(tmp, "x.safetensors"), "has its own preprocessing",
                  "--preprocessing", "caffe")
    # A convolution missing.
    short = collections.OrderedDict(features)
    del short["features.34.weight"]
    torch.save(short, source)
    convert_fails("vgg19", source, os.path.join(tmp, "short.safetensors"), "missing 1 ('features.34.weight')",
                  "--preprocessing", "torchvision")


def _numeric_names(model):
    """The same ONNX model with its initializers renamed 1, 2, ... as older exports named them."""
    import onnx
    model = onnx.ModelProto.FromString(model.SerializeToString())
    rename = {init.name: str(i + 1) for i, init in enumerate(model.graph.initializer)}
    for init in model.graph.initializer:
        init.name = rename[init.name]
    for node in model.graph.node:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
    for value in model.graph.input:
        if value.name in rename:
            value.name = rename[value.name]
    return model


def case_fast_style_onnx(tmp, g):
    """TransformerNets with random weights exported to ONNX (opset 9, and 8 through ONNX's version
    converter, as the Model Zoo's -8 files), with their names kept and renamed to numbers: each
    converts to exactly the module's state_dict, and the CLI's pixels equal PyTorch's."""
    try:
        import onnx
        from onnx import version_converter
    except ImportError as e:
        print("test_convert_weights.py: cannot make the fixture, needs python3-onnx (%s)" % e, file=sys.stderr)
        sys.exit(77)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
    from make_nets_fixture import TransformerNet, randomise_instance_norms
    torch.manual_seed(3)
    net = TransformerNet().eval()
    randomise_instance_norms(net)  # distinct values: the exporter merges identical initializers
    want = {k: v.detach().clone() for k, v in net.state_dict().items() if "running" not in k}
    exported = os.path.join(tmp, "net9.onnx")
    torch.onnx.export(net, torch.rand(1, 3, 64, 64) * 255, exported, opset_version=9, input_names=["input1"],
                      output_names=["output1"])
    opset9 = onnx.load(exported)
    models = {"opset9-names": opset9, "opset9-numbers": _numeric_names(opset9),
              "opset8-names": version_converter.convert_version(opset9, 8)}
    models["opset8-numbers"] = _numeric_names(models["opset8-names"])
    for name, model in models.items():
        source = os.path.join(tmp, name + ".onnx")
        onnx.save(model, source)
        target = os.path.join(tmp, name + ".safetensors")
        convert_ok("fast-style-onnx", source, target)
        got, metadata = read_safetensors(target)
        check_same(target, got, want)
        check(metadata.get("format") == "onnx", "%s metadata: %r" % (name, metadata))
    check("1" in [i.name for i in models["opset9-numbers"].graph.initializer], "the numeric copy has numbers")
    # Another network is refused.
    other = os.path.join(tmp, "other.onnx")
    torch.onnx.export(torch.nn.Sequential(torch.nn.Conv2d(3, 3, 3)), torch.rand(1, 3, 8, 8), other, opset_version=9)
    convert_fails("fast-style-onnx", other, os.path.join(tmp, "other.safetensors"),
                  "not a fast_neural_style TransformerNet exported to ONNX")
    if CLI:
        _cli_matches_pytorch(tmp, net, os.path.join(tmp, "opset8-numbers.safetensors"))


def _cli_matches_pytorch(tmp, net, model):
    from PIL import Image
    import numpy
    g = torch.Generator().manual_seed(5)
    picture = (torch.nn.functional.avg_pool2d(torch.rand(1, 3, 36, 44, generator=g), 5, 1, 2) * 255).round()
    path = os.path.join(tmp, "content.png")
    Image.fromarray(picture[0].permute(1, 2, 0).to(torch.uint8).numpy()).save(path)
    out = os.path.join(tmp, "out.png")
    # fp32: the check is the conversion, to float rounding (bf16's own error is measured elsewhere).
    result = subprocess.run([CLI, path, "--model", model, "--size", "original", "-d", "cpu", "--precision", "fp32",
                             "-q", "-o", out],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    check(result.returncode == 0, "the CLI failed: %s" % result.stderr)
    if result.returncode != 0:
        return
    with torch.no_grad():
        expected = net(picture.double().float()).clamp(0, 255)[0].permute(1, 2, 0).numpy()
    got = numpy.asarray(Image.open(out).convert("RGB")).astype(numpy.float64)
    worst = float(numpy.abs(got - expected).max())
    check(worst <= 1.0, "CLI vs PyTorch: %.2f levels apart" % worst)
    print("  CLI vs PyTorch through ONNX: at most %.2f levels apart" % worst)


def case_adain_decoder(tmp, g):
    sd = sequential_state_dict(DECODER_CONVS, g)
    source = os.path.join(tmp, "decoder.pth")
    torch.save(sd, source)
    target = os.path.join(tmp, "decoder.safetensors")
    convert_ok("adain-decoder", source, target)
    got, _ = read_safetensors(target)
    check(len(got) == 18, "expected 18 decoder tensors, got %d" % len(got))
    check_same(target, got, sd)


def case_errors(tmp, g):
    sd = fast_style_state_dict(g)
    good = os.path.join(tmp, "good.pth")
    torch.save(sd, good)
    out = os.path.join(tmp, "out.safetensors")

    # --help documents the sources and the layout.
    rc, text, _ = run_as_process("--help")
    check(rc == 0, "--help exits %d" % rc)
    for fragment in ("download_saved_models.py", "saved_models.zip", "naoto0804/pytorch-AdaIN", "vgg_normalised.pth",
                     "decoder.pth", "models/fast_style/<name>.safetensors", "models/adain/vgg_encoder.safetensors",
                     "models/adain/decoder.safetensors", "models/torchscript/<name>.pt"):
        check(fragment in text, "--help does not mention %r" % fragment)

    # Refuses to overwrite; --force replaces.
    with open(out, "wb") as f:
        f.write(b"keep me")
    convert_fails("fast-style", good, out, "already exists (pass --force to replace it)")
    with open(out, "rb") as f:
        check(f.read() == b"keep me", "the existing output was changed without --force")
    convert_ok("fast-style", good, out, "--force")
    check_same(out, read_safetensors(out)[0], sd)

    fresh = os.path.join(tmp, "fresh.safetensors")
    # Wrong kind of checkpoint for the command.
    decoder = os.path.join(tmp, "decoder.pth")
    torch.save(sequential_state_dict(DECODER_CONVS, g), decoder)
    convert_fails("fast-style", decoder, fresh, "not a fast_neural_style TransformerNet checkpoint")
    convert_fails("adain-decoder", good, fresh, "not a pytorch-AdaIN decoder checkpoint")
    convert_fails("adain-encoder", decoder, fresh, "not a pytorch-AdaIN vgg_normalised checkpoint")
    # A missing and an extra key.
    broken = collections.OrderedDict(sd)
    del broken["res3.in1.bias"]
    broken["res6.conv1.conv2d.weight"] = torch.zeros(1)
    path = os.path.join(tmp, "broken.pth")
    torch.save(broken, path)
    err = convert_fails("fast-style", path, fresh, "missing 1 ('res3.in1.bias')")
    check("unexpected 1 ('res6.conv1.conv2d.weight')" in err, "unexpected key not named: %r" % err)
    # A wrong shape.
    bad_shape = collections.OrderedDict(sd)
    bad_shape["conv1.conv2d.weight"] = torch.zeros(32, 3, 3, 3)
    path = os.path.join(tmp, "bad_shape.pth")
    torch.save(bad_shape, path)
    convert_fails("fast-style", path, fresh, "conv1.conv2d.weight has shape [32, 3, 3, 3], a fast_neural_style "
                                             "TransformerNet needs [32, 3, 9, 9]")
    # An encoder without layer 29.
    vgg = sequential_state_dict(VGG_CONVS, g)
    del vgg["29.weight"], vgg["29.bias"]
    path = os.path.join(tmp, "vgg_short.pth")
    torch.save(vgg, path)
    convert_fails("adain-encoder", path, fresh, "missing 2 ('29.bias', '29.weight')")
    # Non-finite, integer, non-tensor values.
    nan = collections.OrderedDict(sd)
    nan["in2.weight"] = torch.full((64,), float("nan"))
    path = os.path.join(tmp, "nan.pth")
    torch.save(nan, path)
    convert_fails("fast-style", path, fresh, "in2.weight holds NaN or infinite values")
    ints = collections.OrderedDict(sd)
    ints["in2.weight"] = torch.ones(64, dtype=torch.int64)
    path = os.path.join(tmp, "ints.pth")
    torch.save(ints, path)
    convert_fails("fast-style", path, fresh, "in2.weight has dtype torch.int64, not floating point")
    path = os.path.join(tmp, "list.pth")
    torch.save([1, 2, 3], path)
    convert_fails("fast-style", path, fresh, "holds a list, not a state_dict")
    path = os.path.join(tmp, "empty_dict.pth")
    torch.save({}, path)
    convert_fails("fast-style", path, fresh, "the state_dict is empty")
    # Files that are not checkpoints.
    convert_fails("fast-style", os.path.join(tmp, "absent.pth"), fresh, "no such file")
    convert_fails("fast-style", tmp, fresh, "is a folder")
    path = os.path.join(tmp, "empty.pth")
    open(path, "wb").close()
    convert_fails("fast-style", path, fresh, "file is empty")
    path = os.path.join(tmp, "garbage.pth")
    with open(path, "wb") as f:
        f.write(b"this is not a checkpoint\n" * 10)
    convert_fails("fast-style", path, fresh, "cannot read it as a PyTorch checkpoint")
    with open(good, "rb") as f:
        data = f.read()
    path = os.path.join(tmp, "truncated.pth")
    with open(path, "wb") as f:
        f.write(data[:len(data) // 2])
    convert_fails("fast-style", path, fresh, "cannot read it as a PyTorch checkpoint")
    # An output folder that does not exist.
    convert_fails("fast-style", good, os.path.join(tmp, "no", "such", "x.safetensors"), "does not exist")
    # Nothing was written for any failure, and no temporary file was left behind.
    check(not os.path.exists(fresh), "a failed conversion wrote its output")
    leftovers = [n for n in os.listdir(tmp) if n.endswith(".tmp")]
    check(not leftovers, "temporary files left: %r" % leftovers)
    # Usage errors (argparse) exit 2.
    rc, _, _ = run_as_process("no-such-kind", good, fresh)
    check(rc == 2, "an unknown kind exits %d, expected 2" % rc)


CASES = {"fast_style": case_fast_style, "adain_encoder": case_adain_encoder, "adain_decoder": case_adain_decoder,
         "vgg19": case_vgg19, "fast_style_onnx": case_fast_style_onnx,
         "errors": case_errors}


def main(argv):
    global CONVERTER, CLI
    if len(argv) not in (3, 4) or argv[2] not in CASES:
        print("usage: test_convert_weights.py CONVERTER {%s} [NEURALTRANSFER]" % ",".join(sorted(CASES)),
              file=sys.stderr)
        return 2
    CONVERTER = argv[1]
    CLI = argv[3] if len(argv) == 4 else None
    g = torch.Generator().manual_seed(0)
    with tempfile.TemporaryDirectory(prefix="nt-convert-") as tmp:
        CASES[argv[2]](tmp, g)
    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("convert_weights %s: all checks passed" % argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
