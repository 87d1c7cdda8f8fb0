#version 330 core
// One picture panel: a quad over the panel's visible part, made from gl_VertexID (no vertex
// buffer). Positions are in ImGui's screen points; u_display maps them to clip space the way
// ImGui's own projection does, so the quad lands exactly where ImGui would draw an image.

uniform vec4 u_rect;     // x, y, width, height of the quad, screen points
uniform vec4 u_uv;       // u0, v0, u1, v1: texture coordinates at the quad's corners
uniform vec4 u_display;  // ImGui's display position (x, y) and size (width, height), points

out vec2 v_uv;

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));  // triangle strip
    vec2 point = u_rect.xy + corner * u_rect.zw;
    vec2 ndc = (point - u_display.xy) / u_display.zw * 2.0 - 1.0;
    gl_Position = vec4(ndc.x, -ndc.y, 0.0, 1.0);  // screen y grows downwards
    v_uv = mix(u_uv.xy, u_uv.zw, corner);
}
