//! Server-written text, made inert before anything shows it.
//!
//! Whatever a server or an intruder writes reaches the user: the device label is parsed from a
//! User-Agent the intruder chose, ISP and city names come from a geolocation database, a
//! withdrawal address, a blocklist note or an error message is whatever the server says. The
//! window, notifications, the tray, the CLI and the exports each escape for their own medium
//! (HTML, notification markup, spreadsheet formulas), but none of those escapes stops text that
//! reorders or hides what the user reads, or that is long enough to push the real facts out of
//! sight. This module is the one place where such text is cleaned, and it is applied once, at
//! ingress:
//!
//! * every answer [`crate::client::AccountClient`] decodes — its decoder requires [`Inert`], so an
//!   endpoint whose type has no cleaning does not compile — the event stream and error bodies
//!   included;
//! * every record read back from [`crate::history`], so that data stored before this module
//!   existed is inert too.
//!
//! # What [`clean`] does
//!
//! 1. Removes Unicode format characters (general category Cf, from the `unicode-properties`
//!    tables): the bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) that
//!    reorder text, LRM/RLM/ALM, the zero-width space, non-joiner and joiner (U+200B–200D), the
//!    word joiner and invisible operators (U+2060–2064), the BOM (U+FEFF), the soft hyphen, the
//!    tag characters (U+E0001–E007F) and the rest of Cf. Also removes the few letters and marks
//!    that render as nothing ([`INVISIBLE_NON_FORMAT`]). The price: emoji joined with U+200D fall
//!    apart into their parts, and scripts that use joiners for shaping show their plain forms;
//!    neither matters for a device or a place name.
//! 2. Turns control characters (Cc: C0, DEL, C1) that are whitespace (tab, line breaks) into
//!    spaces and every other one into U+FFFD, so the user sees that something was there.
//! 3. Collapses every run of whitespace (no-break, ideographic, line and paragraph separators
//!    included) into one space, and trims both ends.
//! 4. Keeps each grapheme cluster to [`MAX_CLUSTER_CHARS`] characters, so a stack of combining
//!    marks cannot paint over the lines around it.
//! 5. Cuts text longer than the cap at a grapheme boundary and ends it with "…"; the result,
//!    ellipsis included, is never longer than the cap, counted in characters.
//!
//! Cleaning is idempotent: cleaning a cleaned text changes nothing, so surfaces may clean again
//! for safety.
//!
//! Markup (`<b>`, `&amp;`) and formulas (`=SUM(1)`) are left as text: what is dangerous about
//! them depends on the surface, so the notifier escapes markup where the server renders it and
//! the CSV export neutralises formulas.

use keepwatch_api::{
    ApiError, BlocklistEntry, ChangePasswordResponse, Device, Event, EventList, Location,
    LoginAttempt, Network, RevokeOthersResponse, Session, SessionLength, SessionList, TokenPair,
    TrustedDevice, TwoFactorResetResponse, Withdrawal,
};
use keepwatch_detector::{Alert, Reason, ResponseStep};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
use unicode_segmentation::UnicodeSegmentation;

use crate::history::{AlertRecord, SessionRecord};

/// The longest name shown, in characters: device labels and their parts, ISPs, places, ids.
/// The contract's [`keepwatch_api::MAX_LABEL_CHARS`], which the reference server's labels keep to.
pub const LABEL_MAX_CHARS: usize = keepwatch_api::MAX_LABEL_CHARS;

/// The longest free text shown, in characters: a User-Agent, a note, an error message, an alert
/// summary, a withdrawal address.
pub const TEXT_MAX_CHARS: usize = 512;

/// The most characters one grapheme cluster keeps: a letter with a few accents, a flag or an
/// emoji with its modifiers fit; a tower of combining marks does not.
pub const MAX_CLUSTER_CHARS: usize = 8;

/// What a cut text ends with.
pub const ELLIPSIS: char = '…';

/// Characters outside Cf that render as nothing and so hide or fake a gap: the combining
/// grapheme joiner, the Hangul fillers and Khmer's two invisible vowels.
pub const INVISIBLE_NON_FORMAT: &[char] = &[
    '\u{034F}', '\u{115F}', '\u{1160}', '\u{17B4}', '\u{17B5}', '\u{3164}', '\u{FFA0}',
];

