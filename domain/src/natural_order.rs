//! Names in the order people read them: `api-key-2` before `api-key-10` (ADR 0025). The key
//! left-pads every run of ASCII digits to a fixed width, so that comparing keys byte by byte, as
//! both databases can in an index, gives that order.

/// Digits in a run, at the most, that order correctly; a longer run keeps its length and sorts
/// after every shorter one with the same prefix.
const WIDTH: usize = 20;

/// The sort key of `name`: the name with each run of ASCII digits left-padded with zeros to
/// 20 characters. Leading zeros a name already has are kept after the padding, so `a-01` and
/// `a-1` have different keys and their order stays stable.
pub fn natural_sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + WIDTH);
    let mut rest = name;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            let significant = rest[..digits].trim_start_matches('0');
            let pad = WIDTH.saturating_sub(significant.len());
            key.extend(std::iter::repeat_n('0', pad));
            key.push_str(significant);
            // The zeros the name itself led with break a tie between `a-01` and `a-1`: a control
            // character below any a name may hold, and not NUL, which PostgreSQL text refuses.
            key.extend(std::iter::repeat_n('\u{1}', digits - significant.len()));
            rest = &rest[digits..];
        } else {
            let text = rest
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .map_or(rest.len(), |(i, _)| i);
            key.push_str(&rest[..text]);
            rest = &rest[text..];
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::natural_sort_key;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<&str> = names.to_vec();
        names.sort_by_key(|n| natural_sort_key(n));
        names.into_iter().map(str::to_owned).collect()
    }

    #[test]
    /// Digits sort before letters, as in byte order; a run of them by its value.
    fn numbers_in_names_sort_by_value() {
        assert_eq!(
            sorted(&[
                "api-key-10",
                "api-key-2",
                "api-key-1",
                "api",
                "api-key-02",
                "b1",
                "a10b2",
                "a10b10"
            ]),
            [
                "a10b2",
                "a10b10",
                "api",
                "api-key-1",
                "api-key-2",
                "api-key-02",
                "api-key-10",
                "b1"
            ]
        );
    }

    #[test]
    fn names_without_digits_keep_their_byte_order() {
        assert_eq!(natural_sort_key("db-password"), "db-password");
        assert!(
            !natural_sort_key("a-007").contains('\0'),
            "PostgreSQL text holds no NUL"
        );
        assert_eq!(
            sorted(&["zeta", "alpha", "Beta"]),
            ["Beta", "alpha", "zeta"]
        );
    }
}
