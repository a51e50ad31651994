//! How long building a `DeviceParser` and parsing one User-Agent take, and how much memory the
//! parser holds. Run with `cargo bench -p keepwatch-device`.
//!
//! Method (std only, no harness): build time is the minimum and median of several
//! `DeviceParser::new()` calls; memory is the process's resident set size (`VmRSS` from
//! `/proc/self/status`, Linux only) before the first build and after it with the parser alive,
//! and the peak (`VmHWM`) reached while building. Parse time is, per User-Agent, the mean over a
//! fixed number of `parse` calls after a warm-up, each result passed through `black_box` so the
//! work is not optimised away; the corpus line averages over all User-Agents. Numbers are
//! wall-clock on a shared machine: compare runs on the same machine only.

use std::hint::black_box;
use std::time::{Duration, Instant};

use keepwatch_device::{ClientHints, DeviceParser};

const BUILDS: usize = 5;
const WARM_UP: usize = 200;
const PARSES: usize = 5_000;

fn main() {
    let rss_before = proc_status_kib("VmRSS:");
    let start = Instant::now();
    let parser = DeviceParser::new();
    let first_build = start.elapsed();
    let rss_after = proc_status_kib("VmRSS:");
    let peak = proc_status_kib("VmHWM:");

    let mut builds = vec![first_build];
    for _ in 1..BUILDS {
        let start = Instant::now();
        black_box(DeviceParser::new());
        builds.push(start.elapsed());
    }
    builds.sort();
    println!(
        "build: min {:.1} ms, median {:.1} ms over {BUILDS} builds",
        ms(builds[0]),
        ms(builds[BUILDS / 2])
    );
    match (rss_before, rss_after, peak) {
        (Some(before), Some(after), Some(peak)) => println!(
            "memory: resident {:.1} MiB before build, {:.1} MiB with parser (+{:.1} MiB), peak {:.1} MiB while building",
            mib(before),
            mib(after),
            mib(after.saturating_sub(before)),
            mib(peak)
        ),
        _ => println!("memory: n/a (needs /proc/self/status)"),
    }

    let garbage = "%7;(0) ".repeat(80);
    let corpus: Vec<(&str, &str, ClientHints<'static>)> = vec![
        ("chrome mac + hints", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", ClientHints { platform: Some("\"macOS\""), platform_version: Some("\"14.4.1\"") }),
        ("edge windows + hints", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80", ClientHints { platform: Some("\"Windows\""), platform_version: Some("\"15.0.0\"") }),
        ("firefox linux", "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", ClientHints::default()),
        ("safari mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15", ClientHints::default()),
        ("safari iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1", ClientHints::default()),
        ("chrome android", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36", ClientHints::default()),
        ("samsung internet", "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36", ClientHints::default()),
        ("googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ClientHints::default()),
        ("curl", "curl/8.5.0", ClientHints::default()),
        ("512 B garbage", garbage.as_str(), ClientHints::default()),
    ];

    let mut total = Duration::ZERO;
    for (name, user_agent, hints) in &corpus {
        for _ in 0..WARM_UP {
            black_box(parser.parse(black_box(Some(user_agent)), *hints));
        }
        let start = Instant::now();
        for _ in 0..PARSES {
            black_box(parser.parse(black_box(Some(user_agent)), *hints));
        }
        let elapsed = start.elapsed();
        total += elapsed;
        println!("parse {name:<22} {:>7.2} µs", us(elapsed) / PARSES as f64);
    }
    println!(
        "parse corpus mean          {:>7.2} µs over {} User-Agents × {PARSES}",
        us(total) / (PARSES * corpus.len()) as f64,
        corpus.len()
    );
}

/// A `kB` line of `/proc/self/status`, in KiB.
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