/// `text` made safe to show, at most `max_chars` characters long; see the module documentation
/// for the rules.
pub fn clean(text: &str, max_chars: usize) -> String {
    let mut flat = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        let c = match c.general_category() {
            GeneralCategory::Format => continue,
            _ if INVISIBLE_NON_FORMAT.contains(&c) => continue,
            GeneralCategory::Control if !c.is_whitespace() => char::REPLACEMENT_CHARACTER,
            _ => c,
        };
        if c.is_whitespace() {
            pending_space = !flat.is_empty();
            continue;
        }
        if pending_space {
            flat.push(' ');
            pending_space = false;
        }
        flat.push(c);
    }
    // Shortening a cluster can let its new last character join the next cluster (a Hangul
    // syllable cut before its vowel), so shorten until nothing needs it: each pass that does
    // shortens the text, and the fixed point is what makes cleaning idempotent.
    loop {
        let (capped, shortened) = cap(&flat, max_chars);
        if !shortened {
            return capped;
        }
        flat = capped;
    }
}

/// `text` cleaned to [`LABEL_MAX_CHARS`].
pub fn label(text: &str) -> String {
    clean(text, LABEL_MAX_CHARS)
}

/// `text` cleaned to [`TEXT_MAX_CHARS`].
pub fn text(text: &str) -> String {
    clean(text, TEXT_MAX_CHARS)
}

/// Keeps clusters to [`MAX_CLUSTER_CHARS`] and the whole within `max_chars`, cutting at a
/// cluster boundary. Also says whether a cluster was shortened.
fn cap(flat: &str, max_chars: usize) -> (String, bool) {
    let kept_chars = |g: &str| g.chars().count().min(MAX_CLUSTER_CHARS);
    let total: usize = flat.graphemes(true).map(kept_chars).sum();
    let cut = total > max_chars;
    let budget = if cut {
        max_chars.saturating_sub(1)
    } else {
        max_chars
    };
    let mut out = String::with_capacity(
        flat.len()
            .min(max_chars.saturating_add(1).saturating_mul(4)),
    );
    let mut count = 0usize;
    let mut shortened = false;
    for g in flat.graphemes(true) {
        let n = kept_chars(g);
        if count + n > budget {
            break;
        }
        shortened |= n < g.chars().count();
        out.extend(g.chars().take(MAX_CLUSTER_CHARS));
        count += n;
    }
    if cut && max_chars > 0 {
        out.truncate(out.trim_end().len());
        out.push(ELLIPSIS);
    }
    (out, shortened)
}

fn label_in_place(s: &mut String) {
    *s = label(s);
}

fn text_in_place(s: &mut String) {
    *s = text(s);
}

fn opt(s: &mut Option<String>, f: fn(&mut String)) {
    if let Some(s) = s {
        f(s);
    }
    // An empty name says nothing; "unknown" is what the surfaces show for a missing one.
    if s.as_deref() == Some("") {
        *s = None;
    }
}

/// A value whose server-written strings can be made safe to show.
///
/// Implemented by every type [`crate::client::AccountClient`] decodes and every record
/// [`crate::history`] returns. Tokens are credentials, never shown, and stay byte for byte.
pub trait Inert: Sized {
    /// Cleans every server-written string of `self` in place.
    fn make_inert(&mut self);

    /// `self`, cleaned.
    fn inert(mut self) -> Self {
        self.make_inert();
        self
    }
}

impl<T: Inert> Inert for Vec<T> {
    fn make_inert(&mut self) {
        self.iter_mut().for_each(Inert::make_inert);
    }
}

impl<T: Inert> Inert for Option<T> {
    fn make_inert(&mut self) {
        if let Some(v) = self {
            v.make_inert();
        }
    }
}

impl<T: Inert> Inert for Box<T> {
    fn make_inert(&mut self) {
        (**self).make_inert();
    }
}

impl Inert for Device {
    fn make_inert(&mut self) {
        label_in_place(&mut self.label);
        if self.label.is_empty() {
            "Unknown device".clone_into(&mut self.label);
        }
        opt(&mut self.browser, label_in_place);
        opt(&mut self.browser_version, label_in_place);
        opt(&mut self.os, label_in_place);
        opt(&mut self.os_version, label_in_place);
        opt(&mut self.user_agent, text_in_place);
    }
}

