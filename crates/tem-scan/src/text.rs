//! A payload's bytes as the text of a `Code`: QR byte mode seldom says its charset, so the
//! text is a guess, made the way other readers make it, unless the code declared one.

use crate::{Code, qr};

pub(crate) fn code_from(payload: qr::Payload, corners: [[f32; 2]; 4]) -> Code {
    Code {
        text: text_of(&payload.bytes, payload.charset),
        bytes: payload.bytes,
        corners,
        gs1: payload.gs1,
        symbology: payload.symbology,
    }
}

/// The payload as text in the charset the code declared. Undeclared, QR byte mode has no
/// charset; UTF-8 is what Vietnamese systems write, and otherwise, as other readers guess:
/// Shift JIS (Japanese codes) when the bytes are valid Shift JIS, else ISO 8859-1, the
/// standard's default. Shift JIS and GB text need the `cjk` feature's tables; without it they
/// are guessed at like undeclared text.
fn text_of(bytes: &[u8], charset: qr::Charset) -> String {
    let latin1 = || bytes.iter().map(|&b| char::from(b)).collect();
    match charset {
        qr::Charset::Latin1 => return latin1(),
        qr::Charset::Utf8 => return String::from_utf8_lossy(bytes).into_owned(),
        #[cfg(feature = "cjk")]
        qr::Charset::Gb => return cjk(bytes, encoding_rs::GB18030).unwrap_or_else(latin1),
        _ => {}
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    #[cfg(feature = "cjk")]
    if let Some(text) = cjk(bytes, encoding_rs::SHIFT_JIS) {
        return text;
    }
    latin1()
}

#[cfg(feature = "cjk")]
fn cjk(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Option<String> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}
