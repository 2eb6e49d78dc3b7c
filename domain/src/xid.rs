//! The text form of an `rs/xid` id: 12 bytes as 20 characters of lowercase base32hex.
//!
//! 96 bits fill 19 characters and one bit of a 20th, so the last character's low four bits are
//! padding and must be zero; Go's `xid.FromString` rejects any other last character, and so do we.

const ALPHABET: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
pub(crate) const TEXT_LEN: usize = 20;

pub(crate) fn encode(bytes: &[u8; 12]) -> String {
    let mut out = String::with_capacity(TEXT_LEN);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((acc >> bits) & 0x1f) as usize]));
        }
    }
    // 96 = 19 * 5 + 1: one bit is left, padded with four zero bits.
    out.push(char::from(ALPHABET[((acc << (5 - bits)) & 0x1f) as usize]));
    out
}

pub(crate) fn decode(text: &str) -> Option<[u8; 12]> {
    if text.len() != TEXT_LEN {
        return None;
    }
    let mut out = [0u8; 12];
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut n = 0;
    for c in text.bytes() {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'v' => c - b'a' + 10,
            _ => return None,
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 && n < 12 {
            bits -= 8;
            out[n] = ((acc >> bits) & 0xff) as u8;
            n += 1;
        }
    }
    // Four padding bits remain; anything but zero would not round-trip.
    (acc & ((1 << bits) - 1) == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_juju_ids() {
        for id in [
            "cjt5s4lp3des77vsgehg",
            "copp9vfmp25c77di8nm0",
            "coirr5bdaekhf5q4ujh0",
        ] {
            let bytes = decode(id).expect("a real Juju id decodes");
            assert_eq!(encode(&bytes), id);
        }
    }

    #[test]
    fn rejects_padding_bits_and_foreign_characters() {
        assert!(
            decode("cjt5s4lp3des77vsgehh").is_none(),
            "last char must end in zero bits"
        );
        assert!(
            decode("cjt5s4lp3des77vsgehw").is_none(),
            "w is outside base32hex"
        );
        assert!(decode("cjt5s4lp3des77vsgeh").is_none(), "19 characters");
    }

    #[test]
    fn every_byte_pattern_round_trips() {
        for fill in [0u8, 0x5a, 0xa5, 0xff] {
            let bytes = [fill; 12];
            assert_eq!(decode(&encode(&bytes)), Some(bytes));
        }
    }
}
