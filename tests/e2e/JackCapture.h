// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// JackCapture: a JACK client of the test's own ("<name>:in_left", "<name>:in_right")
// that records what it is connected to into buffers allocated before activation, indexed
// by JACK frame time from the first recorded cycle. open/connect/analysis run on the test
// thread; process() runs on the JACK process thread. Owned by the test; closes on destruction.

#include <jack/jack.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <vector>

namespace melodist::test {

class JackCapture {
public:
    ~JackCapture() { close(); }

    // Opens the client (no server start); false while the server is not ready yet.
    bool open(const char* name) {
        jack_set_error_function([](const char*) {});  // "Cannot connect to server" while it starts up
        jack_status_t status;
        m_client = jack_client_open(name, JackNoStartServer, &status);
        return m_client != nullptr;
    }

    // Registers the inputs with room for `seconds`, activates, connects `source`'s left and right.
    bool activate(double seconds, const std::string& source) {
        for (int channel = 0; channel < 2; ++channel) {
            samples[channel].assign(static_cast<size_t>(seconds * rate()), 0.0f);
            m_ports[channel] = jack_port_register(m_client, channel == 0 ? "in_left" : "in_right",
                                                  JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
            if (!m_ports[channel]) return false;
        }
        if (jack_set_process_callback(m_client, &JackCapture::process, this) != 0 || jack_activate(m_client) != 0)
            return false;
        return jack_connect(m_client, (source + ":left").c_str(), jack_port_name(m_ports[0])) == 0 &&
               jack_connect(m_client, (source + ":right").c_str(), jack_port_name(m_ports[1])) == 0;
    }

    void close() {
        if (!m_client) return;
        jack_deactivate(m_client);
        jack_client_close(m_client);
        m_client = nullptr;
    }

    int rate() const { return static_cast<int>(jack_get_sample_rate(m_client)); }
    jack_nframes_t frameTime() const { return jack_frame_time(m_client); }
    // The frame index (into `samples`) of JACK frame time `frame`; valid once started.
    size_t indexOf(jack_nframes_t frame) const { return frame - firstFrame; }

    // The first index in [from, end) where either channel's magnitude exceeds `threshold`; end if none.
    size_t firstAbove(size_t from, size_t end, float threshold) const {
        for (size_t i = from; i < end; ++i)
            if (std::fabs(samples[0][i]) > threshold || std::fabs(samples[1][i]) > threshold) return i;
        return end;
    }

    double rms(size_t from, size_t to) const {
        double sum = 0;
        for (size_t i = from; i < to; ++i)
            for (int channel = 0; channel < 2; ++channel) sum += double(samples[channel][i]) * samples[channel][i];
        return to > from ? std::sqrt(sum / double(2 * (to - from))) : 0.0;
    }

    std::vector<float> samples[2];
    std::atomic<bool> recording{false};
    std::atomic<bool> started{false};
    jack_nframes_t firstFrame = 0;    // written before `started` is released
    std::atomic<size_t> endIndex{0};  // frames recorded from firstFrame

private:
    // called on the JACK process thread: copies, never allocates or locks
    static int process(jack_nframes_t frames, void* data) {
        auto* self = static_cast<JackCapture*>(data);
        if (!self->recording.load(std::memory_order_acquire)) return 0;
        const jack_nframes_t now = jack_last_frame_time(self->m_client);
        if (!self->started.load(std::memory_order_relaxed)) {
            self->firstFrame = now;
            self->started.store(true, std::memory_order_release);
        }
        const size_t index = now - self->firstFrame;
        if (index + frames > self->samples[0].size()) return 0;
        for (int channel = 0; channel < 2; ++channel) {
            const auto* in = static_cast<const float*>(jack_port_get_buffer(self->m_ports[channel], frames));
            std::copy(in, in + frames, self->samples[channel].begin() + static_cast<std::ptrdiff_t>(index));
        }
        self->endIndex.store(index + frames, std::memory_order_release);
        return 0;
    }

    jack_client_t* m_client = nullptr;
    jack_port_t* m_ports[2] = {nullptr, nullptr};
};

}  // namespace melodist::test
