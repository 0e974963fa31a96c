//! A `.docx`'s text: the paragraphs of its main document part (`word/document.xml`), one a
//! line, in document order (table cells' paragraphs included; deleted revisions, field codes
//! and drawings' markup left out, as they are not the document's text).

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

use super::{DocumentError, MAX_XML_BYTES};

/// The text of a `.docx` file.
pub(super) fn text(bytes: &[u8]) -> Result<String, DocumentError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocumentError::NotDocx(format!("not a zip archive ({e})")))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| DocumentError::NotDocx("the archive has no word/document.xml".into()))?;
    let mut xml = Vec::new();
    part.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| DocumentError::BadDocx(e.to_string()))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(DocumentError::BadDocx(format!(
            "it inflates to more than {MAX_XML_BYTES} bytes"
        )));
    }
    let xml = String::from_utf8(xml).map_err(|e| {
        DocumentError::BadDocx(format!("not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
    })?;
    paragraphs(&xml)
}

/// The paragraphs of a WordprocessingML document, one a line: the text of its `w:t` runs,
/// `w:tab` as a tab, `w:br`/`w:cr` as a line break.
fn paragraphs(xml: &str) -> Result<String, DocumentError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    // Inside a `w:t` (text run content): only there are characters the document's text.
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            DocumentError::BadDocx(format!("at byte {}: {e}", reader.buffer_position()))
        })?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                // A line break, or an empty paragraph: an empty line.
                "br" | "cr" | "p" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => out.push_str(&entity(&r)?),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// The text of an entity reference: a character reference, or one of XML's five named ones.
fn entity(r: &BytesRef<'_>) -> Result<String, DocumentError> {
    if let Some(c) = r
        .resolve_char_ref()
        .map_err(|e| DocumentError::BadDocx(e.to_string()))?
    {
        return Ok(c.to_string());
    }
    let name: &str = r;
    Ok(match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        other => {
            return Err(DocumentError::BadDocx(format!("unknown entity &{other};")));
        }
    }
    .to_owned())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal `.docx` of these paragraphs' XML, made with the zip crate (what a word
    /// processor writes, without styles or settings, which the reader never opens).
    fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#).unwrap();
        zip.start_file("word/document.xml", options).unwrap();
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn paragraphs_become_lines_and_runs_of_one_paragraph_join() {
        let file = docx(concat!(
            "<w:p><w:r><w:t>一、2028年安排。</w:t></w:r></w:p>",
            "<w:p><w:r><w:t xml:space=\"preserve\">推进山城巷</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>传统风貌整治</w:t></w:r><w:r><w:t>。</w:t></w:r></w:p>",
            "<w:p/>",
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>戴家巷 &amp; 通远门</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        ));
        assert_eq!(
            text(&file).unwrap(),
            "一、2028年安排。\n推进山城巷传统风貌整治。\n\n戴家巷 & 通远门\n"
        );
    }

    #[test]
    fn deleted_revisions_and_field_codes_are_not_text() {
        let file = docx(concat!(
            "<w:p><w:r><w:t>完善</w:t></w:r><w:del><w:r><w:delText>较场口</w:delText></w:r></w:del>",
            "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>通远门停车配套。</w:t></w:r></w:p>",
        ));
        assert_eq!(text(&file).unwrap(), "完善通远门停车配套。\n");
    }

    #[test]
    fn a_file_that_is_not_a_docx_says_so() {
        assert!(matches!(
            text(b"%PDF-1.4 not a zip"),
            Err(DocumentError::NotDocx(_))
        ));
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"<x/>").unwrap();
        let odt = zip.finish().unwrap().into_inner();
        assert_eq!(
            text(&odt),
            Err(DocumentError::NotDocx(
                "the archive has no word/document.xml".into()
            ))
        );
    }

    #[test]
    fn broken_markup_is_an_error_not_a_guess() {
        let file = docx("<w:p><w:r><w:t>推进</w:r></w:p>");
        assert!(matches!(text(&file), Err(DocumentError::BadDocx(_))));
    }
}
