//! Secrets in the contract's types are wiped from memory when the value is dropped, so that a
//! password or token does not linger in freed memory (a crash dump, a swapped-out page) after
//! its one use. Kept apart from the type definitions: the wire format is not affected.

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{
    ChangePasswordRequest, LoginRequest, RefreshRequest, TokenPair, TwoFactorResetRequest,
    TwoFactorResetResponse,
};

macro_rules! wipe_on_drop {
    ($($ty:ty => [$($field:ident),+]);+ $(;)?) => {$(
        impl $ty {
            /// Zeroes the secret fields in place (their memory is freed right after, on drop).
            fn wipe(&mut self) {
                $(self.$field.zeroize();)+
            }
        }
        impl Drop for $ty {
            fn drop(&mut self) {
                self.wipe();
            }
        }
        impl ZeroizeOnDrop for $ty {}
    )+};
}

wipe_on_drop! {
    LoginRequest => [password, totp_code, backup_code, device_token];
    TokenPair => [access_token, refresh_token, device_token];
    RefreshRequest => [refresh_token];
    ChangePasswordRequest => [current_password, new_password];
    TwoFactorResetRequest => [password];
    TwoFactorResetResponse => [secret, otpauth_uri, backup_codes];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClientKind;

    #[test]
    fn every_secret_field_is_wiped() {
        let mut login = LoginRequest {
            email: "ann@example.com".into(),
            password: "pw".into(),
            totp_code: Some("123456".into()),
            backup_code: Some("b".into()),
            remember_me: true,
            client: ClientKind::Desktop,
            trust_device: false,
            device_token: Some("d".into()),
        };
        login.wipe();
        assert!(login.password.is_empty());
        assert_eq!(
            (login.totp_code.as_deref(), login.backup_code.as_deref()),
            (None, None)
        );
        assert_eq!(login.device_token, None);
        assert_eq!(login.email, "ann@example.com", "not a secret");

        let mut pair = TokenPair {
            access_token: "a".into(),
            refresh_token: "r".into(),
            token_type: "Bearer".into(),
            expires_in: 900,
            session_id: "s".into(),
            device_token: Some("d".into()),
        };
        pair.wipe();
        assert!(pair.access_token.is_empty() && pair.refresh_token.is_empty());
        assert_eq!(pair.device_token, None);

        let mut refresh = RefreshRequest {
            refresh_token: "r".into(),
        };
        refresh.wipe();
        assert!(refresh.refresh_token.is_empty());

        let mut change = ChangePasswordRequest {
            current_password: "a".into(),
            new_password: "b".into(),
        };
        change.wipe();
        assert!(change.current_password.is_empty() && change.new_password.is_empty());

        let mut reset = TwoFactorResetRequest {
            password: "a".into(),
        };
        reset.wipe();
        assert!(reset.password.is_empty());

        let mut answer = TwoFactorResetResponse {
            secret: "s".into(),
            otpauth_uri: "otpauth://totp/x?secret=s".into(),
            backup_codes: vec!["c".into()],
        };
        answer.wipe();
        assert!(answer.secret.is_empty() && answer.otpauth_uri.is_empty());
        assert!(answer.backup_codes.is_empty());
    }
}
