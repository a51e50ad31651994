//! Keepwatch's alert decision: given what is familiar about an account and one new session or
//! account event, say whether it deserves an alert, how urgent it is, why, and what to do.
//!
//! The crate is pure: no I/O, no clock, no async. The caller (`keepwatch-core`) owns the state:
//!
//! - the [`Baseline`]: it [`learn`](Baseline::learn)s the app's current session, every session
//!   the user confirms ("this was me") and, if the user chose so at first sign-in, the sessions
//!   that existed then;
//! - the last [`Sighting`] with coordinates ([`Sighting::of`] each session it sees), passed as
//!   [`Context::previous`] for the impossible-travel check;
//! - the keys of alerts already raised. Every [`Alert`] has a stable `key` —
//!   `"session:<id>"` for a sign-in (from the session list or a `session_created` event alike),
//!   `"event:<id>"` for any other event — and the core drops an alert whose key it has raised
//!   before, so each session or event alerts once, across restarts too.
//!
//! It calls [`assess_session`] and [`assess_event`] with a [`Context`] and stores or shows the
//! [`Alert`] it gets back. Alerts serialise to stable `snake_case` JSON for the desktop UI, and
//! their [`Reason`]s are structured so that the UI can word them in any language
//! ([`Reason::text`] and [`AlertKind::title`] give English; both word through the one catalogue,
//! `keepwatch-l10n`, as the window does). `keepwatch_l10n::Language` is re-exported here.
//!
//! The rules, in short (thresholds are constants in [`travel`]):
//!
//! - unfamiliar or unidentified device **and** an unfamiliar country, or **and** impossible
//!   travel across a border (between two countries, familiar or not; a trip end without a
//!   country counts as across): Critical [`AlertKind::PossibleTakeover`], with the full response
//!   checklist;
//! - familiar device, unfamiliar country: Warning [`AlertKind::NewCountry`], naming the network
//!   and saying when it is a well-known hosting/VPN network ([`HOSTING_NETWORKS`]);
//! - familiar device, impossible travel between places in countries the account is used from
//!   (one country or several): Info [`AlertKind::ImpossibleTravel`] with
//!   [`Reason::UnusualRoute`], "probably your ISP or carrier": ISPs and carriers route through
//!   distant points, and as the account service's help says, the device decides;
//! - familiar device, familiar country, impossible travel from a place whose country is
//!   unfamiliar or unknown: Warning [`AlertKind::ImpossibleTravel`] (a VPN looks exactly like
//!   this);
//! - unfamiliar or unidentified device, familiar or unknown country, no impossible travel across
//!   a border: Warning [`AlertKind::NewDevice`] (with [`Reason::UnusualRoute`] after an impossible
//!   trip inside a familiar country) — never Critical;
//! - impossible travel is judged on what the data says of its own accuracy: two sightings on one
//!   network (the same AS and the same IPv4 /24 or IPv6 /48) are no travel at all, nor is an
//!   address in a familiar IPv6 /64; otherwise the trip must be over [`travel::MIN_TRAVEL_KM`]
//!   and faster than [`travel::MAX_PLAUSIBLE_KMH`] after taking each end's error radius off
//!   ([`travel::CITY_ERROR_KM`] with a city, [`travel::COUNTRY_ERROR_KM`] with only a region or
//!   country);
//! - not alerts: a city change in a familiar country, a new address on a familiar network or in a
//!   familiar IPv6 /64, a session without a location on a familiar device;
//! - travel mode lowers the two location-only warnings ([`AlertKind::NewCountry`] and the
//!   Warning [`AlertKind::ImpossibleTravel`]) to Info; it never touches the others;
//! - a withdrawal to an address outside the address book, and a password change, 2FA reset or
//!   "sign out all other sessions" not made from Keepwatch: Critical;
//! - Keepwatch's own session ended by another session, by a password change or 2FA reset made
//!   elsewhere, or because a copy of its sign-in was used ([`assess_lost_session`]): Critical,
//!   under the key of the event that records it, so hearing of it in an event and again in
//!   the server's `session_revoked` answer alerts once;
//! - a failed sign-in: Info (Warning when the password was right); an account lock: Warning
//!   (Critical when the password was right).

#![warn(missing_docs)]

mod alert;
mod assess;
mod baseline;
mod lost;
mod networks;
mod origin;
mod place;
mod reason;
mod steps;
pub mod travel;

pub use alert::{event_key, session_key, Alert, AlertKind, Severity};
pub use assess::{assess_event, assess_session, Context};
pub use baseline::{ipv6_prefix_64, Baseline, DeviceKey, InvalidDeviceKey};
pub use keepwatch_l10n::Language;
pub use lost::{assess_lost_session, lost_session_key, LostSession};
pub use networks::{hosting_network, HostingNetwork, HOSTING_NETWORKS};
pub use reason::Reason;
pub use steps::ResponseStep;
pub use travel::{haversine_km, Sighting};
