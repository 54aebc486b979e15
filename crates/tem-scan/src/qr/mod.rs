//! Our own reading of a sampled QR grid: unmasking, Reed–Solomon correction and every data
//! mode, including what rqrr's decoder refuses (FNC1 for GS1, structured-append segments) and
//! ECI charsets, with 512 bytes of GF(256) tables where rqrr's decoder would link a 64 KB one
//! into the widget's wasm, and 320 bytes of the standard's block layouts; rqrr still finds and
//! samples the grid.

use rqrr::BitGrid;

mod codewords;
mod ecc;
mod format;
mod segments;

pub(crate) use codewords::alignment_centres;
use codewords::codewords;
use ecc::{Gf, correct};
use format::{formats, version_agrees};
pub(crate) use format::{version_bit_module, version_codeword};
use segments::parse;

/// A payload decoded from its codewords.
pub(crate) struct Payload {
    pub bytes: Vec<u8>,
    /// What the code says about its bytes' charset, if anything.
    pub charset: Charset,
    pub gs1: bool,
    pub symbology: &'static str,
}

/// A charset a code declared, by ECI designator or by using Hanzi mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    /// Nothing declared: the reader guesses.
    Undeclared,
    Latin1,
    ShiftJis,
    /// GB 2312 (Hanzi mode, GB/T 18284) or its supersets GBK and GB 18030 (ECI 29).
    Gb,
    Utf8,
}

/// Decodes `grid` (dark = true).
pub(crate) fn decode(grid: &dyn BitGrid) -> Option<Payload> {
    let size = grid.size();
    if !(21..=177).contains(&size) || size % 4 != 1 {
        return None;
    }
    let version = (size - 17) / 4;
    if !version_agrees(grid, version) {
        return None;
    }
    let gf = Gf::new();
    // Reed–Solomon decides between format readings that are equally near a valid one.
    formats(grid).into_iter().find_map(|format| {
        let (ecc_level, mask) = (format >> 3, format & 7);
        let data = correct(&gf, &codewords(grid, version, mask), version, ecc_level)?;
        parse(&data, version)
    })
}
