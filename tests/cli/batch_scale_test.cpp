// Batch at scale (docs/BATCH.md) with the real command in several processes: shards run side by
// side give exactly the outputs of one whole run, a run killed half-way and rerun with
// --skip-existing ends with the same outputs and redoes nothing, and the report's lines.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_test_support.h"
#include "support/temp_dir.h"
#include "support/test_images.h"

extern char** environ;

namespace nt {
namespace {

namespace fs = std::filesystem;

// Starts the command with `args` and the test's environment without any job-array variable, plus
// `env`; stdout and stderr go to `log`. posix_spawn, not fork: this process has LibTorch's threads.
pid_t spawn_cli(std::vector<std::string> args, const std::vector<std::string>& env, const fs::path& log) {
    args.insert(args.begin(), NT_CLI_PATH);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_copy;
    for (char** e = environ; *e; ++e) {
        const std::string var = *e;
        if (var.rfind("SLURM_", 0) != 0 && var.rfind("JOB_COMPLETION_INDEX=", 0) != 0) env_copy.push_back(var);
    }
    env_copy.insert(env_copy.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (std::string& e : env_copy) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, NT_CLI_PATH, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// The exit status, or 128 + the signal.
int wait_for(pid_t pid) {
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string text_of(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Every file of a folder with its bytes.
std::map<std::string, test::Bytes> contents_of(const fs::path& folder) {
    std::map<std::string, test::Bytes> files;
    for (const std::string& name : test::folder_entries(folder)) files[name] = test::read_bytes(folder / name);
    return files;
}

std::vector<nlohmann::json> report_lines(const fs::path& path) {
    std::vector<nlohmann::json> lines;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
}

// Seven contents (one of them not a picture) and two styles: 14 pairs, 12 of them good.
class BatchScale : public ::testing::Test {
protected:
    test::TempDir dir;
    fs::path contents = dir / "contents", styles = dir / "styles";
    std::vector<std::string> common;

    void SetUp() override {
        fs::create_directory(contents);
        fs::create_directory(styles);
        for (int i = 0; i < 6; ++i)
            save_image(test::make_pattern(40 + i, 30, i), contents / ("c" + std::to_string(i) + ".png"));
        test::write_text(contents / "c6_broken.jpg", "not a picture");
        save_image(test::make_pattern(32, 32, 10), styles / "s0.png");
        save_image(test::make_pattern(24, 36, 11), styles / "s1.png");
        common = {contents.string(), styles.string(), "--format", "png", "--size", "32", "-q"};
    }

    // One whole run into `out` (the reference).
    int whole_run(const fs::path& out, std::vector<std::string> extra = {}) {
        const pid_t pid = spawn_cli(test::plus(test::plus(common, {"-o", out.string()}), extra), {}, dir / "whole.log");
        return wait_for(pid);
    }
};

TEST_F(BatchScale, ShardsSideBySideGiveTheWholeRunByteForByte) {
    ASSERT_EQ(whole_run(dir / "whole"), kExitFailed) << text_of(dir / "whole.log");  // the broken content
    const auto whole = contents_of(dir / "whole");
    ASSERT_EQ(whole.size(), 12u);
    // --shard K/N, a Slurm array from 1 (--array=1-3) and a Kubernetes Indexed Job, 3 processes each.
    const std::vector<std::vector<std::string>> ways = {{}, {"SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_COUNT=3"}, {}};
    for (int way = 0; way < 3; ++way) {
        const fs::path out = dir / ("sharded" + std::to_string(way));
        std::vector<pid_t> pids;
        for (int k = 0; k < 3; ++k) {
            const fs::path report = dir / ("report" + std::to_string(way) + "_" + std::to_string(k) + ".jsonl");
            std::vector<std::string> args = test::plus(common, {"-o", out.string(), "--report", report.string()});
            std::vector<std::string> env = ways[way];
            if (way == 0) args = test::plus(args, {"--shard", std::to_string(k) + "/3"});
            if (way == 1) env.push_back("SLURM_ARRAY_TASK_ID=" + std::to_string(k + 1));
            if (way == 2) {
                args = test::plus(args, {"--shard-count", "3"});
                env.push_back("JOB_COMPLETION_INDEX=" + std::to_string(k));
            }
            pids.push_back(spawn_cli(args, env, dir / ("shard" + std::to_string(k) + ".log")));
            ASSERT_GT(pids.back(), 0);
        }
        std::set<std::string> written, plans;
        int items = 0;
        for (int k = 0; k < 3; ++k) {
            const int code = wait_for(pids[std::size_t(k)]);
            // Only the shard with the broken picture fails.
            const fs::path log = dir / ("shard" + std::to_string(k) + ".log");
            EXPECT_TRUE(code == kExitOk || code == kExitFailed) << text_of(log);
            for (const nlohmann::json& line :
                 report_lines(dir / ("report" + std::to_string(way) + "_" + std::to_string(k) + ".jsonl"))) {
                EXPECT_EQ(line["shard"], std::to_string(k) + "/3");
                plans.insert(line["plan"].get<std::string>());
                ++items;
                if (line["status"] == "ok") {
                    EXPECT_TRUE(written.insert(line["output"].get<std::string>()).second) << "written twice: " << line;
                }
            }
        }
        EXPECT_EQ(items, 14) << "way " << way;  // every pair in exactly one shard
        EXPECT_EQ(written.size(), 12u);
        EXPECT_EQ(plans.size(), 1u) << "the shards saw different plans";
        EXPECT_EQ(contents_of(out), whole) << "way " << way;
    }
}

TEST_F(BatchScale, BadShardValuesAreUsageErrorsOfOneLine) {
    const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> cases = {
        {{"--shard", "3/3"}, {}},
        {{"--shard", "0/0"}, {}},
        {{"--shard-count", "3"}, {}},
        {{}, {"SLURM_ARRAY_TASK_ID=two", "SLURM_ARRAY_TASK_COUNT=3"}},
        {{}, {"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_MIN=0"}},
        {{"--shard-count", "3"}, {"JOB_COMPLETION_INDEX=-1"}},
    };
    for (const auto& [args, env] : cases) {
        const pid_t pid =
            spawn_cli(test::plus(test::plus(common, {"-o", (dir / "none").string()}), args), env, dir / "bad.log");
        EXPECT_EQ(wait_for(pid), kExitUsage) << text_of(dir / "bad.log");
        const std::string log = text_of(dir / "bad.log");
        EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;
        EXPECT_FALSE(fs::exists(dir / "none"));
    }
    // A single pair takes no shard option (a job array's task may run one picture: its
    // environment is not looked at then).
    const fs::path one = contents / "c0.png", style = styles / "s0.png";
    const std::string x = (dir / "x.png").string();
    EXPECT_EQ(test::run_cli_captured({one.string(), style.string(), "-o", x, "--shard", "0/2"}).code, kExitUsage);
}

TEST_F(BatchScale, AKilledRunRerunWithSkipExistingRedoesNothingDone) {
    // Patch synthesis takes a while per pair (far longer than a poll below): the kill lands in
    // the middle of the batch. One style: 7 pairs, 6 good.
    common[1] = (styles / "s0.png").string();
    const std::vector<std::string> slow = {"--method", "patch_synthesis", "--param", "levels=1", "--param", "seed=7"};
    ASSERT_EQ(whole_run(dir / "whole", slow), kExitFailed) << text_of(dir / "whole.log");
    const auto whole = contents_of(dir / "whole");
    ASSERT_EQ(whole.size(), 6u);

    const fs::path out = dir / "resumed", report = dir / "run.jsonl";
    const std::vector<std::string> args =
        test::plus(test::plus(common, slow), {"-o", out.string(), "--report", report.string(), "--skip-existing"});
    const pid_t pid = spawn_cli(args, {}, dir / "killed.log");
    ASSERT_GT(pid, 0);
    // Killed once three lines are in the report (generous: each pair takes far longer than a poll).
    auto lines_in = [&] {
        const std::string text = text_of(report);
        return std::count(text.begin(), text.end(), '\n');
    };
    for (int i = 0; i < 60000 && lines_in() < 3; ++i) ::usleep(2000);
    ::kill(pid, SIGKILL);
    ASSERT_EQ(wait_for(pid), 128 + SIGKILL) << "the run ended before it was killed: " << text_of(dir / "killed.log");
    // Nothing half-written: every output there is complete (a temporary may remain, hidden).
    std::map<std::string, ino_t> done;
    for (const std::string& name : test::folder_entries(out)) {
        if (name[0] == '.') continue;
        EXPECT_EQ(test::read_bytes(out / name), whole.at(name)) << name;
        struct stat st {};
        ASSERT_EQ(::stat((out / name).c_str(), &st), 0);
        done[name] = st.st_ino;
    }
    const std::size_t lines_before = report_lines(report).size();
    ASSERT_GE(lines_before, 3u);
    ASSERT_LT(done.size(), 6u) << "the kill came too late to test a resume";

    EXPECT_EQ(wait_for(spawn_cli(args, {}, dir / "rerun.log")), kExitFailed) << text_of(dir / "rerun.log");
    std::map<std::string, test::Bytes> after = contents_of(out);
    for (auto it = after.begin(); it != after.end();) it = it->first[0] == '.' ? after.erase(it) : std::next(it);
    EXPECT_EQ(after, whole);
    // The rerun appended one line per pair: those done before were skipped, untouched.
    const std::vector<nlohmann::json> lines = report_lines(report);
    ASSERT_EQ(lines.size(), lines_before + 7);
    int skipped = 0;
    for (std::size_t i = lines_before; i < lines.size(); ++i) {
        const std::string name = fs::path(lines[i]["output"].get<std::string>()).filename().string();
        EXPECT_EQ(lines[i]["status"] == "skipped", done.count(name) == 1) << lines[i];
        skipped += lines[i]["status"] == "skipped";
    }
    EXPECT_EQ(skipped, int(done.size()));
    for (const auto& [name, inode] : done) {
        struct stat st {};
        ASSERT_EQ(::stat((out / name).c_str(), &st), 0);
        EXPECT_EQ(st.st_ino, inode) << name << " was written again";
    }
}

// The report in-process: a line per pair with the run's settings, errors named, appended by a rerun.
TEST_F(BatchScale, TheReportHasALinePerPairAndARerunAppends) {
    const fs::path out = dir / "out", report = dir / "r.jsonl";
    const std::vector<std::string> args =
        test::plus(common, {"-o", out.string(), "--report", report.string(), "--alpha", "0.7", "--shard", "1/2"});
    EXPECT_EQ(test::run_cli_captured(args).code, kExitFailed);
    std::vector<nlohmann::json> lines = report_lines(report);
    ASSERT_EQ(lines.size(), 7u);  // pairs 7..13 of 14
    EXPECT_EQ(lines[0]["index"], 7);
    EXPECT_EQ(lines[0]["input"], (contents / "c3.png").string());
    EXPECT_EQ(lines[0]["style"], (styles / "s1.png").string());
    EXPECT_EQ(lines[0]["output"], (out / "c3__s1.png").string());
    EXPECT_EQ(lines[0]["status"], "ok");
    EXPECT_TRUE(lines[0]["error"].is_null());
    EXPECT_EQ(lines[0]["method"], "blend");
    EXPECT_DOUBLE_EQ(lines[0]["params"]["alpha"].get<double>(), 0.7);
    EXPECT_EQ(lines[0]["size"], "32");
    EXPECT_EQ(lines[0]["width"], 32);
    EXPECT_EQ(lines[0]["shard"], "1/2");
    EXPECT_EQ(lines[0]["items"], 14);
    EXPECT_GT(lines[0]["peak_rss_mib"].get<double>(), 1.0);
    EXPECT_GE(lines[0]["seconds"].get<double>(), 0.0);
    EXPECT_EQ(lines[6]["status"], "error");
    EXPECT_NE(lines[6]["error"].get<std::string>().find("c6_broken.jpg"), std::string::npos) << lines[6];
    EXPECT_EQ(lines[6]["output"], (out / "c6_broken__s1.png").string());
    EXPECT_EQ(test::folder_entries(out).size(), 5u);
    // A rerun with --skip-existing appends its own lines: 5 skipped, the broken one failing again.
    EXPECT_EQ(test::run_cli_captured(test::plus(args, {"--skip-existing"})).code, kExitFailed);
    lines = report_lines(report);
    ASSERT_EQ(lines.size(), 14u);
    int skipped = 0;
    for (std::size_t i = 7; i < 14; ++i) skipped += lines[i]["status"] == "skipped";
    EXPECT_EQ(skipped, 5);
    EXPECT_EQ(lines[13]["status"], "error");
    // Every line names the plan; a folder that changed in between gives another one.
    EXPECT_EQ(lines[0]["plan"].get<std::string>().size(), 16u);
    EXPECT_EQ(lines[13]["plan"], lines[0]["plan"]);
    save_image(test::make_pattern(20, 20, 9), contents / "c7.png");
    const fs::path other = dir / "other.jsonl";
    EXPECT_EQ(test::run_cli_captured(test::plus(common, {"-o", out.string(), "--report", other.string()})).code,
              kExitFailed);
    EXPECT_NE(report_lines(other).at(0)["plan"], lines[0]["plan"]);
}

TEST_F(BatchScale, AnOutputFolderThatIsAnInputFolderIsRefusedWhenResuming) {
    const test::CliRun r = test::run_cli_captured(test::plus(common, {"-o", contents.string(), "--skip-existing"}));
    EXPECT_EQ(r.code, kExitFailed);
    EXPECT_NE(r.err.find("is an input folder"), std::string::npos) << r.err;
    EXPECT_EQ(test::folder_entries(contents).size(), 7u);
}

}  // namespace
}  // namespace nt
