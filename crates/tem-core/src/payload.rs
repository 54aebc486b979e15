//! What a stamp's QR code (or a typed-in code) says: GS1 Digital Links, element strings,
//! GTINs, known platform URLs.
