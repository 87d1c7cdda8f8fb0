#pragma once
// The GLSL of shaders/, compiled into the binary at build time (shaders/embed_shaders.cmake):
// nothing is looked up at run time. shaders/panel.vert is kPanelVert, and so on.
namespace nt::display::shaders {

extern const char* const kPanelVert;
extern const char* const kPanelFrag;

}  // namespace nt::display::shaders