impl Inert for Network {
    fn make_inert(&mut self) {
        opt(&mut self.isp, label_in_place);
    }
}

impl Inert for Location {
    fn make_inert(&mut self) {
        opt(&mut self.city, label_in_place);
        opt(&mut self.region, label_in_place);
        opt(&mut self.country_code, label_in_place);
        opt(&mut self.country, label_in_place);
    }
}

impl Inert for Session {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        label_in_place(&mut self.ip);
        self.device.make_inert();
        self.network.make_inert();
        self.location.make_inert();
    }
}

impl Inert for SessionList {
    fn make_inert(&mut self) {
        label_in_place(&mut self.current_session_id);
        self.sessions.make_inert();
    }
}

impl Inert for LoginAttempt {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        opt(&mut self.session_id, label_in_place);
        label_in_place(&mut self.ip);
        self.device.make_inert();
        self.network.make_inert();
        self.location.make_inert();
    }
}

impl Inert for Withdrawal {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        label_in_place(&mut self.asset);
        label_in_place(&mut self.amount);
        // Some chains' addresses are over 100 characters; the user must be able to read all of it.
        text_in_place(&mut self.address);
        opt(&mut self.session_id, label_in_place);
        opt(&mut self.ip, label_in_place);
    }
}

impl Inert for BlocklistEntry {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        label_in_place(&mut self.cidr);
        opt(&mut self.note, text_in_place);
    }
}

impl Inert for TrustedDevice {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        self.device.make_inert();
        label_in_place(&mut self.ip);
        self.location.make_inert();
    }
}

impl Inert for Event {
    fn make_inert(&mut self) {
        self.session.make_inert();
        opt(&mut self.actor_session_id, label_in_place);
        self.attempt.make_inert();
        self.withdrawal.make_inert();
        self.blocklist_entry.make_inert();
        self.trusted_device.make_inert();
    }
}

impl Inert for EventList {
    fn make_inert(&mut self) {
        self.events.make_inert();
    }
}

impl Inert for ApiError {
    fn make_inert(&mut self) {
        text_in_place(&mut self.message);
        if let Some(revocation) = &mut self.revocation {
            opt(&mut revocation.by_session, label_in_place);
        }
    }
}

impl Inert for TokenPair {
    fn make_inert(&mut self) {
        // The tokens are credentials, never shown: changing a byte would break them.
        label_in_place(&mut self.session_id);
    }
}

impl Inert for TwoFactorResetResponse {
    fn make_inert(&mut self) {
        // Shown to the user and typed into an authenticator, so no hidden characters; not cut,
        // since a cut secret is a wrong one. Real ones are base32 and digits, which this keeps.
        let uncut = |s: &mut String| *s = clean(s, usize::MAX);
        uncut(&mut self.secret);
        uncut(&mut self.otpauth_uri);
        self.backup_codes.iter_mut().for_each(uncut);
    }
}

impl Inert for RevokeOthersResponse {
    fn make_inert(&mut self) {}
}

impl Inert for ChangePasswordResponse {
    fn make_inert(&mut self) {}
}

impl Inert for SessionLength {
    fn make_inert(&mut self) {}
}

impl Inert for SessionRecord {
    fn make_inert(&mut self) {
        label_in_place(&mut self.id);
        label_in_place(&mut self.device_label);
        if self.device_label.is_empty() {
            "Unknown device".clone_into(&mut self.device_label);
        }
        label_in_place(&mut self.device_key);
        label_in_place(&mut self.ip);
        opt(&mut self.isp, label_in_place);
        opt(&mut self.city, label_in_place);
        opt(&mut self.country, label_in_place);
        opt(&mut self.country_code, label_in_place);
        self.snapshot.make_inert();
    }
}

