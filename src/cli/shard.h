#pragma once
// Splitting a batch between N processes (cluster job arrays, GNU parallel across hosts): shard K
// of N takes a contiguous range of the batch's items in its planned order, so N processes that
// each run one shard write disjoint outputs whose union is the whole batch. The split depends only
// on the number of items (the planned, name-sorted list), never on what already exists on disk.
// docs/BATCH.md documents the semantics.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace nt {

struct Shard {
    std::int64_t index = 0;  // K, from 0
    std::int64_t count = 1;  // N; 1: the whole batch
    std::string source;      // where it came from ("--shard", "SLURM_ARRAY_TASK_ID", ...), for messages
    std::string text() const { return std::to_string(index) + "/" + std::to_string(count); }
};

// What the command line said: --shard K/N and/or --shard-count N (the index from the environment).
struct ShardRequest {
    std::optional<std::string> spec;
    std::optional<std::string> count;
};

// The environment as a lookup (nullptr: unset), so that tests can give their own.
using EnvLookup = std::function<const char*(const char*)>;

// "K/N" with 0 <= K < N, both plain decimal numbers. Throws nt::Error naming the option.
Shard parse_shard_spec(const std::string& text);

// The shard of this process: --shard K/N; else --shard-count N with the index from Kubernetes'
// JOB_COMPLETION_INDEX or Slurm's array variables; else, without either option, Slurm's array
// (index SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, divided by SLURM_ARRAY_TASK_STEP, of
// SLURM_ARRAY_TASK_COUNT); else the whole batch. Throws nt::Error (a usage error) for malformed or
// inconsistent values, naming the option or variable.
Shard resolve_shard(const ShardRequest& request, const EnvLookup& env);

// Items [begin, end) of `total` that `shard` takes: begin = floor(K * total / N).
struct ItemRange {
    std::int64_t begin = 0, end = 0;
    bool contains(std::int64_t i) const { return i >= begin && i < end; }
};
ItemRange shard_range(std::int64_t total, const Shard& shard);

}  // namespace nt
