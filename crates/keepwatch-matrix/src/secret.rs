//! Secrets: access and refresh tokens and passwords, never printed by `Debug` and wiped from
//! memory when dropped.

use zeroize::Zeroizing;

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Zeroizing<String>);

        impl $name {
            /// Wraps `value` (moved in, not copied).
            pub fn new(value: impl Into<String>) -> Self {
                Self(Zeroizing::new(value.into()))
            }

            /// The secret itself, for sending or storing in the keyring.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::new(value)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::new)
            }
        }
    };
}

secret!(
    /// An access token: `Authorization: Bearer` on every call.
    AccessToken
);
secret!(
    /// A refresh token, traded for a new access token (and usually a new refresh token).
    RefreshToken
);
secret!(
    /// A password, passed in for one call and never kept.
    Password
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let token = AccessToken::new("syt_secret_value");
        let password = Password::new("hunter2");
        let shown = format!("{token:?} {password:?} {:?}", RefreshToken::new("syr_x"));
        assert!(!shown.contains("syt_secret_value"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(!shown.contains("syr_x"), "{shown}");
        assert_eq!(token.expose(), "syt_secret_value");
    }
}
