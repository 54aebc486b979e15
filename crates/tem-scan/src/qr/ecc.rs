//! Reed–Solomon error correction over GF(256), block by block in the layout ISO/IEC 18004
//! gives each version and level.

/// ISO/IEC 18004 table 9: for each version, at levels L, M, Q and H, the error-correction
/// codewords per block and the number of blocks (the longer blocks, one data codeword more,
/// come last and follow from the codeword count). Finding the layout instead as the one of
/// the level whose blocks correct tried some twenty layouts: on a photo whose code does not
/// read, correcting under each was a third of its time.
const LAYOUTS: [[(u8, u8); 4]; 40] = [
    [(7, 1), (10, 1), (13, 1), (17, 1)],
    [(10, 1), (16, 1), (22, 1), (28, 1)],
    [(15, 1), (26, 1), (18, 2), (22, 2)],
    [(20, 1), (18, 2), (26, 2), (16, 4)],
    [(26, 1), (24, 2), (18, 4), (22, 4)],
    [(18, 2), (16, 4), (24, 4), (28, 4)],
    [(20, 2), (18, 4), (18, 6), (26, 5)],
    [(24, 2), (22, 4), (22, 6), (26, 6)],
    [(30, 2), (22, 5), (20, 8), (24, 8)],
    [(18, 4), (26, 5), (24, 8), (28, 8)],
    [(20, 4), (30, 5), (28, 8), (24, 11)],
    [(24, 4), (22, 8), (26, 10), (28, 11)],
    [(26, 4), (22, 9), (24, 12), (22, 16)],
    [(30, 4), (24, 9), (20, 16), (24, 16)],
    [(22, 6), (24, 10), (30, 12), (24, 18)],
    [(24, 6), (28, 10), (24, 17), (30, 16)],
    [(28, 6), (28, 11), (28, 16), (28, 19)],
    [(30, 6), (26, 13), (28, 18), (28, 21)],
    [(28, 7), (26, 14), (26, 21), (26, 25)],
    [(28, 8), (26, 16), (30, 20), (28, 25)],
    [(28, 8), (26, 17), (28, 23), (30, 25)],
    [(28, 9), (28, 17), (30, 23), (24, 34)],
    [(30, 9), (28, 18), (30, 25), (30, 30)],
    [(30, 10), (28, 20), (30, 27), (30, 32)],
    [(26, 12), (28, 21), (30, 29), (30, 35)],
    [(28, 12), (28, 23), (28, 34), (30, 37)],
    [(30, 12), (28, 25), (30, 34), (30, 40)],
    [(30, 13), (28, 26), (30, 35), (30, 42)],
    [(30, 14), (28, 28), (30, 38), (30, 45)],
    [(30, 15), (28, 29), (30, 40), (30, 48)],
    [(30, 16), (28, 31), (30, 43), (30, 51)],
    [(30, 17), (28, 33), (30, 45), (30, 54)],
    [(30, 18), (28, 35), (30, 48), (30, 57)],
    [(30, 19), (28, 37), (30, 51), (30, 60)],
    [(30, 19), (28, 38), (30, 53), (30, 63)],
    [(30, 20), (28, 40), (30, 56), (30, 66)],
    [(30, 21), (28, 43), (30, 59), (30, 70)],
    [(30, 22), (28, 45), (30, 62), (30, 74)],
    [(30, 24), (28, 47), (30, 65), (30, 77)],
    [(30, 25), (28, 49), (30, 68), (30, 81)],
];

/// The data codewords of a code of `version`, error-corrected, or None when some block has
/// more errors than it corrects.
pub(super) fn correct(
    gf: &Gf,
    codewords: &[u8],
    version: usize,
    ecc_level: u16,
) -> Option<Vec<u8>> {
    // Format bits 01 = L, 00 = M, 11 = Q, 10 = H.
    let level = match ecc_level {
        1 => 0,
        0 => 1,
        3 => 2,
        _ => 3,
    };
    let (ecc, blocks) = LAYOUTS.get(version.checked_sub(1)?)?[level];
    deinterleave_and_correct(gf, codewords, usize::from(blocks), usize::from(ecc))
}

