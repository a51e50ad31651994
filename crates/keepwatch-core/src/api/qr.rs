//! QR codes, drawn by the window from a grid of modules made here, so that a 2FA secret never
//! leaves the machine and the page needs no QR library of its own.

use keepwatch_api::TwoFactorResetResponse;
use qrcode::{Color, EcLevel};
use serde::{Deserialize, Serialize};

/// A QR code as a square grid of modules, without the quiet zone around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct QrCode {
    /// Modules per side.
    pub size: u32,
    /// Whether each module is dark, row by row from the top left; `size * size` of them.
    pub dark: Vec<bool>,
}

impl QrCode {
    /// The code for `text` at error-correction level M (what authenticator apps expect of a
    /// screen); `None` when the text is too long for any QR version.
    pub fn of(text: &str) -> Option<Self> {
        let code = qrcode::QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
        Some(Self {
            size: u32::try_from(code.width()).ok()?,
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }
}

/// A new 2FA secret as the window shows it once: the server's answer and its QR code.
///
/// `Debug` prints no secret: the API type hides its fields, and the grid is the secret again,
/// so it is left out too.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewTwoFactor {
    /// The server's answer: secret, `otpauth://` URI and backup codes.
    #[serde(flatten)]
    pub reset: TwoFactorResetResponse,
    /// The URI as a QR code; `None` if it is too long to encode.
    pub qr: Option<QrCode>,
}

impl std::fmt::Debug for NewTwoFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewTwoFactor")
            .field("reset", &self.reset)
            .finish_non_exhaustive()
    }
}

impl From<TwoFactorResetResponse> for NewTwoFactor {
    fn from(reset: TwoFactorResetResponse) -> Self {
        let qr = QrCode::of(&reset.otpauth_uri);
        Self { reset, qr }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_otpauth_uri_becomes_a_square_grid_with_finder_patterns() {
        let uri = "otpauth://totp/Keepwatch:demo%40keepwatch.invalid?secret=JBSWY3DPEHPK3PXP&issuer=Keepwatch";
        let qr = QrCode::of(uri).expect("fits");
        assert!(
            qr.size >= 21 && (qr.size - 17).is_multiple_of(4),
            "a QR side is 17 + 4v"
        );
        assert_eq!(qr.dark.len(), (qr.size * qr.size) as usize);
        // Every QR code has a finder pattern in the top-left corner: a dark 7×7 ring, a light
        // ring inside it and a dark 3×3 centre.
        let at = |r: u32, c: u32| qr.dark[(r * qr.size + c) as usize];
        assert!((0..7).all(|i| at(0, i) && at(6, i) && at(i, 0) && at(i, 6)));
        assert!((1..6).all(|i| !at(1, i) && !at(5, i)));
        assert!((2..5).all(|r| (2..5).all(|c| at(r, c))));
        assert_ne!(
            QrCode::of("otpauth://totp/other"),
            Some(qr),
            "content matters"
        );
    }

    #[test]
    fn text_too_long_for_any_version_gives_no_code() {
        assert_eq!(QrCode::of(&"x".repeat(5000)), None);
    }

    #[test]
    fn the_new_secret_is_sent_flat_beside_its_code() {
        let new = NewTwoFactor::from(TwoFactorResetResponse {
            secret: "JBSWY3DPEHPK3PXP".into(),
            otpauth_uri: "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP".into(),
            backup_codes: vec!["aaaa-bbbb".into()],
        });
        let json = serde_json::to_value(&new).unwrap();
        assert_eq!(json["secret"], "JBSWY3DPEHPK3PXP");
        assert_eq!(json["backup_codes"][0], "aaaa-bbbb");
        assert!(json["qr"]["size"].as_u64().unwrap() >= 21);
    }
}
