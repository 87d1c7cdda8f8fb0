// neuraltransfer: the original workflow (and more) from the command line.
#include <iostream>

#include "cli/run_cli.h"
#include "base/device.h"
#include "video/video_reader.h"

int main(int argc, char** argv) {
    // A video shares the cores between the decoder, the encoder and LibTorch's threads
    // (base/device.h); a picture is one network run, which spinning threads serve best.
    for (int i = 1; i < argc; ++i)
        if (nt::looks_like_video(argv[i])) {
            nt::prefer_passive_openmp(argv);
            break;
        }
    nt::reuse_freed_memory();  // picture-sized tensors reused, not page-faulted in again
    nt::use_all_cpu_cores();
    nt::single_threaded_blas();  // OpenBLAS's pool waits for busy cores (base/device.h)
    return nt::run_cli(argc, argv, std::cout, std::cerr);
}
