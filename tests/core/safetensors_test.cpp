// .safetensors reader/writer: round trips of every dtype, a file from an independent (Python)
// writer, and one test per way a file can be malformed, each checking that the error names the
// file and the specific reason.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "base/error.h"
#include "nets/safetensors.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

namespace nt {
namespace {

using test::Bytes;

const std::string kName = "bad.safetensors";

// An 8-byte little-endian length, the header text, then the data.
Bytes make_file(const std::string& header, const Bytes& data = {}) {
    Bytes out;
    out.reserve(8 + header.size() + data.size());  // (also keeps GCC 12's -Warray-bounds quiet)
    const std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

SafetensorsFile parse(const Bytes& bytes) { return parse_safetensors(bytes.data(), bytes.size(), kName); }

// Parsing must fail with "bad.safetensors: ..." holding `reason`, on one line.
void expect_rejected(const Bytes& bytes, const std::string& reason) {
    try {
        parse(bytes);
        ADD_FAILURE() << "accepted; expected: " << reason;
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_EQ(what.rfind(kName + ": ", 0), 0u) << what;
        EXPECT_NE(what.find(reason), std::string::npos) << what;
        EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
}

void expect_rejected(const std::string& header, const Bytes& data, const std::string& reason) {
    expect_rejected(make_file(header, data), reason);
}

// A header with one F32 tensor "t" whose entry fields are given as JSON text.
std::string one_entry(const std::string& fields) { return R"({"t":{)" + fields + "}}"; }

// ---- round trips ------------------------------------------------------------------------------

std::map<std::string, at::Tensor> every_dtype() {
    const at::Tensor base = at::arange(-6, 6, at::kDouble).reshape({3, 4}) * 1.25;
    std::map<std::string, at::Tensor> t;
    for (const at::ScalarType type :
         {at::kDouble, at::kFloat, at::kHalf, at::kBFloat16, at::kLong, at::kInt, at::kShort, at::kChar})
        t[c10::toString(type)] = base.to(type);
    t["Byte"] = at::arange(0, 256, 37, at::kLong).to(at::kByte);
    t["Bool"] = (at::arange(0, 5, at::kLong) % 2 == 0);
    return t;
}

void expect_same(const std::map<std::string, at::Tensor>& a, const std::map<std::string, at::Tensor>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (const auto& [name, tensor] : a) {
        ASSERT_TRUE(b.count(name)) << name;
        const at::Tensor& other = b.at(name);
        EXPECT_EQ(other.scalar_type(), tensor.scalar_type()) << name;
        EXPECT_EQ(other.sizes(), tensor.sizes()) << name;
        EXPECT_TRUE(at::equal(other, tensor.contiguous())) << name;
    }
}

TEST(Safetensors, RoundTripsEveryDtype) {
    const auto tensors = every_dtype();
    const Bytes bytes = write_safetensors(tensors);
    const SafetensorsFile file = parse(bytes);
    expect_same(tensors, file.tensors);
    EXPECT_TRUE(file.metadata.empty());
}

TEST(Safetensors, RoundTripsZeroDimAndEmptyTensors) {
    const std::map<std::string, at::Tensor> tensors = {
        {"scalar", at::scalar_tensor(2.5, at::kFloat)}, {"scalar_i8", at::scalar_tensor(-3, at::kChar)},
        {"empty", at::empty({0}, at::kFloat)},          {"empty_3d", at::empty({2, 0, 3}, at::kHalf)},
        {"after", at::ones({2, 2}, at::kFloat)},
    };
    const SafetensorsFile file = parse(write_safetensors(tensors));
    expect_same(tensors, file.tensors);
    EXPECT_EQ(file.tensors.at("scalar").dim(), 0);
}

TEST(Safetensors, RoundTripsMetadataAndNonContiguousTensors) {
    const at::Tensor transposed = at::arange(6, at::kFloat).reshape({2, 3}).t();
    const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "caf\xc3\xa9"}};
    const SafetensorsFile file = parse(write_safetensors({{"w", transposed}}, metadata));
    EXPECT_EQ(file.metadata, metadata);
    EXPECT_TRUE(at::equal(file.tensors.at("w"), transposed));
}

TEST(Safetensors, WriterPadsTheHeaderSoDataIsAligned) {
    const Bytes bytes = write_safetensors({{"x", at::ones({3}, at::kFloat)}});
    std::uint64_t n = 0;
    std::memcpy(&n, bytes.data(), 8);
    EXPECT_EQ(n % 8, 0u);
    EXPECT_EQ(bytes.size(), 8 + n + 12);
}

TEST(Safetensors, SavesAtomicallyAndReadsBack) {
    test::TempDir dir;
    const auto tensors = every_dtype();
    save_safetensors(dir / "w.safetensors", tensors, {{"k", "v"}});
    const SafetensorsFile file = read_safetensors(dir / "w.safetensors");
    expect_same(tensors, file.tensors);
    EXPECT_EQ(file.metadata.at("k"), "v");
    EXPECT_EQ(test::folder_entries(dir.path()), (std::vector<std::string>{"w.safetensors"}));
}

TEST(Safetensors, WriterRejectsWhatTheFormatCannotHold) {
    EXPECT_THROW(write_safetensors({{"c", at::zeros({2}, at::kComplexFloat)}}), Error);
    EXPECT_THROW(write_safetensors({{"__metadata__", at::zeros({2})}}), Error);
    EXPECT_THROW(write_safetensors({{"bad\xff", at::zeros({2})}}), Error);
}

TEST(Safetensors, ReadMissingFileNamesIt) {
    test::TempDir dir;
    try {
        read_safetensors(dir / "nope.safetensors");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nope.safetensors: no such file"), std::string::npos) << e.what();
    }
}

// ---- a file from the Python fixture writer (tests/fixtures/make_safetensors_fixture.py) -------

TEST(Safetensors, ReadsTheReferenceFixture) {
    const SafetensorsFile file = read_safetensors(std::string(NT_TEST_DATA_DIR) + "/reference.safetensors");
    EXPECT_EQ(file.metadata.at("format"), "pt");
    const auto& t = file.tensors;
    ASSERT_EQ(t.size(), 13u);
    EXPECT_TRUE(at::equal(t.at("f64"), at::arange(4, at::kDouble) / 3));
    EXPECT_TRUE(at::equal(t.at("f32"), at::arange(6, at::kFloat).reshape({2, 3}) * 0.5 - 1));
    const at::Tensor f16 = at::tensor({1.5f, -2.0f, 65504.0f, 6.1035e-05f}).to(at::kHalf);
    EXPECT_EQ(t.at("f16").scalar_type(), at::kHalf);
    EXPECT_TRUE(at::equal(t.at("f16"), f16));
    const at::Tensor bf16 = at::tensor({1.0f, -3.5f, 3.0e38f, 0.1f}).to(at::kBFloat16);
    EXPECT_EQ(t.at("bf16").scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::equal(t.at("bf16"), bf16));
    EXPECT_TRUE(at::equal(t.at("i64"), at::tensor({-(int64_t{1} << 40), int64_t{0}, int64_t{1} << 62})));
    EXPECT_TRUE(at::equal(t.at("i32"), at::tensor({-1, 2, 3, -4}, at::kInt).reshape({2, 2})));
    EXPECT_TRUE(at::equal(t.at("i16"), at::tensor({-32768, 32767}, at::kShort)));
    EXPECT_TRUE(at::equal(t.at("i8"), at::tensor({-128, 127, 0}, at::kChar)));
    EXPECT_TRUE(at::equal(t.at("u8"), at::tensor({0, 255, 7}, at::kByte)));
    EXPECT_TRUE(at::equal(t.at("bool"), at::tensor({1, 0, 1}, at::kByte).to(at::kBool)));
    EXPECT_EQ(t.at("scalar").dim(), 0);
    EXPECT_EQ(t.at("scalar").item<float>(), 3.25f);
    EXPECT_EQ(t.at("empty").sizes(), (std::vector<int64_t>{0, 3}));
    EXPECT_TRUE(at::equal(t.at("conv.weight"), at::tensor({0.f, 2.f, 1.f, 3.f}).reshape({2, 1, 1, 2})));
}

// ---- check_keys -------------------------------------------------------------------------------

TEST(Safetensors, CheckKeysAcceptsTheExactSet) {
    SafetensorsFile file;
    file.tensors = {{"a", at::zeros({1})}, {"b", at::zeros({1})}};
    EXPECT_NO_THROW(check_keys(file, {"a", "b"}, "w.safetensors"));
}

TEST(Safetensors, CheckKeysListsMissingAndUnexpected) {
    SafetensorsFile file;
    for (const char* k : {"a", "u1", "u2", "u3", "u4", "u5"}) file.tensors[k] = at::zeros({1});
    try {
        check_keys(file, {"a", "m1"}, "w.safetensors");
        ADD_FAILURE();
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "w.safetensors: tensor names do not match the model: missing 1 ('m1'); "
                  "unexpected 5 ('u1', 'u2', 'u3', 'u4', ...)");
    }
}

// ---- malformed files: one test per reason ------------------------------------------------------

TEST(SafetensorsMalformed, ShorterThanTheHeaderLength) {
    expect_rejected(Bytes{1, 0, 0, 0, 0}, "file is 5 bytes, shorter than the 8-byte header length");
    expect_rejected(Bytes{}, "file is 0 bytes");
}

TEST(SafetensorsMalformed, HeaderLengthOverTheLimit) {
    Bytes bytes(16, 0xff);
    expect_rejected(bytes, "header length 18446744073709551615 exceeds the limit of 100000000 bytes");
}

// Issue 26: a picture or a checkpoint named .safetensors was reported as a bare header-length number.
TEST(SafetensorsMalformed, AnotherKindOfFileSaysSoFirst) {
    Bytes jpeg = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1};
    expect_rejected(jpeg, "not a .safetensors file (");
}

