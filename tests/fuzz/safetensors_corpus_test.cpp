// Regression test of the fuzzer's findings, built with the ordinary compiler: every file of the
// seed corpus (tests/fuzz/corpus/safetensors, valid files and malformed ones the fuzzer found)
// must either parse or be rejected with an nt::Error; no crash, no other exception.
#include <gtest/gtest.h>

#include <filesystem>

#include "base/error.h"
#include "nets/safetensors.h"
#include "support/test_images.h"

namespace nt {
namespace {

TEST(SafetensorsCorpus, EveryFileParsesOrThrowsNtError) {
    int files = 0, parsed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(NT_SAFETENSORS_CORPUS_DIR)) {
        if (!entry.is_regular_file()) continue;
        ++files;
        const test::Bytes bytes = test::read_bytes(entry.path());
        try {
            parse_safetensors(bytes.data(), bytes.size(), entry.path().filename().string());
            ++parsed;
        } catch (const Error& e) {
            const std::string what = e.what();
            EXPECT_EQ(what.rfind(entry.path().filename().string() + ": ", 0), 0u) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        } catch (const std::exception& e) {
            ADD_FAILURE() << entry.path() << ": escaped as a non-nt::Error exception: " << e.what();
        }
    }
    EXPECT_GE(files, 5);
    EXPECT_GE(parsed, 1);  // the corpus holds valid files too, so the success path runs
}

}  // namespace
}  // namespace nt
