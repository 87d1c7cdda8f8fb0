// Shards of a batch (cli/shard.h): the K/N syntax, the job-array environments, and the ranges.
#include <gtest/gtest.h>

#include <map>

#include "cli/shard.h"
#include "base/error.h"

namespace nt {
namespace {

// An environment of its own for each test.
EnvLookup env_of(const std::map<std::string, std::string>& vars) {
    return [vars](const char* name) -> const char* {
        const auto it = vars.find(name);
        return it == vars.end() ? nullptr : it->second.c_str();
    };
}

std::string error_of(const ShardRequest& request, const std::map<std::string, std::string>& vars) {
    try {
        resolve_shard(request, env_of(vars));
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(Shard, ParsesKOfNFromZero) {
    const Shard s = parse_shard_spec("2/5");
    EXPECT_EQ(s.index, 2);
    EXPECT_EQ(s.count, 5);
    EXPECT_EQ(s.text(), "2/5");
    EXPECT_EQ(parse_shard_spec("0/1").count, 1);
}

TEST(Shard, RefusesMalformedOrOutOfRangeValues) {
    for (const char* bad : {"5/5", "6/5", "0/0", "1", "/4", "1/", "-1/4", "1/-4", "a/4", "1/4x", " 1/4", "1.0/4",
                            "1/4/2", "0/99999999", "+1/4", ""}) {
        EXPECT_THROW(parse_shard_spec(bad), Error) << bad;
    }
    try {
        parse_shard_spec("4/4");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("count from 0 to N-1"), std::string::npos) << e.what();
    }
}

TEST(Shard, WithoutOptionsOrEnvironmentItIsTheWholeBatch) {
    const Shard s = resolve_shard({}, env_of({}));
    EXPECT_EQ(s.index, 0);
    EXPECT_EQ(s.count, 1);
}

TEST(Shard, SlurmArraysFromZeroOrOneOrWithAStep) {
    // sbatch --array=0-3
    Shard s = resolve_shard(
        {}, env_of({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "0"}}));
    EXPECT_EQ(s.text(), "3/4");
    EXPECT_EQ(s.source, "SLURM_ARRAY_TASK_ID");
    // sbatch --array=1-4: task 1 is the first shard, task 4 the last
    s = resolve_shard(
        {}, env_of({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}}));
    EXPECT_EQ(s.text(), "0/4");
    s = resolve_shard(
        {}, env_of({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}}));
    EXPECT_EQ(s.text(), "3/4");
    // sbatch --array=10-16:3 -> tasks 10, 13, 16
    s = resolve_shard({}, env_of({{"SLURM_ARRAY_TASK_ID", "13"},
                                  {"SLURM_ARRAY_TASK_COUNT", "3"},
                                  {"SLURM_ARRAY_TASK_MIN", "10"},
                                  {"SLURM_ARRAY_TASK_STEP", "3"}}));
    EXPECT_EQ(s.text(), "1/3");
    // An explicit --shard wins over the environment.
    ShardRequest explicit_shard;
    explicit_shard.spec = "0/2";
    s = resolve_shard(explicit_shard, env_of({{"SLURM_ARRAY_TASK_ID", "garbage"}}));
    EXPECT_EQ(s.text(), "0/2");
}

TEST(Shard, BadSlurmValuesAreErrorsNamingTheVariable) {
    const std::map<std::string, std::string> ok = {
        {"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}};
    auto with = [&](const std::string& name, const std::string& value) {
        auto vars = ok;
        vars[name] = value;
        return vars;
    };
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_ID", "x1")).find("SLURM_ARRAY_TASK_ID=x1"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_ID", "")).find("SLURM_ARRAY_TASK_ID"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_COUNT", "0")).find("SLURM_ARRAY_TASK_COUNT"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_COUNT", "-2")).find("SLURM_ARRAY_TASK_COUNT"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_ID", "0")).find("not in the array"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_ID", "5")).find("not below the count"), std::string::npos);
    EXPECT_NE(error_of({}, with("SLURM_ARRAY_TASK_STEP", "0")).find("SLURM_ARRAY_TASK_STEP"), std::string::npos);
    EXPECT_NE(error_of({}, {{"SLURM_ARRAY_TASK_ID", "1"}}).find("SLURM_ARRAY_TASK_COUNT is not"), std::string::npos);
}

TEST(Shard, KubernetesIndexWithAGivenCount) {
    ShardRequest request;
    request.count = "4";
    EXPECT_EQ(resolve_shard(request, env_of({{"JOB_COMPLETION_INDEX", "2"}})).text(), "2/4");
    EXPECT_EQ(resolve_shard(request, env_of({{"JOB_COMPLETION_INDEX", "2"}})).source, "JOB_COMPLETION_INDEX");
    EXPECT_NE(error_of(request, {{"JOB_COMPLETION_INDEX", "4"}}).find("JOB_COMPLETION_INDEX=4"), std::string::npos);
    EXPECT_NE(error_of(request, {{"JOB_COMPLETION_INDEX", "two"}}).find("JOB_COMPLETION_INDEX"), std::string::npos);
    EXPECT_NE(error_of(request, {}).find("needs JOB_COMPLETION_INDEX"), std::string::npos);
    // The count with a Slurm array must agree with it.
    EXPECT_EQ(resolve_shard(request, env_of({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})).text(),
              "3/4");
    EXPECT_NE(error_of(request, {{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}).find("differs"),
              std::string::npos);
    request.count = "0";
    EXPECT_NE(error_of(request, {{"JOB_COMPLETION_INDEX", "0"}}).find("--shard-count 0"), std::string::npos);
    request.spec = "0/4";
    request.count = "4";
    EXPECT_NE(error_of(request, {}).find("cannot be combined"), std::string::npos);
}

TEST(Shard, RangesAreDisjointAndCoverEveryItem) {
    for (std::int64_t total : {0, 1, 2, 7, 10, 11, 1000})
        for (std::int64_t n : {1, 2, 3, 4, 7, 16}) {
            std::int64_t next = 0;
            for (std::int64_t k = 0; k < n; ++k) {
                const ItemRange r = shard_range(total, {k, n, ""});
                EXPECT_EQ(r.begin, next) << total << " " << k << "/" << n;
                EXPECT_LE(r.begin, r.end);
                // Balanced: sizes differ by at most one.
                EXPECT_LE(r.end - r.begin, total / n + 1);
                EXPECT_GE(r.end - r.begin, total / n);
                next = r.end;
            }
            EXPECT_EQ(next, total);
        }
}

}  // namespace
}  // namespace nt
