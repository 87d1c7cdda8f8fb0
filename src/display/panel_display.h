#pragma once
// The display unit: everything between a picture or a result tensor and a pixel on screen. It
// owns the panel textures (content, style and result, RGBA8), the result's upload route (direct,
// or CUDA-GL interop for a CUDA result), the R8 mask texture and the panel shader
// (shaders/panel.vert, panel.frag, embedded at build time). The viewer hands it pictures and asks
// it to draw a panel (display/panel_draw.h); nothing else in the viewer touches GL.
//
// Needs the viewer's GL 3.3 context current for every call except the const ones.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <ATen/Tensor.h>

#include "image/image.h"
#include "display/mask_texture.h"
#include "display/panel_draw.h"
#include "display/result_upload.h"
#include "display/rgba8_texture.h"

struct ImDrawList;
struct ImDrawCmd;

namespace nt::display {

class GlProgram;

// The panel shader's features (shaders/panel.frag's NT_* defines). Each combination in use is its
// own compiled variant, so a plain panel costs one texture read per pixel on a software rasterizer.
enum PanelFeature : unsigned {
    kNearest = 1,
    kGrid = 2,
    kWipe = 4,
    kDifference = 8,
    kChannel = 16,
    kTint = 32,
};
inline constexpr unsigned kPanelFeatureCombinations = 64;
// shaders/panel.frag with the defines of `features` after its #version line.
std::string panel_fragment_source(unsigned features);

// The framebuffer as ImGui sees it: its top-left corner and size in points, and pixels per point.
struct DisplayArea {
    float x = 0, y = 0, w = 0, h = 0;
    float scale = 1.0f;
};

class PanelDisplay {
public:
    PanelDisplay();
    ~PanelDisplay();
    PanelDisplay(const PanelDisplay&) = delete;
    PanelDisplay& operator=(const PanelDisplay&) = delete;

    // The content or style picture (RGB), sent whole.
    void show_picture(Picture which, const Image& rgb);
    // The result, RGBA8 [height, width, 4] on the CPU or a CUDA device (see ResultUpload).
    void show_result(const at::Tensor& rgba, const std::function<const at::Tensor&()>& host_copy);
    // The mask (width * height floats in 0..1) at `generation`. `changed`: the region changed
    // since mask_generation(), when known; otherwise the whole mask is sent. Returns the pixels sent.
    std::size_t show_mask(const float* values, int width, int height, std::uint64_t generation,
                          std::optional<PixelRegion> changed);
    std::uint64_t mask_generation() const { return mask_generation_; }  // 0: none sent yet
    bool has_mask() const { return mask_.valid(); }

    bool has_picture(Picture which) const { return texture(which).valid(); }
    int picture_width(Picture which) const { return texture(which).width(); }
    int picture_height(Picture which) const { return texture(which).height(); }
    // Changes with every picture sent to `which` (histograms are recomputed only then).
    std::uint64_t picture_generation(Picture which) const { return generations_[int(which)]; }
    const std::string& upload_route() const { return result_upload_.route(); }
    // 1 when `which` is drawn from a texture of its full size; below 1 when it is beyond the GL
    // texture limit and drawn from a copy scaled down by that factor (display/texture_fit.h).
    float shown_scale(Picture which) const { return shown_scales_[int(which)]; }
    int max_texture_side();  // GL_MAX_TEXTURE_SIZE (asked once)

    // Forgets the draws queued in the last frame; call once per frame before queue().
    void begin_frame();
    // Adds the panel to `list` as a draw callback: drawn when ImGui renders, in order with the
    // rest of the UI and clipped to the list's current clip rectangle.
    void queue(ImDrawList* list, const PanelDraw& draw);
    // Draws into the current framebuffer now (tests, benchmarks): `area` fills its viewport.
    void draw_now(const PanelDraw& draw, const DisplayArea& area, int framebuffer_w, int framebuffer_h);
    // Compiles and links the plain panel shader if not done yet; throws nt::Error with the GL log.
    void prepare();
    // Waits until the GL commands issued so far are done (benchmarks).
    void finish();
    // Why a panel could not be drawn (a shader variant this driver refuses), once per failure,
    // for the message bar; empty while all is well. Such a panel stays empty, and the variant is
    // not compiled again.
    std::string take_failure();

private:
    const gl::Rgba8Texture& texture(Picture which) const;
    void draw(const PanelDraw& draw, const DisplayArea& area);
    struct Variant;
    const Variant* variant(unsigned features);  // nullptr: it does not build here
    static void on_callback(const ImDrawList* list, const ImDrawCmd* command);

    gl::Rgba8Texture textures_[kPictureCount];
    std::uint64_t generations_[kPictureCount] = {0, 0, 0};
    float shown_scales_[kPictureCount] = {1.0f, 1.0f, 1.0f};
    int max_texture_side_ = 0;
    ResultUpload result_upload_;
    MaskTexture mask_;
    std::uint64_t mask_generation_ = 0;
    std::map<unsigned, std::unique_ptr<Variant>> variants_;  // compiled on first use; null: failed
    unsigned vertex_array_ = 0;                              // empty: the quad comes from gl_VertexID
    struct Queued {
        PanelDisplay* display;
        PanelDraw draw;
    };
    std::deque<Queued> queued_;  // this frame's callbacks point into it (a deque never moves them)
    std::string unreported_failure_;
};

}  // namespace nt::display
