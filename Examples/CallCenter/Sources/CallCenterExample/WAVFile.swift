import Foundation

/// Tiny generator of real, playable RIFF/WAVE files (PCM 16-bit, mono, 8 kHz).
enum WAVFile {
    static let sampleRate = 8000

    /// 0.5–1.5 s of a single tone or an alternating two-tone pattern, fully
    /// determined by `seed`, with short fades to avoid clicks.
    static func tone(seed: UInt64) -> Data {
        var rng = SplitMix64(seed: seed)
        let count = Int((0.5 + rng.unit()) * Double(sampleRate))
        let first = 300 + rng.unit() * 600
        let second = rng.chance(0.5) ? 300 + rng.unit() * 600 : first
        let segment = sampleRate / rng.int(2...6)
        let fade = sampleRate / 50
        var samples = [Int16](repeating: 0, count: count)
        var phase = 0.0
        for index in 0..<count {
            let frequency = (index / segment) % 2 == 0 ? first : second
            phase += 2 * Double.pi * frequency / Double(sampleRate)
            let envelope = min(1, Double(min(index, count - 1 - index)) / Double(fade))
            samples[index] = Int16(sin(phase) * envelope * 9000)
        }
        return encode(samples)
    }

    static func encode(_ samples: [Int16]) -> Data {
        let dataSize = UInt32(samples.count * 2)
        var data = Data(capacity: 44 + Int(dataSize))
        func append(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append("RIFF"); append32(36 + dataSize); append("WAVE")
        append("fmt "); append32(16)
        append16(1)                          // PCM
        append16(1)                          // mono
        append32(UInt32(sampleRate))
        append32(UInt32(sampleRate * 2))     // byte rate
        append16(2)                          // block align
        append16(16)                         // bits per sample
        append("data"); append32(dataSize)
        for sample in samples { append16(UInt16(bitPattern: sample)) }
        return data
    }
}
