#version 330 core
// All display maths of a picture panel in one program: sampling (nearest when magnified, with a
// pixel grid from about 8x; linear otherwise), the wipe, the difference and channel views and the
// mask tint. Every texture is sampled by its own size, so a smaller preview fills the panel too.

uniform sampler2D u_picture;  // the panel's picture (RGBA8)
uniform sampler2D u_other;    // the content: the wipe's left side and the difference's reference
uniform sampler2D u_mask;     // R8 mask, 1 = stylized (tinted)

uniform bool u_nearest;       // a screen pixel is smaller than an image pixel
uniform bool u_grid;          // ... and so much smaller that a grid between image pixels helps
uniform float u_wipe;         // < 0: no wipe; else the u left of which the content is shown
uniform int u_mode;           // 0: picture, 1: |picture - content| * u_gain
uniform float u_gain;
uniform int u_channel;        // 0: RGB, 1: R, 2: G, 3: B, 4: luminance (each shown as grey)
uniform bool u_tint;          // draw the mask tint
uniform vec4 u_tint_color;    // rgb and the opacity at mask = 1

in vec2 v_uv;
out vec4 frag_color;

vec3 sample_rgb(sampler2D s, vec2 uv) {
    if (!u_nearest) return texture(s, uv).rgb;
    ivec2 size = textureSize(s, 0);
    ivec2 texel = clamp(ivec2(floor(uv * vec2(size))), ivec2(0), size - 1);
    return texelFetch(s, texel, 0).rgb;
}

vec3 channel_view(vec3 c) {
    if (u_channel == 1) return vec3(c.r);
    if (u_channel == 2) return vec3(c.g);
    if (u_channel == 3) return vec3(c.b);
    if (u_channel == 4) return vec3(dot(c, vec3(0.2126, 0.7152, 0.0722)));  // Rec. 709 weights
    return c;
}

// Darkens the first screen pixel of every image pixel's row and column.
vec3 pixel_grid(vec3 c, vec2 texel) {
    vec2 per_screen_pixel = fwidth(texel);  // image pixels per screen pixel
    vec2 into = fract(texel);
    if (into.x < per_screen_pixel.x || into.y < per_screen_pixel.y) return mix(c, vec3(0.5), 0.5);
    return c;
}

void main() {
    vec3 color;
    if (u_wipe >= 0.0 && v_uv.x < u_wipe) color = sample_rgb(u_other, v_uv);
    else color = sample_rgb(u_picture, v_uv);
    if (u_mode == 1) color = clamp(abs(color - sample_rgb(u_other, v_uv)) * u_gain, 0.0, 1.0);
    color = channel_view(color);
    if (u_tint) {
        float m = clamp(sample_rgb(u_mask, v_uv).r, 0.0, 1.0);
        color = mix(color, u_tint_color.rgb, m * u_tint_color.a);
    }
    if (u_grid) color = pixel_grid(color, v_uv * vec2(textureSize(u_picture, 0)));
    frag_color = vec4(color, 1.0);
}
