#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the hand-made piano fixtures of this folder (tests/cli/PianoModelTest.cpp): four
# 8-bar pieces, SMF format 1, 480 PPQ, a conductor track (tempo, 4/4, key signature) and
# two hand tracks. Left hand: a root-position triad per bar (a half-note block chord, then
# root and fifth as quarters); right hand: an eighth-note melody over the chord tones, with
# the chord's fifth under its first note of each bar. Nothing is copied from any corpus.
# Run it in this folder to write them again (byte for byte the same).
import struct

PPQ = 480

def vlq(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return bytes(out)

def track(events):
    """events: (tick, bytes) in any order; note-offs sort before note-ons at the same tick."""
    data, now = b"", 0
    for tick, message in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 == 0x90)):
        data += vlq(tick - now) + message
        now = tick
    data += vlq(0) + b"\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(data)) + data

def notes(channel, items):
    events = []
    for start, length, pitch, velocity in items:
        events.append((start, bytes([0x90 | channel, pitch, velocity])))
        events.append((start + length, bytes([0x80 | channel, pitch, 0])))
    return events

def piece(tonic, minor, progression, sharps):
    # progression: scale degrees (0-based) of the chord roots, one per bar
    scale = [0, 2, 3, 5, 7, 8, 10] if minor else [0, 2, 4, 5, 7, 9, 11]
    bar = 4 * PPQ
    left, right = [], []
    for b, degree in enumerate(progression):
        triad = [tonic + 48 + scale[(degree + k) % 7] + 12 * ((degree + k) // 7) for k in (0, 2, 4)]
        start = b * bar
        left += [(start, 2 * PPQ, p, 70) for p in triad]                      # block chord, half note
        left += [(start + 2 * PPQ, PPQ, triad[0], 66), (start + 3 * PPQ, PPQ, triad[2], 62)]
        tones = [p + 24 for p in triad] + [triad[0] + 36]
        contour = [0, 1, 2, 3, 2, 1, 2, 0] if b % 2 == 0 else [3, 2, 1, 0, 1, 2, 1, 0]
        for i, t in enumerate(contour):
            length = PPQ // 2
            right.append((start + i * length, length, tones[t], 84 if i % 2 == 0 else 72))
            if i == 0:
                right.append((start, length, triad[2] + 12, 70))  # the fifth under the melody: a dyad
    conductor = [(0, b"\xff\x51\x03" + (500000).to_bytes(3, "big")), (0, b"\xff\x58\x04\x04\x02\x18\x08"),
                 (0, b"\xff\x59\x02" + bytes([sharps & 0xFF, 1 if minor else 0]))]
    header = b"MThd" + struct.pack(">IHHH", 6, 1, 3, PPQ)
    return header + track(conductor) + track(notes(0, right)) + track(notes(1, left))

PIECES = {
    "c-major.mid": (0, False, [0, 5, 3, 4, 0, 3, 4, 0], 0),
    "g-major.mid": (7, False, [0, 3, 4, 0, 5, 1, 4, 0], 1),
    "f-major.mid": (5, False, [0, 3, 0, 4, 5, 3, 4, 0], -1),
    "a-minor.mid": (9, True, [0, 5, 2, 6, 0, 3, 4, 0], 0),
}

if __name__ == "__main__":
    for name, (tonic, minor, progression, sharps) in PIECES.items():
        with open(name, "wb") as out:
            out.write(piece(tonic, minor, progression, sharps))
