//! What the exit status tells a script: 0 done, 1 failed, 2 the command was wrong, 3 the server
//! could not be reached, 4 there is no usable sign-in, 5 the person said no.

use std::process::ExitCode;

use keepwatch_core::Error as CoreError;

/// The exit statuses, as documented in docs/cli.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Ok = 0,
    /// Anything else that went wrong.
    Error = 1,
    /// The command line was wrong or incomplete (clap's own errors use 2 as well).
    Usage = 2,
    /// The server could not be reached or is unavailable; the history still works offline.
    Offline = 3,
    /// No usable sign-in: never signed in, signed out, or the session was ended.
    SignedOut = 4,
    /// The person answered no to a question.
    Cancelled = 5,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status as u8)
    }
}

/// The person declined what a prompt asked.
#[derive(Debug, thiserror::Error)]
#[error("{}", crate::output::text(keepwatch_l10n::msg::CLI_CANCELLED))]
pub struct Cancelled;

/// A command that needs something it was not given, such as an answer with no terminal to ask.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// The status for an error: the first cause in its chain that says more than "failed".
pub fn status_of(e: &anyhow::Error) -> Status {
    for cause in e.chain() {
        if cause.is::<Cancelled>() {
            return Status::Cancelled;
        }
        if cause.is::<Usage>() {
            return Status::Usage;
        }
        if let Some(core) = cause.downcast_ref::<CoreError>() {
            if core.is_offline() {
                return Status::Offline;
            }
            if core.is_signed_out() || matches!(core, CoreError::NoAccount) {
                return Status::SignedOut;
            }
            if matches!(
                core,
                CoreError::UnknownAccount(_)
                    | CoreError::AmbiguousAccount(_)
                    | CoreError::InvalidUrl { .. }
                    | CoreError::InsecureUrl { .. }
            ) {
                return Status::Usage;
            }
        }
    }
    Status::Error
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn status(e: impl Into<anyhow::Error>) -> Status {
        status_of(&e.into())
    }

    #[test]
    fn each_kind_of_failure_has_its_status() {
        assert_eq!(status(Cancelled), Status::Cancelled);
        assert_eq!(status(Usage("pass --yes".into())), Status::Usage);
        assert_eq!(status(CoreError::Timeout), Status::Offline);
        assert_eq!(
            status(CoreError::Network("refused".into())),
            Status::Offline
        );
        assert_eq!(status(CoreError::SignedOut), Status::SignedOut);
        assert_eq!(status(CoreError::NoAccount), Status::SignedOut);
        assert_eq!(
            status(CoreError::AmbiguousAccount("a, b".into())),
            Status::Usage
        );
        assert_eq!(status(CoreError::BadResponse("?".into())), Status::Error);
        assert_eq!(status(anyhow::anyhow!("something else")), Status::Error);
        // A cause deeper in the chain still decides.
        let wrapped = Err::<(), _>(CoreError::Timeout)
            .context("listing sessions")
            .unwrap_err();
        assert_eq!(status_of(&wrapped), Status::Offline);
        assert_eq!(Status::Cancelled as u8, 5);
    }
}
