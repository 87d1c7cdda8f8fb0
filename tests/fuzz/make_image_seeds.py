#!/usr/bin/python3
"""Writes the seed corpus of the image_fuzz target (docs/FUZZING.md): small valid pictures of every
format and variant the loader reads, and broken ones (truncated, wrong sizes, bombs in
miniature), so that the fuzzer starts from every decoder's interesting paths.
Usage: tests/fuzz/make_image_seeds.py OUT_DIR   (needs Debian's python3-pil)"""
import io
import struct
import sys
import zlib
from pathlib import Path

from PIL import Image


def pattern(mode, w=13, h=9):
    im = Image.new("RGB", (w, h))
    im.putdata([((x * 37) & 255, (y * 53) & 255, ((x ^ y) * 29) & 255) for y in range(h) for x in range(w)])
    if mode == "I":  # 16-bit grey: PIL writes mode I as a 16-bit PNG
        return im.convert("L").convert("I")
    return im.convert(mode) if mode != "RGB" else im


def encode(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_raw(w, h, bit_depth, colour_type, rows, interlace=0):
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, colour_type, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(rows, 9)) +
            png_chunk(b"IEND", b""))


def valid_seeds():
    s = {}
    for name, kw in {"baseline": {}, "progressive": {"progressive": True}, "q10_420": {"quality": 10, "subsampling": 2},
                     "444": {"subsampling": 0}, "optimized": {"optimize": True}}.items():
        s[f"jpeg_{name}.jpg"] = encode(pattern("RGB"), "JPEG", **kw)
    s["jpeg_grey.jpg"] = encode(pattern("L"), "JPEG")
    exif = Image.Exif()
    exif[0x0112] = 6
    s["jpeg_exif6.jpg"] = encode(pattern("RGB"), "JPEG", exif=exif.tobytes())
    s["jpeg_cmyk.jpg"] = encode(pattern("CMYK"), "JPEG")
    for mode in ("RGB", "RGBA", "L", "LA", "P", "1", "I"):
        s[f"png_{mode}.png"] = encode(pattern(mode), "PNG")
    s["png_interlaced.png"] = png_raw(5, 5, 8, 2, bytes(86), interlace=1)  # 7 passes: 86 bytes, filter 0
    s["png_16bit_rgba.png"] = png_raw(3, 2, 16, 6, bytes(2 * (1 + 24)))
    s["png_4bit_palette.png"] = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 2, 4, 3, 0, 0, 0)) +
                                 png_chunk(b"PLTE", bytes(range(48))) + png_chunk(b"tRNS", b"\x00\x80") +
                                 png_chunk(b"IDAT", zlib.compress(b"\x00\x01\x23\x00\x45\x67")) + png_chunk(b"IEND", b""))
    for mode in ("RGB", "RGBA", "P", "L", "1"):
        s[f"bmp_{mode}.bmp"] = encode(pattern(mode), "BMP")
    for mode, rle in (("RGB", False), ("RGB", True), ("RGBA", True), ("L", False), ("P", True)):
        s[f"tga_{mode}{'_rle' if rle else ''}.tga"] = encode(pattern(mode), "TGA", compression="tga_rle" if rle else None)
    s["gif_single.gif"] = encode(pattern("P"), "GIF")
    s["gif_interlaced.gif"] = encode(pattern("P"), "GIF", interlace=True)
    frames = [pattern("P"), pattern("RGB").rotate(90, expand=False).convert("P")]
    s["gif_animated.gif"] = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50, loop=0,
                                   transparency=0)
    return s


def broken_seeds(valid):
    s = {}
    for name, data in valid.items():
        stem, ext = name.rsplit(".", 1)
        s[f"bad_{stem}_truncated.{ext}"] = data[: len(data) * 2 // 3]
    jpeg = bytearray(valid["jpeg_baseline.jpg"])
    sof = jpeg.index(b"\xff\xc0")
    big = bytearray(jpeg)
    big[sof + 5:sof + 9] = struct.pack(">HH", 65500, 65500)
    s["bad_jpeg_65500.jpg"] = bytes(big)
    tall = bytearray(jpeg)
    tall[sof + 5:sof + 9] = struct.pack(">HH", 3000, 3000)
    s["bad_jpeg_tiny_data_for_size.jpg"] = bytes(tall)
    twelve = bytearray(jpeg)
    twelve[sof + 4] = 12
    s["bad_jpeg_12bit.jpg"] = bytes(twelve)
    s["bad_png_bomb_small.png"] = png_raw(16, 16, 8, 2, bytes(1 << 20))
    s["bad_png_short_idat.png"] = png_raw(3000, 3000, 8, 2, bytes(100))
    bmp = bytearray(valid["bmp_RGB.bmp"])
    zero = bytearray(bmp)
    zero[22:26] = struct.pack("<i", 0)
    s["bad_bmp_zero_height.bmp"] = bytes(zero)
    down = bytearray(bmp)
    down[22:26] = struct.pack("<i", -9)
    s["bmp_top_down.bmp"] = bytes(down)
    gif = bytearray(valid["gif_single.gif"])
    desc = gif.index(b"\x2c", 13)
    gif[desc + 5:desc + 9] = struct.pack("<HH", 500, 500)
    s["bad_gif_frame_beyond_screen.gif"] = bytes(gif)
    return s


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    valid = valid_seeds()
    for name, data in {**valid, **broken_seeds(valid)}.items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