TEST(SafetensorsMalformed, HeaderLengthPastTheEnd) {
    Bytes bytes = make_file("{}");
    bytes[0] = 40;
    expect_rejected(bytes, "header length 40 is larger than the 2 bytes that follow it");
}

TEST(SafetensorsMalformed, HeaderNotUtf8) {
    expect_rejected("{\"\xc3\x28\":1}", {}, "header is not valid UTF-8 (byte 2)");
    expect_rejected("{\"\xed\xa0\x80\":1}", {}, "header is not valid UTF-8");  // a UTF-16 surrogate
    expect_rejected("{\"\xc0\xaf\":1}", {}, "header is not valid UTF-8");      // overlong '/'
}

TEST(SafetensorsMalformed, HeaderNotJson) {
    expect_rejected("{\"t\":", {}, "header is not valid JSON: ");
    expect_rejected("", {}, "header is not valid JSON: ");
    expect_rejected("{} x", {}, "header is not valid JSON: ");
}

TEST(SafetensorsMalformed, HeaderNotAnObject) {
    expect_rejected("[1,2]", {}, "header is not a JSON object");
    expect_rejected("\"s\"", {}, "header is not a JSON object");
}

TEST(SafetensorsMalformed, HeaderNestedTooDeeply) {
    expect_rejected("{\"t\":" + std::string(10000, '[') + std::string(10000, ']') + "}", {},
                    "header JSON is nested too deeply");
}

