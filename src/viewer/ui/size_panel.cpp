#include "viewer/ui/size_panel.h"

#include <imgui.h>

#include <cfloat>
#include <cstdio>
#include <functional>
#include <utility>

#include "base/device.h"
#include "base/limits.h"
#include "viewer/ui/panel_widgets.h"

namespace nt::viewer {

namespace {

const char* preset_label(SizePreset p, bool keep_aspect) {
    switch (p) {
        case SizePreset::Side256: return keep_aspect ? "256 longest side" : "256 \xC3\x97 256";
        case SizePreset::Side512:
            return keep_aspect ? "512 longest side" : "512 \xC3\x97 512 square (the original script's size)";
        case SizePreset::Side1024: return keep_aspect ? "1024 longest side" : "1024 \xC3\x97 1024";
        case SizePreset::Original: return "Original size";
        case SizePreset::Custom: return "Custom";
    }
    return "";
}

bool tab_pressed() {
#if IMGUI_VERSION_NUM >= 18700
    return ImGui::IsKeyPressed(ImGuiKey_Tab, false);
#else
    return ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab), false);
#endif
}

// "label [value]": commits on Enter or when the field loses focus. A value that gives a working
// size beyond the limits is refused: `committed` keeps its value and `error` says why. Tab in it
// sets `tabbed` (the sidebar has no ImGui tabbing: Tab alone is the hide-UI key).
void size_field(const char* label, const char* id, float width, NumberFieldEdit& edit, int& committed,
                const std::function<std::optional<std::string>(int)>& check, std::optional<std::string>& error,
                bool focus, bool& tabbed) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine();
    if (!edit.editing) edit.value = committed;
    ImGui::SetNextItemWidth(width - ImGui::CalcTextSize(label).x - ImGui::GetStyle().ItemSpacing.x);
    if (focus) ImGui::SetKeyboardFocusHere();
    ImGui::InputInt(id, &edit.value, 0, 0);
    if (ImGui::IsItemActivated()) edit.editing = true;
    if (ImGui::IsItemActive() && tab_pressed()) tabbed = true;
    if (!ImGui::IsItemDeactivated()) return;
    edit.editing = false;
    if (!ImGui::IsItemDeactivatedAfterEdit() || edit.value == committed) return;
    if (std::optional<std::string> problem = check(edit.value)) error = *problem;
    else committed = edit.value;
}

}  // namespace

void size_controls(ControlValues& c, const ImageSlot& content, ControlsPanelState& fields, ControlsActions& a,
                   std::map<std::string, Rect>& rects) {
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::BeginCombo("##size", preset_label(c.size_preset, c.keep_aspect))) {
        for (SizePreset p :
             {SizePreset::Side256, SizePreset::Side512, SizePreset::Side1024, SizePreset::Original, SizePreset::Custom})
            if (ImGui::Selectable(preset_label(p, c.keep_aspect), p == c.size_preset) && p != c.size_preset) {
                c.size_preset = p;
            }
        ImGui::EndCombo();
    }
    record(rects, "size.preset");
    ImGui::BeginDisabled(c.size_preset == SizePreset::Original);
    ImGui::Checkbox("Keep aspect", &c.keep_aspect);
    ImGui::EndDisabled();
    tooltip("Scale the longest side to the size instead of squashing to a square.");
    std::string size_error;
    if (content.loaded()) {
        // The resulting working size, right-aligned on the same row.
        try {
            const Size2 s = working_size(size_spec(c), {content.image.width, content.image.height});
            char text[64];
            std::snprintf(text, sizeof text, "%d \xC3\x97 %d", s.width, s.height);
            ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(text).x);
            ImGui::TextDisabled("%s", text);
            tooltip("The working size: what the method computes and the result's size.");
        } catch (const std::exception& e) {
            size_error = e.what();
        }
    }
    if (c.size_preset == SizePreset::Custom) {
        // A typed side is checked against the limits with the content it will be applied to.
        auto check = [&](bool width_field) {
            return [&c, &content, width_field](int v) -> std::optional<std::string> {
                ControlValues trial = c;
                (width_field ? trial.custom_width : trial.custom_height) = v;
                const char* name = c.keep_aspect ? "Longest side" : (width_field ? "Width" : "Height");
                const std::string kept = std::to_string(width_field ? c.custom_width : c.custom_height);
                if (v < 1 || v > kMaxImageSide)
                    return std::string(name) + " " + std::to_string(v) + " refused: it must be 1.." +
                           std::to_string(kMaxImageSide) + " (kept " + kept + ")";
                try {
                    if (content.loaded()) working_size(size_spec(trial), {content.image.width, content.image.height});
                } catch (const std::exception& e) {
                    return std::string(name) + " " + std::to_string(v) + " refused: " + e.what() + " (kept " + kept +
                           ")";
                }
                return std::nullopt;
            };
        };
        const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
        // Tab moves between W and H (either way), applying the one left; the focus request is
        // carried out the next frame, when the field it names is drawn.
        const int focus = std::exchange(fields.focus_size_field, -1);
        bool w_tabbed = false, h_tabbed = false;
        size_field(c.keep_aspect ? "Long side" : "W", "##w", c.keep_aspect ? half * 2 : half, fields.custom_width,
                   c.custom_width, check(true), a.size_error, focus == 0, w_tabbed);
        record(rects, "size.width");
        tooltip("Press Enter, Tab or click elsewhere to apply.");
        if (!c.keep_aspect) {
            ImGui::SameLine();
            size_field("H", "##h", half, fields.custom_height, c.custom_height, check(false), a.size_error, focus == 1,
                       h_tabbed);
            record(rects, "size.height");
            tooltip("Press Enter, Tab or click elsewhere to apply.");
            if (w_tabbed) fields.focus_size_field = 1;
            if (h_tabbed) fields.focus_size_field = 0;
        }
    }
    if (!size_error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.45f, 1.0f));
        ImGui::TextWrapped("%s", size_error.c_str());
        ImGui::PopStyleColor();
    }
}

