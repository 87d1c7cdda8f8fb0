#include "display/gl_program.h"

#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/error.h"

namespace nt::display {

namespace {

std::string shader_log(GLuint shader) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)), '\0');
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    return log.data();
}

GLuint compile(GLenum stage, const char* source, const std::string& what) {
    const GLuint shader = glCreateShader(stage);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = GL_FALSE;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (ok != GL_TRUE) {
        const std::string log = shader_log(shader);
        glDeleteShader(shader);
        throw Error(what + (stage == GL_VERTEX_SHADER ? ": vertex" : ": fragment") +
                    " shader does not compile: " + log);
    }
    return shader;
}

}  // namespace

GlProgram::GlProgram(const char* vertex_source, const char* fragment_source, const std::string& what) {
    const GLuint vertex = compile(GL_VERTEX_SHADER, vertex_source, what);
    GLuint fragment = 0;
    try {
        fragment = compile(GL_FRAGMENT_SHADER, fragment_source, what);
    } catch (...) {
        glDeleteShader(vertex);
        throw;
    }
    const GLuint program = glCreateProgram();
    glAttachShader(program, vertex);
    glAttachShader(program, fragment);
    glLinkProgram(program);
    glDeleteShader(vertex);  // flagged: freed with the program
    glDeleteShader(fragment);
    GLint ok = GL_FALSE;
    glGetProgramiv(program, GL_LINK_STATUS, &ok);
    if (ok != GL_TRUE) {
        GLint length = 0;
        glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
        std::vector<char> log(static_cast<std::size_t>(std::max(length, 1)), '\0');
        glGetProgramInfoLog(program, length, nullptr, log.data());
        glDeleteProgram(program);
        throw Error(what + ": the program does not link: " + log.data());
    }
    id_ = program;
}

GlProgram::~GlProgram() {
    if (id_ != 0) glDeleteProgram(id_);
}

GlProgram::GlProgram(GlProgram&& other) noexcept : id_(std::exchange(other.id_, 0)) {}

GlProgram& GlProgram::operator=(GlProgram&& other) noexcept {
    if (this != &other) {
        if (id_ != 0) glDeleteProgram(id_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

int GlProgram::uniform(const char* name) const { return glGetUniformLocation(id_, name); }

}  // namespace nt::display
