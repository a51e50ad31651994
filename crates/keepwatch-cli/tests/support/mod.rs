//! Test support for the `keepwatch` binary: the project's shared fixture world
//! (`keepwatch-testkit`), and the binary run as a real child process.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub use keepwatch_testkit::*;

/// Running the `keepwatch` binary against a [`World`].
pub trait CliWorld {
    /// `keepwatch ARGS` with this world's data folder.
    fn cmd(&self, args: &[&str]) -> Command;
    /// Runs `keepwatch ARGS` off the async runtime, feeding `stdin`.
    async fn run(&self, args: &[&str], stdin: &str) -> Output;
    /// `keepwatch login` with the password on standard input.
    async fn login(&self, extra: &[&str]) -> Output;
}

impl CliWorld for World {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_keepwatch"));
        c.args(args)
            .env("KEEPWATCH_DATA_DIR", self.data_dir())
            .env_remove("KEEPWATCH_LOG")
            .stdin(Stdio::null());
        c
    }

    async fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut c = self.cmd(args);
        let stdin = stdin.to_owned();
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            c.stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            let mut pipe = child.stdin.take().unwrap();
            let _ = pipe.write_all(stdin.as_bytes());
            drop(pipe);
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap()
    }

    async fn login(&self, extra: &[&str]) -> Output {
        let mut args = vec![
            "login",
            "--server",
            &self.base,
            "--email",
            EMAIL,
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        self.run(&args, &format!("{PASSWORD}\n")).await
    }
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts success, showing stderr otherwise.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
    stdout(o)
}

/// Asserts a clean failure: non-zero, one line on stderr, no panic.
pub fn fails_cleanly(o: &Output) -> String {
    assert!(!o.status.success(), "unexpectedly succeeded: {}", stdout(o));
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    err
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
