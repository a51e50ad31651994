//! Every answer type of the contract decoded from arbitrary bytes: `Ok` or `Err`, never a
//! panic, and what decodes encodes back to the same value.
#![no_main]

use keepwatch_api::*;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[global_allocator]
static ALLOC: keepwatch_fuzz::Measuring = keepwatch_fuzz::Measuring;

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        let again: T = serde_json::from_slice(&serde_json::to_vec(&value).unwrap()).unwrap();
        assert_eq!(value, again);
    }
}

fuzz_target!(|data: &[u8]| {
    keepwatch_fuzz::measured(data, |data| {
        // The first byte picks the type, so that each input is one decode.
        let Some((&pick, bytes)) = data.split_first() else { return };
        match pick % 18 {
            0 => check::<SessionList>(bytes),
            1 => check::<Session>(bytes),
            2 => check::<Device>(bytes),
            3 => check::<Location>(bytes),
            4 => check::<Network>(bytes),
            5 => check::<EventList>(bytes),
            6 => check::<Event>(bytes),
            7 => check::<TokenPair>(bytes),
            8 => check::<ApiError>(bytes),
            9 => check::<Revocation>(bytes),
            10 => check::<ChangePasswordResponse>(bytes),
            11 => check::<TwoFactorResetResponse>(bytes),
            12 => check::<Withdrawal>(bytes),
            13 => check::<BlocklistEntry>(bytes),
            14 => check::<SessionLength>(bytes),
            15 => check::<TrustedDevice>(bytes),
            16 => check::<LoginAttempt>(bytes),
            _ => check::<RevokeOthersResponse>(bytes),
        }
    });
});
