// neuraltransfer: the original workflow (and more) from the command line.
#include <iostream>

#include "cli/run_cli.h"

int main(int argc, char** argv) { return nt::run_cli(argc, argv, std::cout, std::cerr); }
