//! The per-request record of `bench run --samples`, and `bench windows`: the
//! figures of time windows in such a record, e.g. the submissions before a purge
//! and those while it runs (scripts/bench-retention.sh).
//!
//! A sample file has one line per request: its start in µs since the Unix epoch,
//! its latency in µs, and its outcome (the HTTP status, `timeout` or
//! `transport`), separated by spaces, in order of start.
//!
//! A window `NAME:FROM_US:TO_US` holds, by default (`overlap`), every request
//! that was in flight at some instant of `[FROM, TO)`: one that started before
//! the window and waited through it counts. With `:within` it holds only the
//! requests that started and ended inside it (a baseline that the next window
//! does not spill into). Latency percentiles are of the `201 Created` answers,
//! nearest rank, as `bench run` reports them; every other outcome is an error.

use std::collections::BTreeMap;
use std::io::{BufRead as _, Write as _};

use serde_json::{Value, json};

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP answer with this status.
    Status(u16),
    /// No answer within the timeout.
    Timeout,
    /// Another transport error (refused, reset, …).
    Transport,
}

impl Outcome {
    fn as_text(self) -> String {
        match self {
            Outcome::Status(s) => s.to_string(),
            Outcome::Timeout => "timeout".into(),
            Outcome::Transport => "transport".into(),
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "timeout" => Some(Outcome::Timeout),
            "transport" => Some(Outcome::Transport),
            _ => s.parse().ok().map(Outcome::Status),
        }
    }
}

/// One request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// When it started, µs since the Unix epoch.
    pub start_unix_us: u64,
    /// How long it took, µs.
    pub latency_us: u64,
    /// How it ended.
    pub outcome: Outcome,
}

impl Sample {
    fn end_unix_us(&self) -> u64 {
        self.start_unix_us.saturating_add(self.latency_us)
    }
}

/// Writes the samples, sorted by start, to `path`.
pub fn write_samples(path: &str, samples: &mut [Sample]) -> Result<(), String> {
    samples.sort_unstable_by_key(|s| s.start_unix_us);
    let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
    let mut w = std::io::BufWriter::new(file);
    for s in samples.iter() {
        writeln!(w, "{} {} {}", s.start_unix_us, s.latency_us, s.outcome.as_text())
            .map_err(|e| format!("{path}: {e}"))?;
    }
    w.flush().map_err(|e| format!("{path}: {e}"))
}

fn read_samples(path: &str) -> Result<Vec<Sample>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let bad = || format!("{path}:{}: not `start_us latency_us outcome`: {line}", i + 1);
        let mut f = line.split_whitespace();
        let start_unix_us = f.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let latency_us = f.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
        let outcome = f.next().and_then(Outcome::parse).ok_or_else(bad)?;
        out.push(Sample { start_unix_us, latency_us, outcome });
    }
    Ok(out)
}

/// Which requests a window holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// In flight at some instant of the window.
    Overlap,
    /// Started and ended inside it.
    Within,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    name: String,
    from_us: u64,
    to_us: u64,
    rule: Rule,
}

impl Window {
    fn parse(v: &str) -> Result<Self, String> {
        let parts: Vec<&str> = v.split(':').collect();
        let (name, from, to, rule) = match parts.as_slice() {
            [n, f, t] => (*n, *f, *t, Rule::Overlap),
            [n, f, t, "overlap"] => (*n, *f, *t, Rule::Overlap),
            [n, f, t, "within"] => (*n, *f, *t, Rule::Within),
            _ => return Err(format!("--window: not NAME:FROM_US:TO_US[:within|:overlap]: {v}")),
        };
        let from_us: u64 = from.parse().map_err(|_| format!("--window {name}: not a number: {from}"))?;
        let to_us: u64 = to.parse().map_err(|_| format!("--window {name}: not a number: {to}"))?;
        if name.is_empty() || to_us <= from_us {
            return Err(format!("--window: a name and FROM < TO are required: {v}"));
        }
        Ok(Window { name: name.to_string(), from_us, to_us, rule })
    }

    fn holds(&self, s: &Sample) -> bool {
        match self.rule {
            Rule::Overlap => s.start_unix_us < self.to_us && s.end_unix_us() >= self.from_us,
            Rule::Within => s.start_unix_us >= self.from_us && s.end_unix_us() <= self.to_us,
        }
    }
}

/// Requests, errors by outcome and the latency percentiles of the successes.
fn figures<'a>(samples: impl Iterator<Item = &'a Sample>, secs: f64) -> Value {
    let mut lat: Vec<u64> = Vec::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut requests = 0u64;
    for s in samples {
        requests += 1;
        if s.outcome == Outcome::Status(201) {
            lat.push(s.latency_us);
        } else {
            *errors.entry(s.outcome.as_text()).or_default() += 1;
        }
    }
    lat.sort_unstable();
    let p = |q: f64| super::round(super::percentile_ms(&lat, q), 2);
    let mean = if lat.is_empty() { 0.0 } else { lat.iter().sum::<u64>() as f64 / lat.len() as f64 / 1000.0 };
    json!({
        "requests": requests,
        "successes": lat.len(),
        "error_count": errors.values().sum::<u64>(),
        "errors": errors,
        "submissions_per_s": super::round(lat.len() as f64 / secs.max(1e-3), 1),
        "latency_ms": {
            "of": "successful submissions (201)",
            "p50": p(50.0), "p90": p(90.0), "p99": p(99.0), "max": p(100.0),
            "mean": super::round(mean, 2),
        },
    })
}

