// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/audio/SynthChannels.h"

namespace melodist::engine {

int channelForPart(int index) {
    int channel = 0;
    for (int part = 0;; ++channel) {
        if (channel % 16 == 9) continue;
        if (part++ == index) return channel;
    }
}

std::pair<int, int> choosePreset(fluid_sfont_t* font, int program) {
    if (fluid_sfont_get_preset(font, 0, program)) return {0, program};
    if (fluid_sfont_get_preset(font, 0, 0)) return {0, 0};
    fluid_sfont_iteration_start(font);
    if (fluid_preset_t* preset = fluid_sfont_iteration_next(font))
        return {fluid_preset_get_banknum(preset), fluid_preset_get_num(preset)};
    return {-1, -1};
}

}  // namespace melodist::engine
