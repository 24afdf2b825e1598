//! A photo made safe to keep and send: decoded and encoded again on the laptop, so nothing but
//! its pixels survives — no EXIF (GPS position, camera serial, time), XMP or IPTC block, no
//! comment. The EXIF orientation is applied to the pixels first, so a photo taken sideways
//! still stands up. JPEG stays JPEG (quality 90), PNG stays PNG (lossless), WebP becomes PNG
//! when it has transparency and JPEG otherwise. A GIF is kept as it is: the format has no
//! EXIF, and re-encoding would lose its animation.

use crate::media::MediaError;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// The JPEG quality photos are encoded with again (the canvas's in the page is the same).
pub const JPEG_QUALITY: u8 = 90;

/// The photo's pixels, encoded again without any metadata (see the module docs). Anything
/// that does not decode as an image is refused.
pub fn without_metadata(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let format = image::guess_format(bytes).map_err(|_| MediaError::NotAnImage)?;
    if format == ImageFormat::Gif {
        return Ok(bytes.to_vec());
    }
    let reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decoder = reader.into_decoder().map_err(|_| MediaError::NotAnImage)?;
    let orientation = decoder.orientation().map_err(|_| MediaError::NotAnImage)?;
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(|_| MediaError::NotAnImage)?;
    pixels.apply_orientation(orientation);
    let as_png = format == ImageFormat::Png || (format == ImageFormat::WebP && pixels.has_alpha());
    let mut out = Vec::new();
    let encoded = if as_png {
        pixels.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
    } else {
        // JPEG has no alpha: a transparent pixel becomes its colour.
        let rgb = DynamicImage::ImageRgb8(pixels.to_rgb8());
        rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
    };
    encoded.map_err(|_| MediaError::NotAnImage)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, Rgb, RgbImage};

    /// A 40×20 JPEG whose left half is red and right half blue.
    fn jpeg() -> Vec<u8> {
        let mut img = RgbImage::new(40, 20);
        for (x, _, pixel) in img.enumerate_pixels_mut() {
            *pixel = if x < 20 {
                Rgb([255, 0, 0])
            } else {
                Rgb([0, 0, 255])
            };
        }
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 95))
            .unwrap();
        out
    }

    /// An EXIF block (APP1) that says "rotate 90° clockwise to show" and where the photo was
    /// taken (a GPS IFD with latitude reference N and a marker string).
    fn exif_app1() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"II*\0");
        tiff.extend_from_slice(&8u32.to_le_bytes());
        // IFD0: two entries.
        tiff.extend_from_slice(&2u16.to_le_bytes());
        // Orientation (0x0112), SHORT, 1, value 6.
        tiff.extend_from_slice(&0x0112u16.to_le_bytes());
        tiff.extend_from_slice(&3u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&6u16.to_le_bytes());
        tiff.extend_from_slice(&0u16.to_le_bytes());
        // GPS IFD pointer (0x8825), LONG, 1, offset 38.
        tiff.extend_from_slice(&0x8825u16.to_le_bytes());
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&38u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        // GPS IFD at 38: GPSLatitudeRef "N", then a marker text a reader could find.
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0x0001u16.to_le_bytes());
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&2u32.to_le_bytes());
        tiff.extend_from_slice(b"N\0\0\0");
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(b"GPS 23.8103N 90.4125E camera SN-4711");
        let mut app1 = vec![0xFF, 0xE1];
        let payload_len = 2 + 6 + tiff.len();
        app1.extend_from_slice(&(payload_len as u16).to_be_bytes());
        app1.extend_from_slice(b"Exif\0\0");
        app1.extend_from_slice(&tiff);
        app1
    }

    /// `jpeg` with an EXIF block right after its start marker.
    fn with_exif(jpeg: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&exif_app1());
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_gps_tagged_photo_keeps_its_pixels_and_loses_its_metadata() {
        let tagged = with_exif(&jpeg());
        assert!(
            contains(&tagged, b"SN-4711"),
            "the test photo carries the tag"
        );
        let clean = without_metadata(&tagged).unwrap();
        assert!(!contains(&clean, b"Exif"), "an EXIF block is left");
        assert!(!contains(&clean, b"SN-4711"));
        assert!(!contains(&clean, b"GPS"));
        // Turned as the EXIF said: 20 wide, 40 high, red on top (the left half went up).
        let shown = image::load_from_memory(&clean).unwrap();
        assert_eq!(shown.dimensions(), (20, 40));
        let top = shown.get_pixel(10, 5);
        let bottom = shown.get_pixel(10, 35);
        assert!(top[0] > 200 && top[2] < 60, "top {top:?}");
        assert!(bottom[2] > 200 && bottom[0] < 60, "bottom {bottom:?}");
    }

    #[test]
    fn png_stays_png_and_what_is_not_an_image_is_refused() {
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(image::RgbaImage::new(3, 3))
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        let clean = without_metadata(&out).unwrap();
        assert_eq!(image::guess_format(&clean).unwrap(), ImageFormat::Png);
        assert!(matches!(
            without_metadata(b"\xFF\xD8\xFF\xE0 not really a jpeg"),
            Err(MediaError::NotAnImage)
        ));
        assert!(matches!(
            without_metadata(b"%PDF-1.7"),
            Err(MediaError::NotAnImage)
        ));
    }
}
