#pragma once
// Structural checks of JPEG and PNG files before decoding. stb_image decodes a truncated JPEG
// without complaint (it pads the missing data), and neither it nor most viewers check PNG CRCs;
// a professional tool must refuse such files rather than show half a picture.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nt {

enum class ContainerKind { Jpeg, Png, Gif, Bmp, Other };

// Recognises the file type from its first bytes (TGA has no signature and comes out as Other).
ContainerKind sniff_container(const std::uint8_t* data, std::size_t size);

// The pixel size a file's header claims, read without decoding (JPEG SOF, PNG IHDR, GIF logical
// screen, BMP info header, TGA header), so oversized pictures can be refused with their size in
// the message. Returns false when the header is not readable or the data is none of those.
bool read_header_size(const std::uint8_t* data, std::size_t size, ContainerKind kind, std::int64_t& width,
                      std::int64_t& height);

// Returns an empty string when the marker structure of a JPEG is complete (SOI ... EOI), its
// frame is one stb_image decodes (8-bit, grey or YCbCr/RGB: not CMYK), it has at most
// kMaxJpegScans scans and (with check_size) enough scan data to fill the declared size;
// otherwise the reason, e.g. "truncated JPEG: data ends before the end-of-image marker".
std::string check_jpeg_structure(const std::uint8_t* data, std::size_t size, bool check_size = true);

// Returns an empty string when every PNG chunk is complete with a correct CRC and IEND is
// present, otherwise the reason.
std::string check_png_structure(const std::uint8_t* data, std::size_t size);
// For a PNG that passed check_png_structure: whether its IDAT data can inflate to the size its
// header declares (deflate's best ratio is 1032:1); the reason when it cannot.
std::string check_png_data_size(const std::uint8_t* data, std::size_t size);
// The PNG without its empty IDAT chunks (legal, but stb_image 2.28 passes a null pointer to memcpy
// when the first IDAT is empty: undefined behaviour the fuzzer found); empty when it has none.
std::vector<std::uint8_t> png_without_empty_idat(const std::uint8_t* data, std::size_t size);

// GIF (gif_check.cpp): the blocks up to the first frame are complete, that frame lies within the
// screen and its LZW data yields exactly its pixels (within one code's worth).
std::string check_gif_structure(const std::uint8_t* data, std::size_t size);
// Whether the GIF file at `path` has two image frames or more: its blocks walked by their lengths
// (seeking past the frames' data, nothing decoded). False for what is not a readable GIF.
bool gif_file_has_several_frames(const std::filesystem::path& path);

// BMP and TGA (bmp_tga_check.cpp): the pixel data (for TGA: the RLE packets) fits in the file.
std::string check_bmp_structure(const std::uint8_t* data, std::size_t size);
std::string check_tga_structure(const std::uint8_t* data, std::size_t size);
// True when stb_image would decode data of ContainerKind::Other as TGA (its own header test).
bool looks_like_tga(const std::uint8_t* data, std::size_t size);

}  // namespace nt
