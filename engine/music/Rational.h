// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Rational: an exact fraction, used for musical time in quarter notes (onsets and
// durations), so triplets (1/3), quintuplets (1/5) and dotted values add up exactly.
// A plain value type; any thread. Always normalised: gcd(num, den) == 1, den > 0.
//
//   Rational eighthTriplet(1, 3);                // a third of a quarter note
//   Rational t = eighthTriplet * 3;              // == Rational(1)
//   double seconds = t.toDouble() * 60.0 / bpm;

#include <cstdint>
#include <numeric>
#include <string>

namespace melodist::engine {

__extension__ using RationalWide = __int128;  // for exact comparisons

class Rational {
public:
    constexpr Rational() = default;
    constexpr Rational(int64_t whole) : m_num(whole), m_den(1) {}  // NOLINT: implicit on purpose
    constexpr Rational(int64_t num, int64_t den) : m_num(num), m_den(den) { normalise(); }

    constexpr int64_t num() const { return m_num; }
    constexpr int64_t den() const { return m_den; }
    constexpr double toDouble() const { return static_cast<double>(m_num) / static_cast<double>(m_den); }
    constexpr bool isZero() const { return m_num == 0; }
    // Largest whole number <= this.
    constexpr int64_t floor() const { return m_num >= 0 ? m_num / m_den : -((-m_num + m_den - 1) / m_den); }
    std::string toString() const { return m_den == 1 ? std::to_string(m_num) : std::to_string(m_num) + "/" + std::to_string(m_den); }

    friend constexpr Rational operator+(Rational a, Rational b) {
        const int64_t g = std::gcd(a.m_den, b.m_den);
        return {a.m_num * (b.m_den / g) + b.m_num * (a.m_den / g), a.m_den / g * b.m_den};
    }
    friend constexpr Rational operator-(Rational a, Rational b) { return a + Rational(-b.m_num, b.m_den); }
    friend constexpr Rational operator*(Rational a, Rational b) {
        const int64_t g1 = std::gcd(a.m_num, b.m_den), g2 = std::gcd(b.m_num, a.m_den);
        return {(a.m_num / (g1 ? g1 : 1)) * (b.m_num / (g2 ? g2 : 1)), (a.m_den / (g2 ? g2 : 1)) * (b.m_den / (g1 ? g1 : 1))};
    }
    friend constexpr Rational operator/(Rational a, Rational b) { return a * Rational(b.m_den, b.m_num); }
    constexpr Rational operator-() const { return Rational(-m_num, m_den); }
    constexpr Rational& operator+=(Rational other) { return *this = *this + other; }
    constexpr Rational& operator-=(Rational other) { return *this = *this - other; }
    constexpr Rational& operator*=(Rational other) { return *this = *this * other; }
    constexpr Rational& operator/=(Rational other) { return *this = *this / other; }

    friend constexpr bool operator==(Rational a, Rational b) { return a.m_num == b.m_num && a.m_den == b.m_den; }
    friend constexpr bool operator!=(Rational a, Rational b) { return !(a == b); }
    // Cross-multiplication in 128 bits: no overflow for any normalised pair.
    friend constexpr bool operator<(Rational a, Rational b) {
        return static_cast<RationalWide>(a.m_num) * b.m_den < static_cast<RationalWide>(b.m_num) * a.m_den;
    }
    friend constexpr bool operator>(Rational a, Rational b) { return b < a; }
    friend constexpr bool operator<=(Rational a, Rational b) { return !(b < a); }
    friend constexpr bool operator>=(Rational a, Rational b) { return !(a < b); }

private:
    constexpr void normalise() {
        if (m_den == 0) {  // a programming error; keep the value defined rather than divide by zero
            m_num = 0;
            m_den = 1;
            return;
        }
        if (m_den < 0) {
            m_num = -m_num;
            m_den = -m_den;
        }
        const int64_t g = std::gcd(m_num, m_den);
        if (g > 1) {
            m_num /= g;
            m_den /= g;
        }
    }

    int64_t m_num = 0;
    int64_t m_den = 1;
};

}  // namespace melodist::engine
