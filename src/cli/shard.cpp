#include "cli/shard.h"

#include "base/error.h"

namespace nt {

namespace {

// Shard indices and counts stay far below this, so K * total never overflows.
constexpr std::int64_t kMaxShards = 1'000'000;

// A plain decimal number 0..kMaxShards (no sign, no spaces, no exponent); nullopt otherwise.
std::optional<std::int64_t> whole_number(const std::string& text) {
    if (text.empty() || text.size() > 7) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > kMaxShards) return std::nullopt;
    return value;
}

std::int64_t number_from(const std::string& subject, const char* text, const char* what) {
    const std::optional<std::int64_t> value = whole_number(text ? text : "");
    if (!value) throw Error(subject + "=" + (text ? text : ""), std::string("expected ") + what);
    return *value;
}

std::int64_t count_from(const std::string& subject, const std::string& text) {
    const std::optional<std::int64_t> n = whole_number(text);
    if (!n || *n == 0) throw Error(subject, "expected a shard count from 1 to " + std::to_string(kMaxShards));
    return *n;
}

Shard checked(Shard shard, const std::string& subject) {
    if (shard.index >= shard.count)
        throw Error(subject, "shard index " + std::to_string(shard.index) + " is not below the count " +
                                 std::to_string(shard.count) + " (indices count from 0 to N-1)");
    return shard;
}

// Slurm's array task as a shard: its position in the array (ID - MIN) / STEP of COUNT tasks.
// nullopt when SLURM_ARRAY_TASK_ID is not set.
std::optional<Shard> slurm_shard(const EnvLookup& env) {
    const char* id_text = env("SLURM_ARRAY_TASK_ID");
    if (!id_text) return std::nullopt;
    const std::int64_t id = number_from("SLURM_ARRAY_TASK_ID", id_text, "a whole number");
    const char* count_text = env("SLURM_ARRAY_TASK_COUNT");
    if (!count_text) throw Error("SLURM_ARRAY_TASK_ID", "is set but SLURM_ARRAY_TASK_COUNT is not");
    const std::int64_t count = number_from("SLURM_ARRAY_TASK_COUNT", count_text, "a count from 1");
    const char* min_text = env("SLURM_ARRAY_TASK_MIN");
    const std::int64_t min = min_text ? number_from("SLURM_ARRAY_TASK_MIN", min_text, "a whole number") : 0;
    const char* step_text = env("SLURM_ARRAY_TASK_STEP");
    const std::int64_t step = step_text ? number_from("SLURM_ARRAY_TASK_STEP", step_text, "a step from 1") : 1;
    if (count == 0) throw Error("SLURM_ARRAY_TASK_COUNT=0", "expected a count from 1");
    if (step == 0) throw Error("SLURM_ARRAY_TASK_STEP=0", "expected a step from 1");
    const std::string subject = "SLURM_ARRAY_TASK_ID=" + std::string(id_text);
    if (id < min || (id - min) % step != 0)
        throw Error(subject, "is not in the array " + std::to_string(min) + "-...:" + std::to_string(step) +
                                 " (an irregular --array list: give --shard K/N)");
    return checked({(id - min) / step, count, "SLURM_ARRAY_TASK_ID"}, subject + " of " + std::to_string(count));
}

}  // namespace

Shard parse_shard_spec(const std::string& text) {
    const std::string subject = "--shard " + text;
    const auto slash = text.find('/');
    if (slash == std::string::npos) throw Error(subject, "expected K/N, e.g. 0/4 (shard K of N, K from 0)");
    const std::optional<std::int64_t> index = whole_number(text.substr(0, slash));
    if (!index) throw Error(subject, "expected K/N with K a whole number from 0");
    return checked({*index, count_from(subject, text.substr(slash + 1)), "--shard"}, subject);
}

Shard resolve_shard(const ShardRequest& request, const EnvLookup& env) {
    if (request.spec && request.count) throw Error("--shard-count", "cannot be combined with --shard K/N");
    if (request.spec) return parse_shard_spec(*request.spec);
    if (request.count) {
        const std::string subject = "--shard-count " + *request.count;
        const std::int64_t count = count_from(subject, *request.count);
        if (const char* index = env("JOB_COMPLETION_INDEX")) {
            const std::string var = std::string("JOB_COMPLETION_INDEX=") + index;
            const std::int64_t k = number_from("JOB_COMPLETION_INDEX", index, "a whole number");
            return checked({k, count, "JOB_COMPLETION_INDEX"}, var + " with " + subject);
        }
        const std::optional<Shard> slurm = slurm_shard(env);
        if (!slurm) throw Error(subject, "needs JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID in the environment");
        if (slurm->count != count)
            throw Error(subject, "differs from SLURM_ARRAY_TASK_COUNT=" + std::to_string(slurm->count));
        return *slurm;
    }
    if (std::optional<Shard> slurm = slurm_shard(env)) return *slurm;
    return {};
}

ItemRange shard_range(std::int64_t total, const Shard& shard) {
    return {shard.index * total / shard.count, (shard.index + 1) * total / shard.count};
}

}  // namespace nt
