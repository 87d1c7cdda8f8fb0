#include "synthesis/sliced_wasserstein.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <array>
#include <cstring>
#include <numeric>
#include <utility>
#include <vector>

#include "synthesis/patch_projection.h"

namespace nt {

namespace {

// Float bits as an unsigned key whose order is the floats' order: negatives flipped whole,
// positives with the sign bit set.
inline std::uint32_t sortable_bits(float f) {
    std::uint32_t u = 0;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

inline float float_from_sortable(std::uint32_t u) {
    u = (u & 0x80000000u) ? (u & 0x7fffffffu) : ~u;
    float f = 0.0f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

constexpr int kDigitBits = 11;  // 3 passes cover 32 bits; a 2048-bucket histogram stays in L1
constexpr std::uint32_t kBuckets = 1u << kDigitBits;
constexpr std::uint32_t kDigitMask = kBuckets - 1;

// The resampling positions of resample_sorted: for each of `count` quantiles the lower source
// index, the upper one and the weight of the upper.
struct QuantilePositions {
    std::vector<std::int64_t> lo, hi;
    std::vector<float> frac;
};

QuantilePositions quantile_positions(std::int64_t source, std::int64_t count) {
    QuantilePositions q;
    q.lo.resize(std::size_t(count));
    q.hi.resize(std::size_t(count));
    q.frac.resize(std::size_t(count));
    const double step = double(source) / double(count);
    for (std::int64_t r = 0; r < count; ++r) {
        const double pos = std::min(std::max((double(r) + 0.5) * step - 0.5, 0.0), double(source - 1));
        const auto lo = static_cast<std::int64_t>(pos);
        q.lo[std::size_t(r)] = lo;
        q.hi[std::size_t(r)] = std::min(lo + 1, source - 1);
        q.frac[std::size_t(r)] = float(pos - double(lo));
    }
    return q;
}

void radix_sort(const float* keys, std::int64_t n, float* sorted, std::int32_t* order);

// Sorts each row of a contiguous [K, N] CPU float tensor in place (radix, one row per thread).
void sort_rows_cpu(at::Tensor& rows) {
    const std::int64_t n = rows.size(1);
    float* data = rows.data_ptr<float>();
    at::parallel_for(0, rows.size(0), 1, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> sorted(static_cast<std::size_t>(n));
        for (std::int64_t k = begin; k < end; ++k) {
            radix_sort(data + k * n, n, sorted.data(), nullptr);
            std::memcpy(data + k * n, sorted.data(), std::size_t(n) * sizeof(float));
        }
    });
}

}  // namespace

namespace {

// The radix sort itself; without `order` (nullptr) only the keys move, a third less memory traffic.
void radix_sort(const float* keys, std::int64_t n, float* sorted, std::int32_t* order) {
    thread_local std::vector<std::uint32_t> keys_a, keys_b;
    thread_local std::vector<std::int32_t> index_a, index_b;
    const bool with_order = order != nullptr;
    keys_a.resize(std::size_t(n));
    keys_b.resize(std::size_t(n));
    index_a.resize(with_order ? std::size_t(n) : 0);
    index_b.resize(with_order ? std::size_t(n) : 0);
    std::array<std::array<std::uint32_t, kBuckets>, 3> counts{};
    for (std::int64_t i = 0; i < n; ++i) {
        const std::uint32_t k = sortable_bits(keys[i]);
        keys_a[std::size_t(i)] = k;
        ++counts[0][k & kDigitMask];
        ++counts[1][(k >> kDigitBits) & kDigitMask];
        ++counts[2][k >> (2 * kDigitBits)];
    }
    if (with_order) std::iota(index_a.begin(), index_a.end(), 0);
    std::uint32_t *src_k = keys_a.data(), *dst_k = keys_b.data();
    std::int32_t *src_i = index_a.data(), *dst_i = index_b.data();
    for (int pass = 0; pass < 3 && n > 0; ++pass) {
        const int shift = pass * kDigitBits;
        std::array<std::uint32_t, kBuckets>& start = counts[std::size_t(pass)];
        if (start[(src_k[0] >> shift) & kDigitMask] == std::uint32_t(n)) continue;  // one digit: nothing moves
        std::uint32_t sum = 0;
        for (std::uint32_t& c : start) sum += std::exchange(c, sum);
        if (with_order) {
            for (std::int64_t i = 0; i < n; ++i) {
                const std::uint32_t pos = start[(src_k[i] >> shift) & kDigitMask]++;
                dst_k[pos] = src_k[i];
                dst_i[pos] = src_i[i];
            }
            std::swap(src_i, dst_i);
        } else {
            for (std::int64_t i = 0; i < n; ++i) dst_k[start[(src_k[i] >> shift) & kDigitMask]++] = src_k[i];
        }
        std::swap(src_k, dst_k);
    }
    for (std::int64_t i = 0; i < n; ++i) sorted[i] = float_from_sortable(src_k[i]);
    if (with_order) std::copy(src_i, src_i + n, order);
}

}  // namespace

void radix_argsort(const float* keys, std::int64_t n, float* sorted, std::int32_t* order) {
    radix_sort(keys, n, sorted, order);
}

at::Tensor random_projections(std::int64_t count, std::int64_t patch, std::uint64_t seed, c10::Device device) {
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    const at::Tensor p = at::randn({count, 3 * patch * patch}, gen, at::TensorOptions().dtype(at::kFloat));
    return (p / p.norm(2, {1}, true)).to(device);
}

at::Tensor sample_patch_matrix(const at::Tensor& picture, std::int64_t patch, std::int64_t max_count,
                               std::uint64_t seed) {
    const std::int64_t height = picture.size(2), width = picture.size(3);
    const std::int64_t rows = height - patch + 1, cols = width - patch + 1, total = rows * cols;
    const auto index_options = at::TensorOptions().dtype(at::kLong);
    at::Tensor positions = at::arange(total, index_options);
    if (total > max_count) {
        at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
        positions = std::get<0>(at::randperm(total, gen, index_options).slice(0, 0, max_count).sort());
    }
    const at::Tensor base = (positions.div(cols, "floor") * width + positions.remainder(cols)).to(picture.device());
    const at::Tensor flat = picture.contiguous().view({-1});
    std::vector<at::Tensor> values;
    values.reserve(std::size_t(3 * patch * patch));
    for (std::int64_t c = 0; c < 3; ++c)
        for (std::int64_t dy = 0; dy < patch; ++dy)
            for (std::int64_t dx = 0; dx < patch; ++dx)
                values.push_back(flat.index_select(0, base + (c * height * width + dy * width + dx)));
    return at::stack(values, 0);
}

at::Tensor sorted_projections(const at::Tensor& projections, const at::Tensor& patch_matrix) {
    if (!patch_matrix.device().is_cpu()) return std::get<0>(at::sort(at::matmul(projections, patch_matrix), 1));
    at::Tensor rows = project_patch_matrix(projections, patch_matrix);
    sort_rows_cpu(rows);
    return rows;
}

at::Tensor resample_sorted(const at::Tensor& sorted, std::int64_t count) {
    const std::int64_t source = sorted.size(1);
    if (source == count) return sorted;
    const QuantilePositions q = quantile_positions(source, count);
    const auto on = [&](auto& v, at::ScalarType type) {
        return at::tensor(at::ArrayRef<std::decay_t<decltype(v[0])>>(v), at::TensorOptions().dtype(type))
            .to(sorted.device());
    };
    const at::Tensor lo = sorted.index_select(1, on(q.lo, at::kLong));
    const at::Tensor hi = sorted.index_select(1, on(q.hi, at::kLong));
    return lo + (hi - lo) * on(q.frac, at::kFloat);
}

SwdGradient patch_swd_gradient_generic(const at::Tensor& picture, const at::Tensor& projections,
                                       const at::Tensor& sorted_style, std::int64_t patch) {
    const std::int64_t k = projections.size(0);
    const at::Tensor filters = projections.reshape({k, 3, patch, patch});
    const at::Tensor projected = at::conv2d(picture, filters);
    const std::int64_t h = projected.size(2), w = projected.size(3), count = h * w;
    const auto [sorted, order] = at::sort(projected.reshape({k, count}), 1);
    const at::Tensor diff = sorted - resample_sorted(sorted_style, count);
    SwdGradient out;
    out.loss = diff.pow(2).mean().item<double>();
    const at::Tensor g = at::zeros({k, count}, diff.options()).scatter_(1, order, diff * (2.0 / double(k * count)));
    out.grad = at::conv_transpose2d(g.view({1, k, h, w}), filters);
    return out;
}

SwdGradient patch_swd_gradient(const at::Tensor& picture, const at::Tensor& projections, const at::Tensor& sorted_style,
                               std::int64_t patch) {
    if (!picture.device().is_cpu()) return patch_swd_gradient_generic(picture, projections, sorted_style, patch);
    const std::int64_t k = projections.size(0);
    const std::int64_t height = picture.size(2), width = picture.size(3);
    const at::Tensor projected = project_all_patches(picture, projections, patch);
    const std::int64_t count = projected.size(1);
    const at::Tensor style = sorted_style.contiguous();
    const std::int64_t source = style.size(1);
    const QuantilePositions q = quantile_positions(source, count);
    at::Tensor g = at::empty({k, count}, projected.options());
    std::vector<double> row_loss(std::size_t(k), 0.0);
    const float scale = float(2.0 / double(k * count));
    const float* proj = projected.data_ptr<float>();
    const float* style_rows = style.data_ptr<float>();
    float* grad = g.data_ptr<float>();
    // One row per thread: sort the picture's projections, compare each rank with the style's
    // quantile, and scatter the difference back to the patch it came from.
    at::parallel_for(0, k, 1, [&](std::int64_t begin, std::int64_t end) {
        std::vector<float> sorted(static_cast<std::size_t>(count));
        std::vector<std::int32_t> order(static_cast<std::size_t>(count));
        for (std::int64_t row = begin; row < end; ++row) {
            radix_argsort(proj + row * count, count, sorted.data(), order.data());
            const float* s = style_rows + row * source;
            float* out = grad + row * count;
            double sum = 0.0;
            for (std::int64_t r = 0; r < count; ++r) {
                const std::size_t i = std::size_t(r);
                const float lo = s[q.lo[i]];
                const float target = lo + (s[q.hi[i]] - lo) * q.frac[i];
                const float d = sorted[i] - target;
                sum += double(d) * double(d);
                out[order[i]] = scale * d;
            }
            row_loss[std::size_t(row)] = sum;
        }
    });
    SwdGradient out;
    for (double l : row_loss) out.loss += l;
    out.loss /= double(k * count);
    out.grad = fold_projected_patches(g, projections, patch, height, width);
    return out;
}

}  // namespace nt