fn deinterleave_and_correct(
    gf: &Gf,
    codewords: &[u8],
    blocks: usize,
    ecc: usize,
) -> Option<Vec<u8>> {
    let total = codewords.len();
    let short_len = total / blocks;
    let long_count = total % blocks;
    let short_count = blocks - long_count;
    let short_data = short_len.checked_sub(ecc)?;
    let ecc_start = short_data * blocks + long_count;
    let mut data = Vec::with_capacity(total);
    // Block by block, straight from the interleaved codewords: a wrong layout usually fails
    // on its first block, before the rest is gathered.
    for index in 0..blocks {
        let long = index >= short_count;
        let mut block: Vec<u8> = (0..short_data)
            .map(|i| codewords[i * blocks + index])
            .chain(long.then(|| codewords[short_data * blocks + index - short_count]))
            .chain((0..ecc).map(|i| codewords[ecc_start + i * blocks + index]))
            .collect();
        let syndromes = gf.syndromes(&block, ecc);
        if syndromes.iter().any(|&s| s != 0) {
            gf.correct(&mut block, &syndromes)?;
        }
        data.extend_from_slice(&block[..block.len() - ecc]);
    }
    Some(data)
}

/// GF(256) with QR's polynomial x⁸ + x⁴ + x³ + x² + 1.
pub(super) struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

