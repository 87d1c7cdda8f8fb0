#include "viewer/state/viewer_state.h"
#include "stylize/registry.h"

#include <algorithm>
#include <utility>

namespace nt::viewer {

namespace {

int preset_side(SizePreset preset) {
    switch (preset) {
        case SizePreset::Side256: return 256;
        case SizePreset::Side512: return 512;
        case SizePreset::Side1024: return 1024;
        default: return 0;
    }
}

}  // namespace

bool ControlValues::operator==(const ControlValues& o) const {
    return method == o.method && params == o.params && size_preset == o.size_preset && keep_aspect == o.keep_aspect &&
           custom_width == o.custom_width && custom_height == o.custom_height && device == o.device &&
           precision == o.precision && preserve_colors == o.preserve_colors && feather_px == o.feather_px &&
           brush_size == o.brush_size && brush_hardness == o.brush_hardness && models == o.models &&
           segmentation_model == o.segmentation_model && extra_style_weight == o.extra_style_weight;
}

ControlValues default_controls() {
    ControlValues c;
    const auto& registry = method_registry();
    if (!registry.empty()) c.method = registry.front()->info().name;
    for (const auto& method : registry) c.params[method->info().name] = default_params(method->info());
    return c;
}

SizeSpec size_spec(const ControlValues& c) {
    SizeSpec spec;
    switch (c.size_preset) {
        case SizePreset::Original: spec.mode = SizeSpec::Mode::Original; return spec;
        case SizePreset::Custom:
            if (c.keep_aspect) {
                spec.mode = SizeSpec::Mode::LongestSide;
                spec.width = spec.height = c.custom_width;
            } else {
                spec.mode = SizeSpec::Mode::Exact;
                spec.width = c.custom_width;
                spec.height = c.custom_height;
            }
            return spec;
        default: {
            const int side = preset_side(c.size_preset);
            spec.mode = c.keep_aspect ? SizeSpec::Mode::LongestSide : SizeSpec::Mode::Square;
            spec.width = spec.height = side;
            return spec;
        }
    }
}

void set_size_spec(ControlValues& c, const SizeSpec& spec) {
    switch (spec.mode) {
        case SizeSpec::Mode::Original: c.size_preset = SizePreset::Original; return;
        case SizeSpec::Mode::Exact:
            if (spec.width == spec.height) break;  // NxN is a square: a preset may match
            c.size_preset = SizePreset::Custom;
            c.keep_aspect = false;
            c.custom_width = spec.width;
            c.custom_height = spec.height;
            return;
        default: break;
    }
    const bool keep = spec.mode == SizeSpec::Mode::LongestSide;
    for (SizePreset p : {SizePreset::Side256, SizePreset::Side512, SizePreset::Side1024}) {
        if (preset_side(p) == spec.width) {
            c.size_preset = p;
            c.keep_aspect = keep;
            return;
        }
    }
    c.size_preset = SizePreset::Custom;
    c.keep_aspect = keep;
    c.custom_width = c.custom_height = spec.width;
}

const MethodInfo& current_method_info(const ControlValues& c) { return method_by_name(c.method).info(); }

std::string current_model(const ControlValues& c) {
    const auto it = c.models.find(c.method);
    return it == c.models.end() ? std::string() : it->second;
}

ParamValues current_params(const ControlValues& c) {
    const MethodInfo& info = current_method_info(c);
    ParamValues values = default_params(info);
    const auto it = c.params.find(c.method);
    if (it != c.params.end())
        for (const auto& [name, value] : it->second)
            if (values.count(name)) values[name] = value;
    return values;
}

void remember_recent(std::vector<std::string>& recent, const std::string& path) {
    if (path.empty()) return;
    recent.erase(std::remove(recent.begin(), recent.end(), path), recent.end());
    recent.insert(recent.begin(), path);
    if (recent.size() > kMaxRecentFiles) recent.resize(kMaxRecentFiles);
}

void ViewerState::set_image(ImageSlot& slot, const std::string& path, Image image) {
    slot.path = path;
    slot.image = std::move(image);
    slot.generation = next_generation_++;
    remember_recent(recent_files, path);
}

void ViewerState::swap_images() {
    std::swap(content, style);
    // Both slots now hold different pictures than the pipeline saw in them.
    content.generation = next_generation_++;
    style.generation = next_generation_++;
}

PipelineInputs ViewerState::pipeline_inputs() const {
    PipelineInputs in;
    in.content_generation = content.generation;
    in.style_generation = style.generation;
    in.size = size_spec(controls);
    in.device = controls.device;
    in.precision = controls.precision;
    in.method = controls.method;
    in.params = current_params(controls);
    in.preserve_colors = controls.preserve_colors;
    in.model = current_model(controls);
    if (uses_extra_style()) {
        in.extra_style_generation = extra_style.generation;
        in.extra_style_weight = controls.extra_style_weight;
    }
    // The networks and the iterative methods (a run of seconds) preview while a control is held.
    const MethodInfo& info = method_by_name(controls.method).info();
    in.preview = interacting && (info.needs_model || info.iterative);
    if (mask_enabled) {
        in.mask_generation = mask.generation();
        in.feather_px = controls.feather_px;
    }
    return in;
}

bool ViewerState::uses_extra_style() const {
    return current_method_info(controls).max_styles >= 2 && extra_style.loaded();
}

std::optional<Size2> ViewerState::expected_working_size() const {
    if (!content.loaded()) return std::nullopt;
    try {
        return working_size(size_spec(controls), {content.image.width, content.image.height});
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

void ViewerState::fit_mask() {
    if (const auto size = expected_working_size()) mask.fit_to(size->width, size->height);
}

}  // namespace nt::viewer
