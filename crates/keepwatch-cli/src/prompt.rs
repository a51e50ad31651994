//! Asking the person at the terminal, and reading secrets from standard input.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::exit::Usage;

/// One line from standard input, without its line ending. Often a password: the buffer it
/// was read into is wiped.
pub fn stdin_line() -> Result<String> {
    let mut line = zeroize::Zeroizing::new(String::new());
    let n = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read standard input")?;
    if n == 0 {
        bail!("standard input ended before a line was read");
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// A password typed without echo.
pub fn password(prompt: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(Usage("no terminal to ask for a password; use --password-stdin".into()).into());
    }
    rpassword::prompt_password(prompt).context("cannot read the password")
}

/// A line typed with echo.
pub fn text(prompt: &str) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        return Err(Usage(format!(
            "no terminal to ask \"{}\"; pass it as a flag",
            prompt.trim_end_matches([' ', ':'])
        ))
        .into());
    }
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    stdin_line()
}

/// A yes/no question; `default` is the answer to an empty line. Without a terminal, it fails
/// rather than guess.
pub fn confirm(question: &str, default: bool) -> Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(Usage(format!(
            "\"{question}\" needs an answer: no terminal to ask; pass the flag that answers it (see --help)"
        ))
        .into());
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
    options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))
}
