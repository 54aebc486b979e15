//! Signed stamps carrying a compact JWS (`header.payload.signature`, RFC 7515). tem reads the
//! header and the signed text here; checking the signature against the trust list is the
//! verdict's work, so nothing here claims the stamp is authentic.

/// A compact JWS: its algorithm and key id, and the signed text when that is UTF-8.
pub(super) struct CompactJws {
    pub alg: String,
    pub kid: Option<String>,
    pub signed_text: Option<String>,
}

pub(super) fn parse(text: &str) -> Option<CompactJws> {
    let mut parts = text.split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || header.is_empty() || signature.is_empty() {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(&base64url(header)?).ok()?;
    let alg = header.get("alg")?.as_str()?.to_string();
    let kid = header
        .get("kid")
        .and_then(|k| k.as_str())
        .map(str::to_string);
    base64url(signature)?;
    let signed_text = base64url(payload).and_then(|bytes| String::from_utf8(bytes).ok());
    Some(CompactJws {
        alg,
        kid,
        signed_text,
    })
}

/// Unpadded URL-safe base64, as JWS writes it.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    // A single leftover character cannot come from whole bytes.
    (text.len() % 4 != 1).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_decodes_unpadded_text() {
        assert_eq!(
            base64url("eyJhbGciOiJFUzI1NiJ9").as_deref(),
            Some(&b"{\"alg\":\"ES256\"}"[..])
        );
        assert_eq!(base64url("YQ").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64url("Y"), None);
        assert_eq!(base64url("a+b/"), None);
    }
}
