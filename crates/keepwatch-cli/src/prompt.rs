//! Asking the person at the terminal, and reading secrets from standard input.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use keepwatch_l10n::msg;

use crate::exit::Usage;
use crate::output::{self, say};

/// One line from standard input, without its line ending. Often a password: the buffer it
/// was read into is wiped.
pub fn stdin_line() -> Result<String> {
    let mut line = zeroize::Zeroizing::new(String::new());
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .with_context(|| output::text(msg::CLI_CANNOT_READ_STDIN))?;
    if n == 0 {
        bail!(output::text(msg::CLI_STDIN_ENDED));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A password typed without echo, after `label` and a colon.
pub fn password(label: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(Usage(output::text(msg::CLI_NO_TERMINAL_PASSWORD)).into());
    }
    rpassword::prompt_password(format!("{label}: "))
        .with_context(|| output::text(msg::CLI_CANNOT_READ_PASSWORD))
}

/// A line typed with echo, after `label` and a colon.
pub fn text(label: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        let args = [("prompt", label.into())];
        return Err(Usage(say(msg::CLI_NO_TERMINAL_PROMPT, &args)).into());
    }
    eprint!("{label}: ");
    std::io::stderr().flush()?;
    stdin_line()
}

/// A yes/no question; `default` is the answer to an empty line. Without a terminal, it fails
/// rather than guess. The answers are English (`y`, `yes`), like the command's flags, so the
/// `[Y/n]` after the question is not wording.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        let args = [("question", question.into())];
        return Err(Usage(say(msg::CLI_NO_TERMINAL_QUESTION, &args)).into());
    }
    eprint!("{question} [{}] ", if default { "Y/n" } else { "y/N" });
    std::io::stderr().flush()?;
    let answer = stdin_line()?;
    Ok(match answer.trim().to_lowercase().as_str() {
        "" => default,
        "y" | "yes" => true,
        _ => false,
    })
}

/// Creates `path` readable by its owner only, refusing to overwrite.
pub fn create_private(path: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).with_context(|| {
        let path = path.display().to_string();
        say(msg::CLI_CANNOT_CREATE, &[("path", path.into())])
    })
}
