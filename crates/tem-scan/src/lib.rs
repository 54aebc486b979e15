//! Image in, QR payloads out.
