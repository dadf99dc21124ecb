use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The API key. Its `Debug` and `Display` never show it, and its memory is
/// zeroed when dropped; only the HTTP client reads the value.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(SecretString::from(key.into()))
    }

    /// The value, for the `Authorization` header and nothing else.
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let k = ApiKey::new("uj_live_canary_123");
        assert!(!format!("{k:?} {k} {k:#?}").contains("canary"));
        assert_eq!(k.expose(), "uj_live_canary_123");
    }
}