TEST(SafetensorsMalformed, DuplicateKeys) {
    const std::string entry = R"({"dtype":"U8","shape":[1],"data_offsets":[0,1]})";
    expect_rejected("{\"t\":" + entry + ",\"t\":" + entry + "}", {7}, "duplicate key 't' in header");
    expect_rejected(one_entry(R"("dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1])"), {7},
                    "duplicate key 'dtype' in header");
}

TEST(SafetensorsMalformed, EntryNotAnObject) {
    expect_rejected(R"({"t":[1]})", {}, "tensor 't': entry is not a JSON object");
}

TEST(SafetensorsMalformed, Dtype) {
    expect_rejected(one_entry(R"("shape":[1],"data_offsets":[0,4])"), Bytes(4), "tensor 't': missing \"dtype\"");
    expect_rejected(one_entry(R"("dtype":4,"shape":[1],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': \"dtype\" is not a string");
    expect_rejected(one_entry(R"("dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1])"), Bytes(1),
                    "tensor 't': unknown dtype 'F8_E4M3'");
}

TEST(SafetensorsMalformed, ShapeMissingOrNotAnArray) {
    expect_rejected(one_entry(R"("dtype":"F32","data_offsets":[0,4])"), Bytes(4), "tensor 't': missing \"shape\"");
    expect_rejected(one_entry(R"("dtype":"F32","shape":4,"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': \"shape\" is not an array");
}

TEST(SafetensorsMalformed, ShapeDimensions) {
    expect_rejected(one_entry(R"("dtype":"F32","shape":[2,-1],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': shape dimension 1 is negative");
    expect_rejected(one_entry(R"("dtype":"F32","shape":[1.5],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': shape dimension 0 is not an integer");
    expect_rejected(one_entry(R"("dtype":"F32","shape":["1"],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': shape dimension 0 is not an integer");
    expect_rejected(one_entry(R"("dtype":"F32","shape":[18446744073709551615],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': shape dimension 0 is too large");
    std::string dims = "1";
    for (int i = 0; i < 64; ++i) dims += ",1";
    expect_rejected(one_entry(R"("dtype":"F32","shape":[)" + dims + R"(],"data_offsets":[0,4])"), Bytes(4),
                    "tensor 't': shape has 65 dimensions, more than 64");
}

TEST(SafetensorsMalformed, AbsurdElementCounts) {
    // 2^32 * 2^32 overflows 64 bits; 2^62 F32 elements overflow the byte count.
    expect_rejected(one_entry(R"("dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0])"), {},
                    "tensor 't': shape [4294967296, 4294967296] has too many elements");
    expect_rejected(one_entry(R"("dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0])"), {},
                    "has too many elements");
}

TEST(SafetensorsMalformed, DataOffsetsMissingOrWrongType) {
    const std::string reason = "tensor 't': \"data_offsets\" is not an array of two non-negative integers";
    expect_rejected(one_entry(R"("dtype":"F32","shape":[1])"), Bytes(4), "tensor 't': missing \"data_offsets\"");
    for (const char* offsets : {R"("0")", "[0]", "[0,4,8]", "[-1,4]", R"(["0",4])", "[0,4.0]"})
        expect_rejected(one_entry(std::string(R"("dtype":"F32","shape":[1],"data_offsets":)") + offsets), Bytes(4),
                        reason);
}

TEST(SafetensorsMalformed, DataOffsetsReversed) {
    expect_rejected(one_entry(R"("dtype":"F32","shape":[1],"data_offsets":[4,0])"), Bytes(4),
                    "tensor 't': data_offsets [4, 0] end before they begin");
}

TEST(SafetensorsMalformed, ByteSizeDiffersFromShape) {
    expect_rejected(one_entry(R"("dtype":"F32","shape":[2,3],"data_offsets":[0,20])"), Bytes(24),
                    "tensor 't': data_offsets [0, 20] hold 20 bytes, but shape [2, 3] of F32 needs 24");
}

TEST(SafetensorsMalformed, DataOffsetsOutOfRange) {
    expect_rejected(one_entry(R"("dtype":"U8","shape":[4],"data_offsets":[1000000,1000004])"), Bytes(8),
                    "tensor 't': data_offsets [1000000, 1000004] run past the end of the data (8 bytes)");
}

TEST(SafetensorsMalformed, TruncatedData) {
    Bytes bytes = write_safetensors({{"a", at::ones({4}, at::kFloat)}, {"b", at::ones({8}, at::kFloat)}});
    bytes.resize(bytes.size() - 3);
    expect_rejected(bytes,
                    "tensor 'b': data_offsets [16, 48] run past the end of the data (45 bytes): "
                    "the file is truncated");
}

TEST(SafetensorsMalformed, OverlappingTensors) {
    const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})";
    expect_rejected(header, Bytes(12), "tensors 'a' [0, 8] and 'b' [4, 12] overlap");
    const std::string same = R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},)"
                             R"("b":{"dtype":"I32","shape":[],"data_offsets":[0,4]}})";
    expect_rejected(same, Bytes(4), "overlap");
}

