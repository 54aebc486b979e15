//! Reed–Solomon error correction over GF(256): the block layout, in rqrr's private tables, is
//! found instead as the one layout of the level whose blocks check or correct.

/// Error-correction codewords per block used by ISO/IEC 18004 at some version and level.
const ECC_PER_BLOCK: [usize; 13] = [7, 10, 13, 15, 16, 17, 18, 20, 22, 24, 26, 28, 30];

/// The data codewords, error-corrected, or None when no block layout of the level checks.
pub(super) fn correct(gf: &Gf, codewords: &[u8], ecc_level: u16) -> Option<Vec<u8>> {
    let total = codewords.len();
    // Share of the codewords spent on error correction; format bits 01 = L, 00 = M, 11 = Q, 10 = H.
    let (low, high) = match ecc_level {
        1 => (0.15, 0.30),
        0 => (0.30, 0.46),
        3 => (0.44, 0.60),
        _ => (0.56, 0.70),
    };
    let mut layouts = Vec::new();
    // A code word for n parity codewords also checks for any fewer (the generators divide
    // each other), so the most parity that checks is the true layout.
    for &ecc in ECC_PER_BLOCK.iter().rev() {
        for blocks in 1..=81 {
            let share = (ecc * blocks) as f64 / total as f64;
            if total / blocks > ecc && (low..=high).contains(&share) {
                layouts.push((blocks, ecc));
            }
        }
    }
    // A clean read checks under exactly one layout; only then risk correcting.
    for correcting in [false, true] {
        for &(blocks, ecc) in &layouts {
            if let Some(data) = deinterleave_and_check(gf, codewords, blocks, ecc, correcting) {
                return Some(data);
            }
        }
    }
    None
}

fn deinterleave_and_check(
    gf: &Gf,
    codewords: &[u8],
    blocks: usize,
    ecc: usize,
    correcting: bool,
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
        // Checking, the first syndrome that is not zero decides: under a wrong layout that is
        // nearly always the first, and the check runs for every layout of every grid read.
        if !correcting {
            if (0..ecc).any(|i| gf.syndrome(&block, i) != 0) {
                return None;
            }
        } else {
            let syndromes = gf.syndromes(&block, ecc);
            if syndromes.iter().any(|&s| s != 0) {
                gf.correct(&mut block, &syndromes)?;
            }
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
    fn syndromes(&self, block: &[u8], ecc: usize) -> Vec<u8> {
        (0..ecc).map(|i| self.syndrome(block, i)).collect()
    }

    /// The block evaluated at αⁱ (i below 255). Multiplying by αⁱ adds i to a logarithm,
    /// with no look-up for it: a photo whose code does not read checks every grid it samples
    /// under every block layout, and this loop was a fifth of its time.
    fn syndrome(&self, block: &[u8], i: usize) -> u8 {
        block.iter().fold(0u8, |acc, &c| {
            let product = if acc == 0 {
                0
            } else {
                self.exp[usize::from(self.log[usize::from(acc)]) + i]
            };
            product ^ c
        })
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
    fn block_layout_is_found_from_the_codeword_count_and_level() {
        // Version 1-M: one block of 16 data and 10 parity codewords.
        let gf = Gf::new();
        let data: Vec<u8> = (0..16).map(|i| 200 - i * 3).collect();
        let mut codewords = with_parity(&gf, &data, 10);
        codewords[2] ^= 0x10;
        assert_eq!(correct(&gf, &codewords, 0), Some(data));
    }
}
