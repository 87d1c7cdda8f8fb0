#version 330 core
// All display maths of a picture panel in one program: sampling (nearest when magnified, with a
// pixel grid from about 8x; linear otherwise), the wipe, the difference and channel views and the
// mask tint. Every texture is sampled by its own size, so a smaller preview fills the panel too.
//
// The display unit compiles one variant per combination of features in use, defining NT_NEAREST,
// NT_GRID, NT_WIPE, NT_DIFFERENCE, NT_CHANNEL and NT_TINT as needed: a software rasterizer
// (llvmpipe) runs both sides of every branch, so the plain panel pays for one texture read only.

uniform sampler2D u_picture;  // the panel's picture (RGBA8)
uniform sampler2D u_other;    // the content: the wipe's left side and the difference's reference
uniform sampler2D u_mask;     // R8 mask, 1 = stylized (tinted)

uniform float u_wipe;         // NT_WIPE: the u left of which the content is shown
uniform float u_gain;         // NT_DIFFERENCE: |picture - content| * u_gain
uniform int u_channel;        // NT_CHANNEL: 1: R, 2: G, 3: B, 4: luminance (each shown as grey)
uniform vec4 u_tint_color;    // NT_TINT: rgb and the opacity at mask = 1

in vec2 v_uv;
out vec4 frag_color;

vec3 sample_rgb(sampler2D s, vec2 uv) {
#ifdef NT_NEAREST
    ivec2 size = textureSize(s, 0);
    ivec2 texel = clamp(ivec2(floor(uv * vec2(size))), ivec2(0), size - 1);
    return texelFetch(s, texel, 0).rgb;
#else
    return texture(s, uv).rgb;
#endif
}

vec3 channel_view(vec3 c) {
    if (u_channel == 1) return vec3(c.r);
    if (u_channel == 2) return vec3(c.g);
    if (u_channel == 3) return vec3(c.b);
    return vec3(dot(c, vec3(0.2126, 0.7152, 0.0722)));  // luminance: Rec. 709 weights
}

// Darkens the first screen pixel of every image pixel's row and column.
vec3 pixel_grid(vec3 c, vec2 texel) {
    vec2 per_screen_pixel = fwidth(texel);  // image pixels per screen pixel
    vec2 into = fract(texel);
    if (into.x < per_screen_pixel.x || into.y < per_screen_pixel.y) return mix(c, vec3(0.5), 0.5);
    return c;
}

void main() {
#ifdef NT_WIPE
    vec3 color = v_uv.x < u_wipe ? sample_rgb(u_other, v_uv) : sample_rgb(u_picture, v_uv);
#else
    vec3 color = sample_rgb(u_picture, v_uv);
#endif
#ifdef NT_DIFFERENCE
    color = clamp(abs(color - sample_rgb(u_other, v_uv)) * u_gain, 0.0, 1.0);
#endif
#ifdef NT_CHANNEL
    color = channel_view(color);
#endif
#ifdef NT_TINT
    float m = clamp(sample_rgb(u_mask, v_uv).r, 0.0, 1.0);
    color = mix(color, u_tint_color.rgb, m * u_tint_color.a);
#endif
#ifdef NT_GRID
    color = pixel_grid(color, v_uv * vec2(textureSize(u_picture, 0)));
#endif
    frag_color = vec4(color, 1.0);
}