/// `bench windows`: the figures of each window, and with `--bucket S` the
/// figures of consecutive S-second slices (by start) from the first window's start
/// to the last window's end.
pub fn main(args: &[String]) -> Result<Value, String> {
    let mut path = None;
    let mut windows = Vec::new();
    let mut bucket_s: Option<f64> = None;
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let v = it.next().ok_or_else(|| format!("{name} needs a value"))?;
        match name.as_str() {
            "--samples" => path = Some(v.clone()),
            "--window" => windows.push(Window::parse(v)?),
            "--bucket" => {
                let s: f64 = v.parse().map_err(|_| format!("--bucket: not a number of seconds: {v}"))?;
                if !(0.1..=3600.0).contains(&s) {
                    return Err("--bucket must be 0.1 to 3600 seconds".into());
                }
                bucket_s = Some(s);
            }
            _ => return Err(format!("unknown option {name}")),
        }
    }
    let path = path.ok_or("--samples is required")?;
    if windows.is_empty() {
        return Err("at least one --window is required".into());
    }
    let samples = read_samples(&path)?;
    let mut out = serde_json::Map::new();
    for w in &windows {
        let secs = (w.to_us - w.from_us) as f64 / 1e6;
        let mut v = figures(samples.iter().filter(|s| w.holds(s)), secs);
        v["from_unix_us"] = json!(w.from_us);
        v["to_unix_us"] = json!(w.to_us);
        v["seconds"] = json!(super::round(secs, 3));
        v["rule"] = json!(if w.rule == Rule::Within { "within" } else { "overlap" });
        out.insert(w.name.clone(), v);
    }
    if let Some(b) = bucket_s {
        let from = windows.iter().map(|w| w.from_us).min().unwrap_or(0);
        let to = windows.iter().map(|w| w.to_us).max().unwrap_or(0);
        let step = (b * 1e6) as u64;
        let mut series = Vec::new();
        let mut at = from;
        while at < to && series.len() < 100_000 {
            let end = (at + step).min(to);
            let mut v = figures(
                samples.iter().filter(|s| s.start_unix_us >= at && s.start_unix_us < end),
                (end - at) as f64 / 1e6,
            );
            v["t_s"] = json!(super::round((at - from) as f64 / 1e6, 3));
            series.push(json!({
                "t_s": v["t_s"], "successes": v["successes"], "errors": v["error_count"],
                "p50_ms": v["latency_ms"]["p50"], "p99_ms": v["latency_ms"]["p99"], "max_ms": v["latency_ms"]["max"],
            }));
            at = end;
        }
        out.insert("series".into(), Value::Array(series));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: u64, lat: u64, status: u16) -> Sample {
        Sample { start_unix_us: start, latency_us: lat, outcome: Outcome::Status(status) }
    }

    #[test]
    fn windows_hold_by_overlap_or_within() {
        let w = Window::parse("during:1000:2000").unwrap();
        assert!(w.holds(&s(500, 600, 201))); // started before, ended inside
        assert!(w.holds(&s(500, 5000, 201))); // waited through it
        assert!(w.holds(&s(1999, 1, 201)));
        assert!(!w.holds(&s(2000, 1, 201)));
        assert!(!w.holds(&s(100, 100, 201)));
        let b = Window::parse("baseline:1000:2000:within").unwrap();
        assert!(b.holds(&s(1000, 1000, 201)));
        assert!(!b.holds(&s(1500, 600, 201)));
        assert!(!b.holds(&s(900, 200, 201)));
        assert!(Window::parse("x:2000:1000").is_err());
        assert!(Window::parse("x:1:2:sometimes").is_err());
    }

    #[test]
    fn samples_round_trip_and_figures() {
        let dir = std::env::temp_dir().join(format!("bench-windows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("samples.txt");
        let path = path.to_str().unwrap();
        let mut v = vec![
            s(3_000_000, 2_000, 201),
            s(1_000_000, 1_000, 201),
            Sample { start_unix_us: 2_000_000, latency_us: 10_000_000, outcome: Outcome::Timeout },
            s(2_500_000, 3_000, 503),
        ];
        write_samples(path, &mut v).unwrap();
        let back = read_samples(path).unwrap();
        assert_eq!(back.len(), 4);
        assert_eq!(back[0], s(1_000_000, 1_000, 201));
        assert_eq!(back[1].outcome, Outcome::Timeout);
        let args: Vec<String> =
            ["--samples", path, "--window", "all:0:4000000", "--bucket", "1"].iter().map(|a| a.to_string()).collect();
        let out = main(&args).unwrap();
        assert_eq!(out["all"]["requests"], 4);
        assert_eq!(out["all"]["successes"], 2);
        assert_eq!(out["all"]["errors"]["timeout"], 1);
        assert_eq!(out["all"]["errors"]["503"], 1);
        assert_eq!(out["all"]["latency_ms"]["p50"], 1.0);
        assert_eq!(out["all"]["latency_ms"]["max"], 2.0);
        assert_eq!(out["series"].as_array().unwrap().len(), 4);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
