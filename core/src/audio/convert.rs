//! Sample conversion and downmix done inside the audio callback: no allocation, no locks.

use cpal::{FromSample, Sample};

/// Downmixes an interleaved buffer of any sample format to mono f32, lazily, frame by frame.
///
/// `channels` of 0 is treated as 1. A trailing partial frame is ignored.
pub fn downmix<T>(data: &[T], channels: usize) -> impl Iterator<Item = f32> + '_
where
    T: Sample,
    f32: FromSample<T>,
{
    let channels = channels.max(1);
    let scale = 1.0 / channels as f32;
    data.chunks_exact(channels).map(move |frame| {
        let sum: f32 = frame.iter().map(|s| f32::from_sample(*s)).sum();
        sum * scale
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mono<T>(data: &[T], channels: usize) -> Vec<f32>
    where
        T: Sample,
        f32: FromSample<T>,
    {
        downmix(data, channels).collect()
    }

    fn close(a: &[f32], b: &[f32]) {
        assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-3, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn f32_mono_passes_through() {
        close(&mono(&[0.5f32, -0.25, 1.0], 1), &[0.5, -0.25, 1.0]);
    }

    #[test]
    fn i16_full_scale_maps_to_unit_range() {
        close(&mono(&[i16::MAX, i16::MIN, 0], 1), &[1.0, -1.0, 0.0]);
    }

    #[test]
    fn u16_midpoint_is_silence() {
        close(&mono(&[32768u16, u16::MAX, 0], 1), &[0.0, 1.0, -1.0]);
    }

    #[test]
    fn i32_and_u8_and_i8_convert() {
        close(&mono(&[i32::MAX, i32::MIN], 1), &[1.0, -1.0]);
        close(&mono(&[128u8, 255, 0], 1), &[0.0, 127.0 / 128.0, -1.0]);
        close(&mono(&[0i8, i8::MIN], 1), &[0.0, -1.0]);
    }

    #[test]
    fn f64_converts() {
        close(&mono(&[0.25f64, -0.75], 1), &[0.25, -0.75]);
    }

    #[test]
    fn stereo_averages_each_frame() {
        close(
            &mono(&[1.0f32, 0.0, 0.5, 0.5, -1.0, 1.0], 2),
            &[0.5, 0.5, 0.0],
        );
    }

    #[test]
    fn stereo_i16_averages() {
        close(&mono(&[i16::MAX, i16::MAX, i16::MIN, 0], 2), &[1.0, -0.5]);
    }

    #[test]
    fn six_channels_average_and_ignore_partial_frame() {
        let data = [
            0.6f32, 0.6, 0.6, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9,
        ];
        close(&mono(&data, 6), &[0.3, 1.0]);
    }

    #[test]
    fn six_channels_u16() {
        let data = [u16::MAX; 6];
        close(&mono(&data, 6), &[1.0]);
    }

    #[test]
    fn zero_channels_is_treated_as_mono() {
        close(&mono(&[0.1f32, 0.2], 0), &[0.1, 0.2]);
    }
}