void device_controls(ControlValues& c) {
    if (ImGui::RadioButton("CPU", c.device == DeviceChoice::Cpu) && c.device != DeviceChoice::Cpu) {
        c.device = DeviceChoice::Cpu;
    }
    ImGui::SameLine();
    const bool cuda = cuda_available();
    ImGui::BeginDisabled(!cuda);
    if (ImGui::RadioButton("CUDA", c.device == DeviceChoice::Cuda) && c.device != DeviceChoice::Cuda) {
        c.device = DeviceChoice::Cuda;
    }
    ImGui::EndDisabled();
    if (!cuda) {
        const std::string reason = cuda_unavailable_reason();
        tooltip(reason);
        ImGui::SameLine();
        ImGui::TextDisabled("unavailable (?)");
        tooltip(reason);
    }
}

void precision_controls(ControlValues& c) {
    const c10::Device device = c.device == DeviceChoice::Cuda ? c10::Device(c10::kCUDA) : c10::Device(c10::kCPU);
    const bool bf16 = device.is_cuda() || cpu_bf16_support().any();
    struct Choice {
        Precision value;
        std::string label;
        bool enabled;
        const char* why;
    };
    const Choice choices[] = {
        {Precision::Auto, "Auto (" + precision_label(Precision::Auto, device) + ")", true,
         "bf16 on CPUs with AVX512-BF16 or AMX (about 2x faster there), fp32 on other CPUs, fp16 on CUDA. "
         "Norm statistics stay fp32 in every format."},
        {Precision::Fp32, "FP32", true, "Full float32: the reference the other formats are measured against."},
        {Precision::Bf16, "BF16", bf16,
         bf16 ? "bfloat16 convolutions, fp32 statistics."
              : "This CPU has no native bf16: it would be emulated, slower than fp32."},
    };
    const Choice* current = &choices[0];
    for (const Choice& ch : choices)
        if (ch.value == c.precision) current = &ch;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Networks");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::BeginCombo("##precision", current->label.c_str())) {
        for (const Choice& ch : choices) {
            ImGui::BeginDisabled(!ch.enabled);
            if (ImGui::Selectable(ch.label.c_str(), ch.value == c.precision)) c.precision = ch.value;
            ImGui::EndDisabled();
            tooltip(ch.why);
        }
        ImGui::EndCombo();
    }
    tooltip("The number format of the networks: fast style, AdaIN, TorchScript models and Gatys' VGG (fp32 on CUDA).");
}

}  // namespace nt::viewer
