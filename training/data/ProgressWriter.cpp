// SPDX-License-Identifier: GPL-3.0-or-later
#include "training/data/ProgressWriter.h"

namespace melodist::training {

ProgressWriter::ProgressWriter(std::FILE* out) : m_out(out), m_start(std::chrono::steady_clock::now()) {}

void ProgressWriter::write(const std::string& name, const nlohmann::json& fields) {
    nlohmann::json line = nlohmann::json::object();
    line["event"] = name;
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - m_start;
    line["time_s"] = elapsed.count();
    if (fields.is_object())
        for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
    // Invalid UTF-8 in a file name must not abort a training run: replace it.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::fputs(text.c_str(), m_out);
    std::fputc('\n', m_out);
    std::fflush(m_out);
}

}  // namespace melodist::training
