//! Keepwatch's own User-Agent, recognised before the uap-core rules run (crate docs, "Keepwatch
//! itself").
//!
//! `keepwatch-core`'s account client, which the desktop app and the `keepwatch` command line
//! share, sends `Keepwatch/<version> (<platform>)`:
//!
//! | built for | User-Agent (version 0.1.0) |
//! | --- | --- |
//! | Linux | `Keepwatch/0.1.0 (X11; Linux x86_64)` |
//! | macOS | `Keepwatch/0.1.0 (Macintosh; Intel Mac OS X 10_15_7)` |
//! | Windows | `Keepwatch/0.1.0 (Windows NT 10.0; Win64; x64)` |
//! | anything else | `Keepwatch/0.1.0 (desktop)` |
//!
//! uap-core reads the platform as it would a browser's, but has no rule for the product, so the
//! app's own session came out as "Unknown browser on Linux" (and, where no OS is named, as an
//! automated client, since a non-`Mozilla/` client without an OS looks like a script).
//!
//! Why code and not one more regex in `uap-core/regexes.yaml`: that file is vendored unchanged
//! so that updating it stays a copy, and a local edit would be lost on the next update. Only a
//! User-Agent that *starts* with the exact product token `Keepwatch/` and a numeric version
//! qualifies, so a browser that mentions Keepwatch later in its string is still that browser.
//!
//! Like any User-Agent it can be forged; it names the client as "Chrome" would, and device
//! matching already treats every User-Agent as a claim.

/// The client name shown for Keepwatch, as a browser name is shown for a browser.
pub(crate) const NAME: &str = "Keepwatch";

/// The product token Keepwatch's User-Agent starts with.
const PRODUCT: &str = "Keepwatch/";

/// The most digits a version number may have before the string is not taken as Keepwatch's.
const MAX_DIGITS: usize = 6;

/// The version to show when `user_agent` is Keepwatch's own, else `None`.
///
/// The version is `major.minor` ("0.1" for `0.1.0`, "1.12" for `1.12.3-beta.2`), not the major
/// alone as for browsers: Keepwatch's versions start at 0.x, where the major says nothing, and
/// whoever reads "Keepwatch 0.1" wants to know which release signed in. A bare `Keepwatch/1`
/// gives "1".
pub(crate) fn version(user_agent: &str) -> Option<&str> {
    let rest = user_agent.strip_prefix(PRODUCT)?;
    // The version token runs up to the space before the platform comment, or to the end.
    let token = rest.split(' ').next().unwrap_or(rest);
    // SemVer: the numeric core, then an optional pre-release (-…) or build (+…) part.
    let core = token.split(['-', '+']).next().unwrap_or(token);
    let numbers: Vec<&str> = core.split('.').collect();
    let well_formed = (1..=3).contains(&numbers.len())
        && numbers.iter().all(|n| {
            !n.is_empty() && n.len() <= MAX_DIGITS && n.bytes().all(|b| b.is_ascii_digit())
        });
    if !well_formed {
        return None;
    }
    let shown = match numbers.as_slice() {
        [major] => major.len(),
        [major, minor, ..] => major.len() + 1 + minor.len(),
        [] => return None,
    };
    core.get(..shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_version_keepwatch_core_sends() {
        for (user_agent, shown) in [
            ("Keepwatch/0.1.0 (X11; Linux x86_64)", "0.1"),
            ("Keepwatch/0.1.0 (Macintosh; Intel Mac OS X 10_15_7)", "0.1"),
            ("Keepwatch/0.1.0 (Windows NT 10.0; Win64; x64)", "0.1"),
            ("Keepwatch/0.1.0 (desktop)", "0.1"),
            ("Keepwatch/0.1.0", "0.1"),
            ("Keepwatch/1.12.3-beta.2 (X11; Linux x86_64)", "1.12"),
            ("Keepwatch/2.0.0+build.7", "2.0"),
            ("Keepwatch/3", "3"),
        ] {
            assert_eq!(version(user_agent), Some(shown), "{user_agent}");
        }
    }

    #[test]
    fn only_a_user_agent_that_starts_as_keepwatch_does_qualifies() {
        for user_agent in [
            "",
            "Keepwatch",
            "Keepwatch/",
            "Keepwatch/ (X11; Linux x86_64)",
            "Keepwatch/abc (X11; Linux x86_64)",
            "Keepwatch/0..1",
            "Keepwatch/0.1.0.0",
            "Keepwatch/1234567.0",
            "Keepwatch/0.1.0(X11; Linux x86_64)",
            "keepwatch/0.1.0 (X11; Linux x86_64)",
            "KeepwatchPro/0.1.0 (X11; Linux x86_64)",
            " Keepwatch/0.1.0 (X11; Linux x86_64)",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0 Keepwatch/0.1.0",
        ] {
            assert_eq!(version(user_agent), None, "{user_agent:?}");
        }
    }
}
