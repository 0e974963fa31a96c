//! Report files as text: a `.docx` (Office Open XML word processing) or a PDF with a text
//! layer, turned into the plain UTF-8 text the reader takes, so an editor (or any API client)
//! can upload the file a report comes as.
//!
//! Input: the file's bytes and its [`Format`] (from the upload's media type). Output: its
//! text, one paragraph a line; the reader ([`crate::report`]) then normalises it as any text.
//! Bounds: a `.docx`'s document part is read up to [`MAX_XML_BYTES`] (a zip bomb stops
//! there). Errors ([`DocumentError`]) say why a file cannot be read in a sentence a planner
//! understands: not a `.docx`, a damaged PDF, or a PDF without a text layer (a scan).

mod docx;
mod pdf;

use thiserror::Error;

/// The most bytes of a `.docx`'s `word/document.xml` read once inflated (64 MiB: a report of
/// a few hundred pages; its markup is ten or twenty times its text).
pub const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// A file format an upload may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 text.
    Text,
    /// Office Open XML word processing (`.docx`).
    Docx,
    /// PDF; only its text layer is read.
    Pdf,
}

impl Format {
    /// The media type the API takes for it.
    #[must_use]
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Text => "text/plain",
            Format::Docx => DOCX_MEDIA_TYPE,
            Format::Pdf => "application/pdf",
        }
    }

    /// The format of a media type (parameters such as `; charset=utf-8` ignored, any case);
    /// `None` for one we do not read.
    #[must_use]
    pub fn of_media_type(media_type: &str) -> Option<Format> {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        [Format::Text, Format::Docx, Format::Pdf]
            .into_iter()
            .find(|f| f.media_type() == essence)
    }
}

/// The media type of a `.docx`.
pub const DOCX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// Why a file gives no text.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DocumentError {
    /// Text that is not UTF-8.
    #[error("the text is not UTF-8 (byte {byte}); save it as UTF-8")]
    NotUtf8 {
        /// Offset of the first invalid byte.
        byte: usize,
    },
    /// Not a zip archive, or no `word/document.xml` in it.
    #[error("not a .docx file (an Office Open XML document): {0}")]
    NotDocx(String),
    /// The document part is not well-formed XML, or too large.
    #[error("the .docx's word/document.xml cannot be read: {0}")]
    BadDocx(String),
    /// The PDF cannot be parsed (damaged, encrypted, not a PDF).
    #[error("the PDF cannot be read: {0}")]
    BadPdf(String),
    /// The PDF has no text layer: a scan or pictures of pages.
    #[error(
        "the PDF has no text layer (a scanned or image-only PDF): planmap reads only text; run OCR first or upload the text"
    )]
    NoTextLayer,
}

/// The text of a file of this format.
///
/// # Errors
/// [`DocumentError`]: why it gives no text.
pub fn text_of(format: Format, bytes: &[u8]) -> Result<String, DocumentError> {
    match format {
        Format::Text => {
            std::str::from_utf8(bytes)
                .map(str::to_owned)
                .map_err(|e| DocumentError::NotUtf8 {
                    byte: e.valid_up_to(),
                })
        }
        Format::Docx => docx::text(bytes),
        Format::Pdf => pdf::text(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_read_without_their_parameters_and_in_any_case() {
        assert_eq!(
            Format::of_media_type("text/plain; charset=UTF-8"),
            Some(Format::Text)
        );
        assert_eq!(Format::of_media_type("Application/PDF"), Some(Format::Pdf));
        assert_eq!(Format::of_media_type(DOCX_MEDIA_TYPE), Some(Format::Docx));
        assert_eq!(Format::of_media_type("application/msword"), None);
    }

    #[test]
    fn text_that_is_not_utf8_names_the_first_bad_byte() {
        // 政府 in GBK.
        let gbk = [b'a', 0xd5, 0xfe, 0xb8, 0xae];
        assert_eq!(
            text_of(Format::Text, &gbk),
            Err(DocumentError::NotUtf8 { byte: 1 })
        );
    }
}
