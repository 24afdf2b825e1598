//! A phone photo as the privacy tests need it: a real JPEG (made by ImageMagick) carrying an
//! EXIF block with an orientation, a GPS IFD and a camera serial a reader could find.

use anyhow::Context;

/// The text hidden in the EXIF block, to search the bytes for.
pub const GPS_MARKER: &[u8] = b"GPS 23.8103N 90.4125E camera SN-4711";

/// An EXIF APP1 segment: orientation 1 (as shot), a GPS IFD (latitude reference N), then
/// [`GPS_MARKER`].
fn exif_segment() -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    for (tag, kind, value) in [(0x0112u16, 3u16, 1u32), (0x8825, 4, 38)] {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&value.to_le_bytes());
    }
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x0001u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(GPS_MARKER);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((2 + 6 + tiff.len()) as u16).to_be_bytes());
    segment.extend_from_slice(b"Exif\0\0");
    segment.extend_from_slice(&tiff);
    segment
}

/// A `width`×`height` JPEG of one colour with the EXIF block of a phone that knew where it was.
pub fn gps_tagged_jpeg(width: u32, height: u32, colour: &str) -> anyhow::Result<Vec<u8>> {
    let out = std::process::Command::new("convert")
        .args([
            "-size",
            &format!("{width}x{height}"),
            &format!("xc:{colour}"),
            "jpeg:-",
        ])
        .output()
        .context("ImageMagick's convert (scripts/setup installs it)")?;
    anyhow::ensure!(
        out.status.success() && out.stdout.starts_with(&[0xFF, 0xD8]),
        "convert made no JPEG"
    );
    let mut jpeg = out.stdout[..2].to_vec();
    jpeg.extend_from_slice(&exif_segment());
    jpeg.extend_from_slice(&out.stdout[2..]);
    Ok(jpeg)
}

/// Whether `bytes` hold `needle` anywhere.
pub fn holds(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}
