// neuraltransfer: the original workflow (and more) from the command line.
#include <iostream>

#include "cli/run_cli.h"
#include "core/device.h"

int main(int argc, char** argv) {
    nt::reuse_freed_memory();  // picture-sized tensors reused, not page-faulted in again
    nt::use_all_cpu_cores();
    return nt::run_cli(argc, argv, std::cout, std::cerr);
}