impl Gf {
    pub(super) fn new() -> Self {
        let (mut exp, mut log) = ([0u8; 512], [0u8; 256]);
        let mut x = 1u16;
        for i in 0..255 {
            exp[i] = x as u8;
            exp[i + 255] = x as u8;
            log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11d;
            }
        }
        Gf { exp, log }
    }

    fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + usize::from(self.log[usize::from(b)])]
        }
    }

    fn div(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[usize::from(self.log[usize::from(a)]) + 255
                - usize::from(self.log[usize::from(b)])]
        }
    }

    /// α to the power `e` (any sign, taken modulo 255).
    fn pow(&self, e: isize) -> u8 {
        self.exp[e.rem_euclid(255) as usize]
    }

    /// The block, first codeword the highest power, evaluated at α⁰ … α^(ecc-1).
    /// Multiplying by αⁱ adds i to a logarithm, with no look-up for αⁱ.
    fn syndromes(&self, block: &[u8], ecc: usize) -> Vec<u8> {
        (0..ecc)
            .map(|i| {
                block.iter().fold(0u8, |acc, &c| {
                    let product = if acc == 0 {
                        0
                    } else {
                        self.exp[usize::from(self.log[usize::from(acc)]) + i]
                    };
                    product ^ c
                })
            })
            .collect()
    }

    fn eval(&self, poly: &[u8], x: u8) -> u8 {
        // Lowest power first.
        poly.iter().rev().fold(0u8, |acc, &c| self.mul(acc, x) ^ c)
    }

    /// Corrects up to ecc/2 wrong codewords in place (Berlekamp–Massey, Chien, Forney).
    fn correct(&self, block: &mut [u8], syndromes: &[u8]) -> Option<()> {
        let n = block.len();
        let (mut sigma, mut prev) = (vec![1u8], vec![1u8]);
        let (mut errors, mut shift, mut prev_d) = (0usize, 1usize, 1u8);
        for k in 0..syndromes.len() {
            let mut d = syndromes[k];
            for i in 1..=errors.min(sigma.len() - 1) {
                d ^= self.mul(sigma[i], syndromes[k - i]);
            }
            if d == 0 {
                shift += 1;
                continue;
            }
            let factor = self.div(d, prev_d);
            let mut next = sigma.clone();
            next.resize(next.len().max(prev.len() + shift), 0);
            for (i, &p) in prev.iter().enumerate() {
                next[i + shift] ^= self.mul(factor, p);
            }
            if 2 * errors <= k {
                prev = std::mem::replace(&mut sigma, next);
                errors = k + 1 - errors;
                prev_d = d;
                shift = 1;
            } else {
                sigma = next;
                shift += 1;
            }
        }
        if 2 * errors > syndromes.len() {
            return None;
        }
        // Ω = S·σ mod x^ecc, lowest power first.
        let mut omega = vec![0u8; syndromes.len()];
        for (i, &s) in syndromes.iter().enumerate() {
            for (j, &c) in sigma.iter().enumerate() {
                if i + j < omega.len() {
                    omega[i + j] ^= self.mul(s, c);
                }
            }
        }
        let mut found = 0;
        for (position, codeword) in block.iter_mut().enumerate() {
            let power = (n - 1 - position) as isize;
            let x_inv = self.pow(-power);
            if self.eval(&sigma, x_inv) != 0 {
                continue;
            }
            // σ'(x): in characteristic 2 only the odd terms survive differentiation.
            let derivative: u8 = sigma
                .iter()
                .enumerate()
                .skip(1)
                .step_by(2)
                .fold(0u8, |acc, (i, &c)| {
                    acc ^ self.mul(c, self.pow(-power * (i as isize - 1)))
                });
            if derivative == 0 {
                return None;
            }
            let magnitude = self.mul(
                self.pow(power),
                self.div(self.eval(&omega, x_inv), derivative),
            );
            *codeword ^= magnitude;
            found += 1;
        }
        let clean = self
            .syndromes(block, syndromes.len())
            .iter()
            .all(|&s| s == 0);
        (found == errors && clean).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data` followed by its `ecc` Reed–Solomon parity codewords, as a QR encoder writes them.
    fn with_parity(gf: &Gf, data: &[u8], ecc: usize) -> Vec<u8> {
        // Generator ∏ (x − αⁱ), highest power first.
        let mut generator = vec![1u8];
        for i in 0..ecc {
            let root = gf.pow(i as isize);
            let mut next = vec![0u8; generator.len() + 1];
            for (j, &c) in generator.iter().enumerate() {
                next[j] ^= c;
                next[j + 1] ^= gf.mul(c, root);
            }
            generator = next;
        }
        let mut remainder = data.to_vec();
        remainder.resize(data.len() + ecc, 0);
        for i in 0..data.len() {
            let factor = remainder[i];
            for (j, &g) in generator.iter().enumerate() {
                remainder[i + j] ^= gf.mul(g, factor);
            }
        }
        [data, &remainder[data.len()..]].concat()
    }

    #[test]
    fn reed_solomon_corrects_up_to_half_as_many_codewords_as_it_has_parity() {
        let gf = Gf::new();
        let data: Vec<u8> = (0..16u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(5))
            .collect();
        let clean = with_parity(&gf, &data, 10);
        assert!(gf.syndromes(&clean, 10).iter().all(|&s| s == 0));
        let mut damaged = clean.clone();
        for (position, flip) in [(0, 0xff), (3, 1), (9, 0x80), (17, 0x2a), (25, 7)] {
            damaged[position] ^= flip;
        }
        let syndromes = gf.syndromes(&damaged, 10);
        assert_eq!(gf.correct(&mut damaged, &syndromes), Some(()));
        assert_eq!(damaged, clean);
    }

    #[test]
    fn reed_solomon_refuses_more_errors_than_it_can_correct() {
        let gf = Gf::new();
        let data: Vec<u8> = (0..16).map(|i| i * 11 + 3).collect();
        let mut damaged = with_parity(&gf, &data, 10);
        for position in [1, 4, 8, 12, 19, 23] {
            damaged[position] ^= 0x55;
        }
        let syndromes = gf.syndromes(&damaged, 10);
        assert_eq!(gf.correct(&mut damaged, &syndromes), None);
    }

    #[test]
    fn a_version_1_m_block_is_corrected() {
        // One block of 16 data and 10 parity codewords.
        let gf = Gf::new();
        let data: Vec<u8> = (0..16).map(|i| 200 - i * 3).collect();
        let mut codewords = with_parity(&gf, &data, 10);
        codewords[2] ^= 0x10;
        assert_eq!(correct(&gf, &codewords, 1, 0), Some(data));
    }

    /// Every version at every level, as another encoder lays its blocks out, reads: a
    /// layout of table 9 mistyped would not.
    #[test]
    fn every_version_and_level_reads_in_its_block_layout() {
        use qrcode::{EcLevel, QrCode, Version};
        for version in 1..=40 {
            for level in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
                let text = format!("tem {version} {level:?}");
                let code = QrCode::with_version(&text, Version::Normal(version), level).unwrap();
                let (size, colours) = (code.width(), code.to_colors());
                let grid = rqrr::SimpleGrid::from_func(size, |x, y| {
                    colours[y * size + x] == qrcode::Color::Dark
                });
                let bytes = crate::qr::decode(&grid).map(|payload| payload.bytes);
                assert_eq!(
                    bytes,
                    Some(text.into_bytes()),
                    "version {version} {level:?}"
                );
            }
        }
    }
}