impl Inert for Reason {
    fn make_inert(&mut self) {
        match self {
            Reason::UnfamiliarCountry {
                country_code,
                country,
            } => {
                label_in_place(country_code);
                opt(country, label_in_place);
            }
            Reason::UnfamiliarDevice { label } | Reason::UnidentifiedDevice { label } => {
                label_in_place(label)
            }
            Reason::Network { isp, .. } => opt(isp, label_in_place),
            Reason::VpnOrHostingNetwork { operator, isp, .. } => {
                label_in_place(operator);
                opt(isp, label_in_place);
            }
            Reason::ImpossibleTravel { from, to, .. } => {
                text_in_place(from);
                text_in_place(to);
            }
            Reason::WithdrawalToUnknownAddress {
                asset,
                amount,
                address,
            } => {
                label_in_place(asset);
                label_in_place(amount);
                text_in_place(address);
            }
            Reason::UnseenSession { session_id } => label_in_place(session_id),
            Reason::UnknownLocation
            | Reason::UnusualRoute
            | Reason::KeepwatchSignedOut { .. }
            | Reason::OtherSessionsSignedOut { .. }
            | Reason::TravelMode { .. }
            | Reason::NotFromThisApp
            | Reason::UnknownSession
            | Reason::FailedSignIn { .. }
            | Reason::AccountLocked { .. } => {}
        }
    }
}

impl Inert for ResponseStep {
    fn make_inert(&mut self) {
        match self {
            ResponseStep::SignOutSession { session_id } => label_in_place(session_id),
            ResponseStep::BlockIp { ip } => label_in_place(ip),
            ResponseStep::SignInAgain
            | ResponseStep::ChangePassword
            | ResponseStep::ResetTwoFactor
            | ResponseStep::ReviewWithdrawals
            | ResponseStep::ContactSupport => {}
        }
    }
}

impl Inert for Alert {
    fn make_inert(&mut self) {
        // The key quotes a session id, which rows from before inert text may hold raw. Alerts
        // raised since quote a cleaned id, which this leaves as it is.
        text_in_place(&mut self.key);
        text_in_place(&mut self.title);
        text_in_place(&mut self.summary);
        opt(&mut self.session_id, label_in_place);
        self.reasons.iter_mut().for_each(Inert::make_inert);
        self.steps.iter_mut().for_each(Inert::make_inert);
    }
}

