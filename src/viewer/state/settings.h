#pragma once
// The settings file: the last pictures, control values, recent files and window size, restored at
// the next start. Plain "key=value" lines; '#' starts a comment. Unknown keys are skipped (a newer
// viewer may have written them); a malformed line or an out-of-range value makes the whole file
// count as corrupt: the caller reports it and starts from defaults, never fails.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "viewer/state/viewer_state.h"

namespace nt::viewer {

struct ViewerSettings {
    std::string content_path;
    std::string style_path;
    ControlValues controls = default_controls();
    std::vector<std::string> recent_files;
    bool wipe_enabled = false;
    bool mask_overlay = true;  // the mask's pixels themselves are never saved
    bool show_ui = true;
    int window_width = 0;  // 0: not recorded
    int window_height = 0;
    // The painted mask, kept beside the settings (kMaskFileName) for this content picture.
    std::string mask_content;  // the content path it was painted on; empty: no mask kept
    bool mask_enabled = false;
    std::string export_dir;  // where Ctrl+S, F12 and the mask's Save write ("" = the current folder)
    std::string models_dir;  // the models folder chosen in the window ("" = the default)
};

std::string format_settings(const ViewerSettings& settings);
// Each malformed line or invalid value is skipped and described ("line N: reason") in `problems`;
// without `problems` the first one throws nt::Error with that text instead.
ViewerSettings parse_settings(const std::string& text, std::vector<std::string>* problems = nullptr);

// $XDG_CONFIG_HOME/neuraltransfer, else $HOME/.config/neuraltransfer; empty when neither is set.
std::filesystem::path settings_dir();
inline const char* kSettingsFileName = "viewer.conf";
inline const char* kImGuiLayoutFileName = "imgui.ini";
inline const char* kMaskFileName = "mask.png";

struct LoadedSettings {
    std::optional<ViewerSettings> settings;  // nullopt when the file is absent or unreadable
    std::vector<std::string> problems;       // "line N: reason" for each line skipped
    std::string error;                       // "<path>: reason" when it could not be read at all
    bool damaged() const { return !error.empty() || !problems.empty(); }
};
LoadedSettings load_settings_file(const std::filesystem::path& path);
// Keeps the file at `path` as it is under a new name beside it ("viewer.conf.bad", then
// "viewer.conf.bad-2", ...; never replacing one), so that rewriting `path` loses nothing.
// Returns the name used; throws nt::Error naming `path` when no copy could be made.
std::filesystem::path keep_copy(const std::filesystem::path& path);
// Creates the folder; writes atomically. Throws nt::Error naming the path.
void save_settings_file(const std::filesystem::path& path, const ViewerSettings& settings);

// Small file helpers shared with the ImGui layout file.
std::optional<std::string> read_text_file(const std::filesystem::path& path);  // nullopt: absent
void write_text_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace nt::viewer
