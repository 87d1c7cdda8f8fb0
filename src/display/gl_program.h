#pragma once
// A linked GLSL program from vertex and fragment source. Needs a current GL 3.3 context for
// every call, the destructor included.
#include <string>

namespace nt::display {

class GlProgram {
public:
    GlProgram() = default;
    // Compiles and links; throws nt::Error with the compiler's or linker's log, naming `what`.
    GlProgram(const char* vertex_source, const char* fragment_source, const std::string& what);
    ~GlProgram();
    GlProgram(GlProgram&& other) noexcept;
    GlProgram& operator=(GlProgram&& other) noexcept;
    GlProgram(const GlProgram&) = delete;
    GlProgram& operator=(const GlProgram&) = delete;

    unsigned id() const { return id_; }
    bool valid() const { return id_ != 0; }
    // -1 when the program has no such active uniform (an unused one is optimised away).
    int uniform(const char* name) const;

private:
    unsigned id_ = 0;
};

}  // namespace nt::display
