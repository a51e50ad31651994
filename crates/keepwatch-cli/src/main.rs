//! `keepwatch`: the companion core from a terminal. Sign in, list and end sessions, review
//! history offline, and watch the account in the foreground with desktop notifications.

mod cli;
mod commands;
mod exit;
mod output;
mod prompt;
mod time;
mod watch;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use keepwatch_core::{Api, Keepwatch};
use keepwatch_l10n::msg;

use cli::{Cli, Command};
use output::{say, text};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // These two describe the command line itself: no configuration is read, no runtime needed.
    let described = match cli.command {
        Command::Completions { shell } => Some(completions(shell)),
        Command::Man => Some(man_page()),
        _ => None,
    };
    if let Some(result) = described {
        return finish(result);
    }
    let filter = match cli.verbose {
        0 => "warn",
        1 => "info,keepwatch_core=info",
        // Our crates only: dependencies' debug output is noise and could echo request details.
        _ => "warn,keepwatch=debug,keepwatch_core=debug",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KEEPWATCH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let args = [("reason", e.to_string().into())];
            eprintln!("keepwatch: {}", say(msg::CLI_CANNOT_START, &args));
            return ExitCode::FAILURE;
        }
    };
    finish(runtime.block_on(run(cli)))
}

/// The exit status of a command's result, its error said on one line first.
fn finish(result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("keepwatch: {}", one_line(&e));
            exit::status_of(&e).into()
        }
    }
}

/// `keepwatch completions SHELL`: the shell's completion script, on standard output.
fn completions(shell: clap_complete::Shell) -> Result<()> {
    use clap::CommandFactory;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "keepwatch", &mut script);
    print_all(&script)
}

/// `keepwatch man`: the manual page (roff), on standard output.
fn man_page() -> Result<()> {
    use clap::CommandFactory;
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .with_context(|| text(msg::CLI_CANNOT_RENDER_MAN))?;
    print_all(&page)
}

/// Writes `bytes` to standard output; a reader that stopped early (`| head`) is not an error.
fn print_all(bytes: &[u8]) -> Result<()> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.with_context(|| text(msg::CLI_CANNOT_WRITE_STDOUT)),
    }
}

/// The error and its causes on one line, without repeating a cause already in the message.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    // Errors quote what servers said (an error body's message, a bad answer): inert like any
    // other server text, and on one line.
    keepwatch_core::inert::text(&out)
}

/// Opens the core and runs the command over its API.
async fn run(cli: Cli) -> Result<()> {
    let kw = Keepwatch::open(cli.data_dir.clone())?;
    let ctx = commands::Ctx {
        api: Api::new(kw, tokio::runtime::Handle::current()),
        account: cli.account,
        json: cli.json,
    };
    commands::run(&ctx, cli.command).await
}