TEST(SafetensorsMalformed, GapsAndEmptyTensorsInsideRangesAreAllowed) {
    const std::string header = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)"
                               R"("e":{"dtype":"F32","shape":[0],"data_offsets":[1,1]},)"
                               R"("b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}})";
    const SafetensorsFile file = parse(make_file(header, {1, 2, 0, 0, 0, 0, 3, 4, 9}));
    EXPECT_TRUE(at::equal(file.tensors.at("b"), at::tensor({3, 4}, at::kByte)));
    EXPECT_EQ(file.tensors.at("e").numel(), 0);
}

TEST(SafetensorsMalformed, Metadata) {
    expect_rejected(R"({"__metadata__":[1]})", {}, "\"__metadata__\" is not an object");
    expect_rejected(R"({"__metadata__":{"k":"v","n":3}})", {}, "\"__metadata__\" value for 'n' is not a string");
}

TEST(SafetensorsMalformed, BoolBytesOtherThanZeroOrOne) {
    expect_rejected(one_entry(R"("dtype":"BOOL","shape":[3],"data_offsets":[0,3])"), {0, 1, 2},
                    "BOOL tensor 't' holds a byte other than 0 or 1");
}

TEST(SafetensorsMalformed, NamesFromTheFileStayOnOneLine) {
    expect_rejected(R"({"a\nb":[1]})", {}, "tensor 'a\\x0ab': entry is not a JSON object");
}

}  // namespace
}  // namespace nt
