// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Result<T>: the value of an operation that can fail in an expected way (a missing
// file, a corrupt checkpoint, no MIDI port), or the message that says why and what
// to do. Any thread may use it; it owns its value. Programming errors use
// MELODIST_ASSERT instead (see Assert.h).
//
//   Result<Score> r = readKern(path);
//   if (!r) { showError(r.error()); return; }
//   use(*r);

#include <string>
#include <utility>
#include <variant>

namespace melodist::engine {

struct Error {
    std::string message;
};

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    explicit operator bool() const { return m_data.index() == 0; }
    bool ok() const { return m_data.index() == 0; }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const std::string& error() const { return std::get<1>(m_data).message; }

private:
    std::variant<T, Error> m_data;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error.message)), m_failed(true) {}

    explicit operator bool() const { return !m_failed; }
    bool ok() const { return !m_failed; }
    const std::string& error() const { return m_error; }

private:
    std::string m_error;
    bool m_failed = false;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

}  // namespace melodist::engine
