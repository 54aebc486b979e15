//! Which resolver a stamp's record is asked from. The trust list names, for each issuer, the
//! stamp domains it signs for and the resolver that serves them; a widget asks that resolver
//! and no other host, so a stamp cannot send a shopper's phone to a server the root never
//! vouched for. A stamp whose domain no issuer claims is asked from the portal that published
//! the list, and is then judged as a stamp from an unknown domain.

use super::jwk::Jwk;
use super::list::TrustList;

/// Whether `url` can be a resolver's base URL: `http://` or `https://`, an authority of host
/// (and port) characters only, an optional path, and nothing that carries credentials or
/// changes what is asked (userinfo, query, fragment, backslashes, spaces, control or
/// non-ASCII characters). A malformed port is left to the browser, which then fetches nothing.
pub fn is_resolver_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    !authority.is_empty()
        && !authority.starts_with(':')
        && authority
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        && rest
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"?#@\\".contains(&b))
}

impl TrustList {
    /// The resolver (a base URL, without a trailing `/`) to ask for a stamp pointing at
    /// `host`, at `now` (unix seconds); None means the portal that published the list.
    ///
    /// Only keys valid at `now` count. A key without a `resolver` is served by the publishing
    /// portal. When the issuers claiming the domain name different resolvers, none of them is
    /// preferred over another: the publishing portal is asked, and the record's signature and
    /// domain are judged as for any other.
    pub fn resolver_for(&self, host: Option<&str>, now: i64) -> Option<&str> {
        let host = host?;
        let mut serving = self
            .keys
            .iter()
            .filter(|key| key.is_valid_at(now) && key.allows_domain(host))
            .map(Jwk::resolver_base);
        let first = serving.next()??;
        serving.all(|other| other == Some(first)).then_some(first)
    }
}

impl Jwk {
    /// The key's resolver without a trailing `/`; None when the publishing portal serves it.
    fn resolver_base(&self) -> Option<&str> {
        self.resolver
            .as_deref()
            .map(|url| url.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolver_urls_are_plain_http_origins_with_an_optional_path() {
        for good in [
            "https://tem.example.vn",
            "https://tem.example.vn/",
            "http://127.0.0.2:8081",
            "https://resolver.example.vn:8443/gs1",
            "http://[::1]:8080",
        ] {
            assert!(is_resolver_url(good), "{good}");
        }
        for bad in [
            "",
            "tem.example.vn",
            "ftp://tem.example.vn",
            "javascript:alert(1)",
            "https://",
            "https://:8080",
            "https://user@tem.example.vn",
            "https://tem.example.vn?x=1",
            "https://tem.example.vn/#frag",
            "https://tem.example.vn\\@evil.vn",
            "https://tem.example.vn/a b",
            "https://tem.exämple.vn",
            "https://tem.example.vn/\u{202e}",
        ] {
            assert!(!is_resolver_url(bad), "{bad:?}");
        }
    }
}