impl Inert for AlertRecord {
    fn make_inert(&mut self) {
        self.alert.make_inert();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use keepwatch_api::*;
    use keepwatch_detector::{AlertKind, Severity};

    use crate::history::{AlertState, EndReason, Trust};

    /// What an intruder would write: reordering, hiding, markup, a formula, a terminal escape,
    /// Keepwatch's own layout, and far too much of it.
    fn hostile() -> String {
        format!(
            "\u{202E}Safari 17 on macOS · Berlin, Germany\u{2066}<b>bold</b>\u{2069}\u{200B} \
             <a href=\"x\">link</a> &amp; =HYPERLINK(\"http://x\",\"y\") \u{1b}[2J\u{FEFF}{}",
            "A".repeat(600)
        )
    }

    fn has_hidden(s: &str) -> bool {
        s.chars().any(|c| {
            matches!(
                c.general_category(),
                GeneralCategory::Format | GeneralCategory::Control
            ) || INVISIBLE_NON_FORMAT.contains(&c)
        })
    }

    #[test]
    fn format_characters_are_removed() {
        let mut format = vec![
            '\u{00AD}',
            '\u{061C}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{FEFF}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{E0001}',
        ];
        format.extend('\u{202A}'..='\u{202E}');
        format.extend('\u{2060}'..='\u{2064}');
        format.extend('\u{2066}'..='\u{2069}');
        format.extend('\u{E0020}'..='\u{E007F}');
        format.extend_from_slice(INVISIBLE_NON_FORMAT);
        for c in format {
            assert_eq!(clean(&format!("a{c}b"), 80), "ab", "U+{:04X}", c as u32);
        }
        // Every Cf character Unicode knows, not only the ones named above.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.general_category() == GeneralCategory::Format {
                assert_eq!(clean(&format!("a{c}b"), 80), "ab", "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn control_characters_become_spaces_or_replacement_characters() {
        assert_eq!(label("a\u{1b}[2Jb"), "a\u{FFFD}[2Jb");
        assert_eq!(
            label("a\u{0}b\u{7F}c\u{9B}d"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d"
        );
        assert_eq!(label("a\tb\nc\r\nd\u{85}e\u{B}f\u{C}g"), "a b c d e f g");
    }

    #[test]
    fn whitespace_runs_collapse_and_ends_are_trimmed() {
        assert_eq!(
            label("  Deutsche \u{A0}\u{3000} Telekom\u{2028}\u{2029}AG \u{200B} "),
            "Deutsche Telekom AG"
        );
        assert_eq!(label(" \u{200B}\t "), "");
        // A removed character between two spaces leaves one space, not two.
        assert_eq!(label("a \u{202E} b"), "a b");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis_within_the_cap() {
        let exact = "x".repeat(LABEL_MAX_CHARS);
        assert_eq!(label(&exact), exact);
        let cut = label(&"x".repeat(LABEL_MAX_CHARS + 1));
        assert_eq!(cut.chars().count(), LABEL_MAX_CHARS);
        assert_eq!(cut, format!("{}…", "x".repeat(LABEL_MAX_CHARS - 1)));
        assert_eq!(text(&"y".repeat(10_000)).chars().count(), TEXT_MAX_CHARS);
        // No space is left dangling before the ellipsis.
        let words = label(&"word ".repeat(40));
        assert!(words.ends_with("word…"), "{words}");
        assert_eq!(clean("abc", 0), "");
        assert_eq!(clean("abc", 1), "…");
    }

    #[test]
    fn the_cut_falls_between_grapheme_clusters() {
        // "é" as e + combining acute: the accent is never separated from its letter.
        let accented = label(&"e\u{301}".repeat(100));
        assert!(accented.chars().count() <= LABEL_MAX_CHARS);
        assert!(accented.ends_with("e\u{301}…"), "{accented:?}");
        // Flags are pairs of regional indicators; a cut never leaves half a flag.
        let flags = label(&"🇩🇪".repeat(100));
        let indicators = flags.chars().filter(|c| *c != ELLIPSIS).count();
        assert_eq!(indicators % 2, 0);
        assert!(flags.chars().count() <= LABEL_MAX_CHARS);
    }

    #[test]
    fn a_tower_of_combining_marks_is_kept_short() {
        let zalgo = format!("a{}b", "\u{301}".repeat(100));
        assert_eq!(
            label(&zalgo),
            format!("a{}b", "\u{301}".repeat(MAX_CLUSTER_CHARS - 1))
        );
    }

    #[test]
    fn real_names_pass_unchanged() {
        for name in [
            "Chrome 124 on macOS Sonoma",
            "Safari 17 on iPhone (iOS 17.4)",
            "São Paulo",
            "Claro NXT Telecomunicacoes Ltda",
            "Cloudflare, Inc.",
            "LLC \"SPUTNIK\"",
            "東京",
            "القاهرة",
            "Seznam prohlížeč",
            "👍🏽",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        ] {
            assert_eq!(label(name), name);
        }
    }

    #[test]
    fn cleaning_twice_is_cleaning_once() {
        // A palette of every kind of character the rules treat differently, drawn at random.
        let palette: Vec<char> = "aZ09 .,·<>&\"'=+-@€é東🇩🇪👍🏽"
            .chars()
            .chain([
                '\u{301}',
                '\u{302}',
                '\u{202E}',
                '\u{2066}',
                '\u{200B}',
                '\u{200D}',
                '\u{FEFF}',
                '\u{E0041}',
                '\u{1b}',
                '\u{0}',
                '\u{9B}',
                '\t',
                '\n',
                '\r',
                '\u{A0}',
                '\u{3000}',
                '\u{2028}',
                '\u{1100}',
                '\u{1161}',
                '\u{11A8}',
                '\u{AC00}',
                '\u{3164}',
                '\u{1F3FD}',
                '\u{FE0F}',
                '\u{0D4E}',
                '\u{094D}',
                '\u{0915}',
            ])
            .collect();
        let mut rng = fastrand::Rng::with_seed(8);
        let mut corpus = vec![hostile(), String::new(), " ".into(), "…".into()];
        for _ in 0..3000 {
            let len = rng.usize(0..120);
            corpus.push(
                (0..len)
                    .map(|_| palette[rng.usize(..palette.len())])
                    .collect(),
            );
        }
        for input in &corpus {
            for cap in [0, 1, 2, 5, 20, LABEL_MAX_CHARS, TEXT_MAX_CHARS] {
                let once = clean(input, cap);
                assert_eq!(clean(&once, cap), once, "{input:?} at {cap}");
                assert!(once.chars().count() <= cap, "{once:?} over {cap}");
                assert!(!has_hidden(&once), "{once:?}");
                assert_eq!(once.trim(), once);
                assert!(!once.contains("  "), "{once:?}");
            }
        }
    }

    fn device() -> Device {
        Device {
            label: hostile(),
            browser: Some(hostile()),
            browser_version: Some(hostile()),
            os: Some(hostile()),
            os_version: Some(hostile()),
            device_type: DeviceType::Desktop,
            user_agent: Some(hostile()),
        }
    }

    fn location() -> Location {
        Location {
            city: Some(hostile()),
            region: Some(hostile()),
            country_code: Some(hostile()),
            country: Some(hostile()),
            latitude: Some(1.0),
            longitude: Some(2.0),
        }
    }

    fn network() -> Network {
        Network {
            asn: Some(1),
            isp: Some(hostile()),
        }
    }

    fn session() -> Session {
        Session {
            id: hostile(),
            current: false,
            client: ClientKind::Web,
            remember_me: true,
            trusted_device: false,
            created_at: Utc::now(),
            last_active_at: Utc::now(),
            expires_at: Utc::now(),
            ip: hostile(),
            device: device(),
            network: network(),
            location: location(),
        }
    }

    fn attempt() -> LoginAttempt {
        LoginAttempt {
            id: hostile(),
            at: Utc::now(),
            outcome: LoginOutcome::InvalidCredentials,
            session_id: Some(hostile()),
            ip: hostile(),
            device: device(),
            network: network(),
            location: location(),
        }
    }

    fn withdrawal() -> Withdrawal {
        Withdrawal {
            id: hostile(),
            asset: hostile(),
            amount: hostile(),
            address: hostile(),
            address_in_book: false,
            created_at: Utc::now(),
            status: WithdrawalStatus::Pending,
            session_id: Some(hostile()),
            ip: Some(hostile()),
        }
    }

    fn blocklist_entry() -> BlocklistEntry {
        BlocklistEntry {
            id: hostile(),
            cidr: hostile(),
            note: Some(hostile()),
            created_at: Utc::now(),
        }
    }

    fn trusted_device() -> TrustedDevice {
        TrustedDevice {
            id: hostile(),
            device: device(),
            ip: hostile(),
            location: location(),
            created_at: Utc::now(),
            expires_at: Utc::now(),
        }
    }

    fn event() -> Event {
        Event {
            id: 1,
            kind: EventKind::WithdrawalCreated,
            occurred_at: Utc::now(),
            session: Some(session()),
            actor_session_id: Some(hostile()),
            attempt: Some(attempt()),
            withdrawal: Some(withdrawal()),
            blocklist_entry: Some(blocklist_entry()),
            blocklist_action: Some(BlocklistAction::Added),
            trusted_device: Some(trusted_device()),
            revoked_sessions: Some(1),
            revocation: Some(keepwatch_api::RevocationReason::RevokedBySession),
            cause_event_id: Some(1),
            locked_until: Some(Utc::now()),
        }
    }

    fn alert_record() -> AlertRecord {
        let h = hostile;
        AlertRecord {
            alert: Alert {
                key: h(),
                kind: AlertKind::PossibleTakeover,
                severity: Severity::Critical,
                title: h(),
                summary: h(),
                session_id: Some(h()),
                event_id: Some(1),
                reasons: vec![
                    Reason::UnfamiliarCountry {
                        country_code: h(),
                        country: Some(h()),
                    },
                    Reason::UnfamiliarDevice { label: h() },
                    Reason::UnidentifiedDevice { label: h() },
                    Reason::UnknownLocation,
                    Reason::Network {
                        asn: Some(1),
                        isp: Some(h()),
                        seen_before: false,
                    },
                    Reason::VpnOrHostingNetwork {
                        asn: 1,
                        operator: h(),
                        isp: Some(h()),
                    },
                    Reason::ImpossibleTravel {
                        from: h(),
                        to: h(),
                        km: 1,
                        minutes: 1,
                        kmh: 1,
                    },
                    Reason::TravelMode { until: Utc::now() },
                    Reason::NotFromThisApp,
                    Reason::UnknownSession,
                    Reason::WithdrawalToUnknownAddress {
                        asset: h(),
                        amount: h(),
                        address: h(),
                    },
                    Reason::FailedSignIn {
                        outcome: LoginOutcome::InvalidTotp,
                    },
                    Reason::AccountLocked { until: None },
                ],
                steps: vec![
                    ResponseStep::SignOutSession { session_id: h() },
                    ResponseStep::ChangePassword,
                    ResponseStep::ResetTwoFactor,
                    ResponseStep::ReviewWithdrawals,
                    ResponseStep::BlockIp { ip: h() },
                    ResponseStep::ContactSupport,
                ],
                occurred_at: Utc::now(),
            },
            raised_at: Utc::now(),
            state: AlertState::New,
            action: None,
            state_changed_at: None,
            notice: None,
            notice_at: None,
        }
    }

    fn session_record() -> SessionRecord {
        SessionRecord {
            id: hostile(),
            own: false,
            device_label: hostile(),
            device_key: hostile(),
            ip: hostile(),
            isp: Some(hostile()),
            city: Some(hostile()),
            country: Some(hostile()),
            country_code: Some(hostile()),
            created_at: Utc::now(),
            last_active_at: Utc::now(),
            first_seen: Utc::now(),
            last_seen: Utc::now(),
            ended_at: None,
            end_reason: Some(EndReason::Vanished),
            trust: Some(Trust::Confirmed),
            snapshot: session(),
        }
    }

    /// Fields that hold names, and so get the label cap.
    const LABEL_KEYS: &[&str] = &[
        "label",
        "browser",
        "browser_version",
        "os",
        "os_version",
        "isp",
        "city",
        "region",
        "country",
        "country_code",
        "id",
        "ip",
        "session_id",
        "current_session_id",
        "actor_session_id",
        "asset",
        "amount",
        "cidr",
        "device_label",
        "device_key",
        "operator",
    ];
    /// Credentials: never display text, passed on byte for byte.
    const CREDENTIAL_KEYS: &[&str] = &["access_token", "refresh_token", "device_token"];
    /// Shown but never cut, since a cut secret is a wrong one.
    const UNCUT_KEYS: &[&str] = &["secret", "otpauth_uri", "backup_codes"];

    /// Every string in `value`, with the object key it sits under.
    fn strings<'a>(value: &'a serde_json::Value, key: &'a str, out: &mut Vec<(&'a str, &'a str)>) {
        match value {
            serde_json::Value::String(s) => out.push((key, s)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
            _ => {}
        }
    }

    /// Serialises `value`, decodes it as the client would, cleans it, and checks every string.
    fn assert_inert<T>(value: T) -> usize
    where
        T: Inert + serde::Serialize + serde::de::DeserializeOwned,
    {
        let wire = serde_json::to_string(&value).unwrap();
        let decoded: T = serde_json::from_str(&wire).unwrap();
        let shown = serde_json::to_value(decoded.inert()).unwrap();
        let mut found = Vec::new();
        strings(&shown, "", &mut found);
        let mut checked = 0;
        for (key, s) in found {
            if CREDENTIAL_KEYS.contains(&key) {
                continue;
            }
            checked += 1;
            assert!(!has_hidden(s), "{key}: {s:?}");
            let limit = if UNCUT_KEYS.contains(&key) {
                usize::MAX
            } else if LABEL_KEYS.contains(&key) {
                LABEL_MAX_CHARS
            } else {
                TEXT_MAX_CHARS
            };
            assert!(s.chars().count() <= limit, "{key} is {} long", s.len());
            if !UNCUT_KEYS.contains(&key) && s.contains("AAAA") {
                assert!(s.ends_with(ELLIPSIS), "{key} was not cut: {s:?}");
            }
        }
        checked
    }

    /// Every type the client decodes, and every record history returns, built with every
    /// string field hostile. The literals name every field, so a new field does not compile
    /// until it is added here, hostile, and the cleaning is checked for it.
    #[test]
    fn every_decoded_type_comes_out_inert() {
        let mut checked = 0;
        checked += assert_inert(session());
        checked += assert_inert(SessionList {
            current_session_id: hostile(),
            sessions: vec![session(), session()],
        });
        checked += assert_inert(attempt());
        checked += assert_inert(vec![withdrawal()]);
        checked += assert_inert(vec![blocklist_entry()]);
        checked += assert_inert(vec![trusted_device()]);
        checked += assert_inert(event());
        checked += assert_inert(EventList {
            events: vec![event()],
            cursor: 1,
            has_more: false,
        });
        checked += assert_inert(ApiError::new(ErrorCode::InvalidValue, hostile()));
        checked += assert_inert(TokenPair {
            access_token: hostile(),
            refresh_token: hostile(),
            token_type: "Bearer".into(),
            expires_in: 1,
            session_id: hostile(),
            device_token: Some(hostile()),
        });
        checked += assert_inert(TwoFactorResetResponse {
            secret: hostile(),
            otpauth_uri: hostile(),
            backup_codes: vec![hostile(), hostile()],
        });
        checked += assert_inert(RevokeOthersResponse { revoked: 1 });
        checked += assert_inert(ChangePasswordResponse {
            revoked_sessions: 1,
        });
        checked += assert_inert(SessionLength::default());
        checked += assert_inert(session_record());
        checked += assert_inert(alert_record());
        assert!(checked > 150, "{checked} strings checked");
    }

    /// Rows written raw, as a Keepwatch from before this module stored them, read back inert
    /// through every query history has.
    #[test]
    fn rows_stored_before_inert_text_are_read_back_inert() {
        let dir = tempfile::tempdir().unwrap();
        let history = crate::history::History::open(&dir.path().join("h.sqlite3")).unwrap();
        let mut raw = session();
        raw.id = "ses_1".into();
        history
            .upsert_session(&raw, &hostile(), false, Utc::now())
            .unwrap();
        history.insert_event(&event()).unwrap();
        let mut alert = alert_record().alert;
        alert.key = "session:ses_1".into();
        alert.session_id = Some("ses_1".into());
        history.insert_alert(&alert, Utc::now()).unwrap();

        let all = crate::history::HistoryQuery::default();
        let mut shown = Vec::new();
        for record in history.query_sessions(&all).unwrap() {
            shown.push(serde_json::to_value(record).unwrap());
        }
        shown.push(serde_json::to_value(history.session("ses_1").unwrap()).unwrap());
        shown.push(serde_json::to_value(history.active_sessions().unwrap()).unwrap());
        shown.push(serde_json::to_value(history.query_events(&all).unwrap()).unwrap());
        shown.push(serde_json::to_value(history.query_alerts(&all).unwrap()).unwrap());
        shown.push(serde_json::to_value(history.alert("session:ses_1").unwrap()).unwrap());
        let mut found = Vec::new();
        for value in &shown {
            strings(value, "", &mut found);
        }
        assert!(found.len() > 100, "{} strings", found.len());
        for (key, s) in found {
            assert!(!has_hidden(s), "{key}: {s:?}");
            assert!(s.chars().count() <= TEXT_MAX_CHARS, "{key}");
        }
        // What the baseline and the buttons key on still matches.
        assert_eq!(
            history
                .alert("session:ses_1")
                .unwrap()
                .unwrap()
                .alert
                .session_id
                .as_deref(),
            Some("ses_1")
        );
    }

    #[test]
    fn credentials_pass_byte_for_byte() {
        let pair = TokenPair {
            access_token: "a\u{200B}b".into(),
            refresh_token: "r\u{202E}".into(),
            token_type: "Bearer".into(),
            expires_in: 1,
            session_id: "ses_1".into(),
            device_token: Some("d\u{FEFF}".into()),
        }
        .inert();
        assert_eq!(pair.access_token, "a\u{200B}b");
        assert_eq!(pair.refresh_token, "r\u{202E}");
        assert_eq!(pair.device_token.as_deref(), Some("d\u{FEFF}"));
    }

    #[test]
    fn an_empty_label_reads_as_unknown() {
        let mut d = device();
        d.label = "\u{202E}\u{200B}".into();
        assert_eq!(d.inert().label, "Unknown device");
        let mut n = network();
        n.isp = Some("\u{2066}\u{2069}".into());
        assert_eq!(n.inert().isp, None);
    }
}
