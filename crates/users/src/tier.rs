//! Pay tier of a new user (domain §4.4).

/// The tier when `users_and_tiers` has no matching row.
pub const DEFAULT_TIER: i32 = 1;
/// Highest `user_tier` a request may set.
pub const TIER_MAX: i32 = 1000;

fn normalise(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The `users_and_tiers.user_email` values to look up for `email`, most preferred first,
/// lower-cased: the e-mail itself, then the e-mail with any `+tag` removed from its local part
/// (when that differs). An adapter can fetch the rows `WHERE LOWER(user_email) IN (…)` and
/// hand them to [`assign_tier`].
pub fn tier_candidates(email: &str) -> Vec<String> {
    let exact = normalise(email);
    let mut out = vec![exact.clone()];
    if let Some((local, domain)) = exact.rsplit_once('@')
        && let Some((base, _tag)) = local.split_once('+')
        && !base.is_empty()
    {
        out.push(format!("{base}@{domain}"));
    }
    out
}

/// The tier for `email` given candidate `(user_email, tier)` rows of `users_and_tiers`: the
/// exact case-insensitive match first, then the match without `+tag`, else [`DEFAULT_TIER`].
pub fn assign_tier<'a>(email: &str, rows: impl IntoIterator<Item = (&'a str, i32)>) -> i32 {
    let rows: Vec<(String, i32)> = rows.into_iter().map(|(e, tier)| (normalise(e), tier)).collect();
    assign_tier_with(email, |candidate| rows.iter().find(|(e, _)| e == candidate).map(|(_, tier)| *tier))
}

/// [`assign_tier`] with a lookup by lower-cased e-mail (the lookup must compare
/// case-insensitively).
pub fn assign_tier_with(email: &str, lookup: impl Fn(&str) -> Option<i32>) -> i32 {
    tier_candidates(email).iter().find_map(|candidate| lookup(candidate)).unwrap_or(DEFAULT_TIER)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: [(&str, i32); 4] = [
        ("Jane.Doe@Example.com", 3),
        ("bob@example.com", 5),
        ("bob+work@example.com", 7),
        ("carol@example.com ", 2),
    ];

    #[test]
    fn tier_table() {
        let table: &[(&str, i32)] = &[
            ("jane.doe@example.com", 3),
            ("JANE.DOE@EXAMPLE.COM", 3),
            (" Jane.Doe@Example.com ", 3),
            ("jane.doe+surgery@example.com", 3),
            ("bob@example.com", 5),
            // The exact row wins over the row without the tag.
            ("bob+work@example.com", 7),
            ("bob+home@example.com", 5),
            ("bob+a+b@example.com", 5),
            ("Carol@Example.com", 2),
            ("dave@example.com", DEFAULT_TIER),
            ("dave+x@example.com", DEFAULT_TIER),
            // No local part once the tag is gone: nothing to match.
            ("+bob@example.com", DEFAULT_TIER),
            ("jane.doe@example.org", DEFAULT_TIER),
        ];
        for (email, tier) in table {
            assert_eq!(assign_tier(email, ROWS), *tier, "{email}");
        }
    }

    #[test]
    fn candidates_in_order() {
        assert_eq!(tier_candidates("Bob+Work@Example.com"), vec!["bob+work@example.com", "bob@example.com"]);
        assert_eq!(tier_candidates("bob@example.com"), vec!["bob@example.com"]);
        assert_eq!(tier_candidates("+x@example.com"), vec!["+x@example.com"]);
    }

    #[test]
    fn lookup_variant_asks_in_order() {
        let asked = std::cell::RefCell::new(Vec::new());
        let tier = assign_tier_with("a+b@x.io", |e| {
            asked.borrow_mut().push(e.to_owned());
            (e == "a@x.io").then_some(9)
        });
        assert_eq!(tier, 9);
        assert_eq!(*asked.borrow(), vec!["a+b@x.io", "a@x.io"]);
    }
}
