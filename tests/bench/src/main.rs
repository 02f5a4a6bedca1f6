//! Load generator for the case-submission benchmark (`scripts/bench.sh` runs it).
//!
//! `bench run` starts N clients that each loop `POST /api/v1/catalogue/{slug}/cases`
//! with a fresh `Idempotency-Key` and valid answers until the time is up. Requests
//! started during the warm-up are not counted. Only `201 Created` counts as a
//! submission; every other answer is counted as an error by its status. It prints
//! a JSON summary on stdout: requests, successes, errors, submissions per second
//! and the latency of the successful submissions (p50, p90, p99, max, in ms).
//!
//! With `--samples PATH` it also writes every request (warm-up included) to PATH,
//! one line each: its start (µs since the Unix epoch), its latency (µs) and its
//! outcome (the HTTP status, `timeout` or `transport`); `bench windows` reads such
//! a file and gives the figures of time windows in it (scripts/bench-retention.sh
//! compares the submissions before and during a purge). With `--stop-file PATH`
//! the load ends as soon as PATH exists (`--duration` is then the longest it runs).
//!
//! `bench form` prints the form definition the benchmark's service uses, and
//! `bench answers` one answer set like those the clients send (the pgbench
//! ceiling inserts a payload of the same size).
//!
//! It only talks to the loopback interface, and it always stops by itself: no
//! request starts after the deadline, and each has a timeout.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod latency;
mod smtp_sink;
mod windows;

const USAGE: &str = "usage:
  bench run --url http://127.0.0.1:PORT [options]   run the load (the token from --token or BENCH_TOKEN)
      --token TOKEN        the applicant's bearer token
      --slug SLUG          the service (default: felanmalan)
      --form-version N     the published form version (default: 1)
      --concurrency N      clients (default: 64)
      --duration S         measured seconds (default: 30)
      --warmup S           seconds before measuring, not counted (default: 3)
      --threads N          the load generator's worker threads (default: 1)
      --timeout S          per-request timeout in seconds (default: 10)
      --ceiling-tps X      the durable-insert ceiling measured beside it: adds ratio and targets
      --markdown PATH      also write a markdown table of the figures to PATH
      --meta JSON          a JSON object stored under \"meta\" in the summary
      --strict             exit with 2 when a target is missed
      --samples PATH       write every request to PATH: start (unix µs), latency (µs), outcome
      --stop-file PATH     end the load as soon as PATH exists (--duration is then the longest)
  bench smtp-sink --count-file PATH [--port P]     an SMTP server that accepts and counts every mail
  bench latency --url URL [--requests N] [--warmup N] [--json BODY]
                                                        sequential GETs, or POSTs of BODY (token: BENCH_TOKEN); percentiles
  bench windows --samples PATH --window NAME:FROM_US:TO_US[:within|:overlap] ... [--bucket S]
                                                    figures of time windows of a --samples file
  bench form                                        print the benchmark's form definition
  bench answers                                     print one answer set";

/// Target: submissions per second, as a share of the ceiling.
const TARGET_RATIO_PCT: f64 = 50.0;
/// Target: the 99th percentile latency stays below this.
const TARGET_P99_MS: f64 = 100.0;

/// The form of the benchmark's service: a realistic municipal fault report,
/// two pages, nine fields, one of them shown only when another is answered yes.
fn form_definition() -> Value {
    json!({"pages": [
        {"key": "kontakt", "title": "Dina kontaktuppgifter", "fields": [
            {"key": "namn", "label": "Namn", "required": true,
             "kind": {"type": "short_text", "max_length": 100}},
            {"key": "epost", "label": "E-post", "required": true, "autocomplete": "email", "kind": {"type": "email"}},
            {"key": "telefon", "label": "Telefon", "kind": {"type": "phone"}}
        ]},
        {"key": "arendet", "title": "Vad vill du anmäla?", "fields": [
            {"key": "kategori", "label": "Vad gäller det?", "required": true,
             "kind": {"type": "single_choice", "options": [
                {"value": "gata", "label": "Gata eller trottoar"},
                {"value": "park", "label": "Park eller lekplats"},
                {"value": "belysning", "label": "Gatubelysning"},
                {"value": "annat", "label": "Annat"}
             ]}},
            {"key": "plats", "label": "Var är det?", "required": true,
             "kind": {"type": "short_text", "max_length": 200}},
            {"key": "beskrivning", "label": "Beskriv felet", "required": true,
             "kind": {"type": "long_text", "max_length": 2000}},
            {"key": "upptackt", "label": "När upptäckte du felet?", "kind": {"type": "date"}},
            {"key": "bradskande", "label": "Är det en fara för någon?", "required": true,
             "kind": {"type": "yes_no"}},
            {"key": "fara", "label": "Beskriv faran", "required": true,
             "condition": {"op": "equals", "field": "bradskande", "value": true},
             "kind": {"type": "long_text", "max_length": 1000}}
        ]}
    ]})
}

const CATEGORIES: [&str; 4] = ["gata", "park", "belysning", "annat"];

/// Valid answers for client `client`'s `n`th request; every other one takes the
/// conditional field.
fn answers(client: usize, n: u64) -> Value {
    let urgent = n.is_multiple_of(2);
    let mut a = json!({
        "namn": format!("Testperson {client}-{n}"),
        "epost": format!("testperson{client}@example.org"),
        "telefon": "070-123 45 67",
        "kategori": CATEGORIES[(n % 4) as usize],
        "plats": "Drottninggatan 14, utanför busshållplatsen",
        "beskrivning": "Det har bildats ett stort hål i trottoaren precis vid övergångsstället. \
            Det är svårt att se när det är mörkt och flera personer har snubblat på kanten.",
        "upptackt": "2026-03-02",
        "bradskande": urgent,
    });
    if urgent {
        a["fara"] = json!("Barn går här till skolan varje morgon och kan skada sig.");
    }
    a
}

struct Options {
    url: String,
    token: String,
    slug: String,
    form_version: u64,
    concurrency: usize,
    duration: Duration,
    warmup: Duration,
    threads: usize,
    timeout: Duration,
    ceiling_tps: Option<f64>,
    markdown: Option<String>,
    meta: Value,
    strict: bool,
    samples: Option<String>,
    stop_file: Option<String>,
}

fn seconds(name: &str, v: &str) -> Result<Duration, String> {
    let s: f64 = v.parse().map_err(|_| format!("{name}: not a number of seconds: {v}"))?;
    if !(0.0..=3600.0).contains(&s) {
        return Err(format!("{name}: must be 0 to 3600 seconds"));
    }
    Ok(Duration::from_secs_f64(s))
}

fn number<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, String> {
    v.parse().map_err(|_| format!("{name}: not a number: {v}"))
}

/// Only the loopback interface is a target.
fn check_loopback(url: &str) -> Result<String, String> {
    let url = url.trim_end_matches('/');
    let rest = url.strip_prefix("http://").ok_or("--url must start with http://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().map_or("", |h| h),
        None => authority.split(':').next().unwrap_or(""),
    };
    if matches!(host, "127.0.0.1" | "localhost" | "::1") {
        Ok(url.to_string())
    } else {
        Err(format!("--url must point at 127.0.0.1, localhost or [::1], not {host}"))
    }
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Options {
            url: String::new(),
            token: std::env::var("BENCH_TOKEN").unwrap_or_default(),
            slug: "felanmalan".into(),
            form_version: 1,
            concurrency: 64,
            duration: Duration::from_secs(30),
            warmup: Duration::from_secs(3),
            threads: 1,
            timeout: Duration::from_secs(10),
            ceiling_tps: None,
            markdown: None,
            meta: json!({}),
            strict: false,
            samples: None,
            stop_file: None,
        };
        let mut it = args.iter();
        while let Some(name) = it.next() {
            if name == "--strict" {
                o.strict = true;
                continue;
            }
            let v = it.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
            match name.as_str() {
                "--url" => o.url = check_loopback(v)?,
                "--token" => o.token = v.clone(),
                "--slug" => o.slug = v.clone(),
                "--form-version" => o.form_version = number(name, v)?,
                "--concurrency" => o.concurrency = number(name, v)?,
                "--duration" => o.duration = seconds(name, v)?,
                "--warmup" => o.warmup = seconds(name, v)?,
                "--threads" => o.threads = number(name, v)?,
                "--timeout" => o.timeout = seconds(name, v)?,
                "--ceiling-tps" => o.ceiling_tps = Some(number(name, v)?),
                "--markdown" => o.markdown = Some(v.clone()),
                "--samples" => o.samples = Some(v.clone()),
                "--stop-file" => o.stop_file = Some(v.clone()),
                "--meta" => {
                    o.meta = serde_json::from_str(v).map_err(|e| format!("--meta: {e}"))?;
                    if !o.meta.is_object() {
                        return Err("--meta must be a JSON object".into());
                    }
                }
                _ => return Err(format!("unknown option {name}\n{USAGE}")),
            }
        }
        if o.url.is_empty() {
            return Err(format!("--url is required\n{USAGE}"));
        }
        if o.token.is_empty() {
            return Err("an applicant token is required: --token or BENCH_TOKEN".into());
        }
        if !(1..=4096).contains(&o.concurrency) {
            return Err("--concurrency must be 1 to 4096".into());
        }
        if o.duration.is_zero() {
            return Err("--duration must be above 0".into());
        }
        if o.timeout.is_zero() {
            return Err("--timeout must be above 0".into());
        }
        o.threads = o.threads.clamp(1, 64);
        Ok(o)
    }
}

/// What one client saw in the measured window.
#[derive(Default)]
struct Stats {
    warmup_requests: u64,
    requests: u64,
    successes: u64,
    latencies_us: Vec<u64>,
    errors: BTreeMap<String, u64>,
    error_samples: BTreeMap<String, String>,
    /// Every request, warm-up included (only with `--samples`).
    samples: Vec<windows::Sample>,
}

impl Stats {
    fn error(&mut self, kind: String, sample: String) {
        *self.errors.entry(kind.clone()).or_default() += 1;
        self.error_samples.entry(kind).or_insert(sample);
    }

    fn merge(&mut self, o: Stats) {
        self.warmup_requests += o.warmup_requests;
        self.requests += o.requests;
        self.successes += o.successes;
        self.latencies_us.extend(o.latencies_us);
        for (k, n) in o.errors {
            *self.errors.entry(k).or_default() += n;
        }
        for (k, s) in o.error_samples {
            self.error_samples.entry(k).or_insert(s);
        }
        self.samples.extend(o.samples);
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

struct Job {
    client: reqwest::Client,
    url: String,
    token: String,
    form_version: u64,
    measure_from: Instant,
    end: Instant,
    /// Set when the stop file appears: no request starts after that.
    stop: std::sync::atomic::AtomicBool,
    /// With `--samples`: `origin` is `origin_unix_us` µs after the Unix epoch.
    record: bool,
    origin: Instant,
    origin_unix_us: u64,
}

impl Job {
    fn unix_us(&self, at: Instant) -> u64 {
        self.origin_unix_us + u64::try_from(at.saturating_duration_since(self.origin).as_micros()).unwrap_or(0)
    }
}

async fn client_loop(job: std::sync::Arc<Job>, id: usize) -> Stats {
    let mut stats = Stats::default();
    let mut n: u64 = 0;
    loop {
        let started = Instant::now();
        if started >= job.end || job.stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let body = json!({"form_version": job.form_version, "answers": answers(id, n)});
        n += 1;
        let result = async {
            let r = job
                .client
                .post(&job.url)
                .bearer_auth(&job.token)
                .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
                .json(&body)
                .send()
                .await?;
            let status = r.status();
            let text = r.bytes().await?;
            Ok::<_, reqwest::Error>((status, text))
        }
        .await;
        let elapsed = started.elapsed();
        let measured = started >= job.measure_from;
        if job.record {
            let outcome = match &result {
                Ok((status, _)) => windows::Outcome::Status(status.as_u16()),
                Err(e) if e.is_timeout() => windows::Outcome::Timeout,
                Err(_) => windows::Outcome::Transport,
            };
            stats.samples.push(windows::Sample {
                start_unix_us: job.unix_us(started),
                latency_us: u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
                outcome,
            });
        }
        if measured {
            stats.requests += 1;
        } else {
            stats.warmup_requests += 1;
        }
        match result {
            Ok((status, _)) if status == reqwest::StatusCode::CREATED => {
                if measured {
                    stats.successes += 1;
                    stats.latencies_us.push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
                }
            }
            Ok((status, text)) => {
                if measured {
                    stats.error(status.as_u16().to_string(), truncate(&String::from_utf8_lossy(&text), 300));
                }
            }
            Err(e) => {
                if measured {
                    let kind = if e.is_timeout() { "timeout" } else { "transport" };
                    stats.error(kind.into(), truncate(&e.to_string(), 300));
                }
                // Do not spin when the server is gone.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    stats
}

/// The value at percentile `p` (nearest rank) of sorted `v`, in ms.
fn percentile_ms(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    sorted[i] as f64 / 1000.0
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// The load's figures, and how long it was measured (shorter than `--duration`
/// when the stop file ended it).
async fn load(o: &Options) -> Result<(Stats, Duration), String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(o.timeout)
        .pool_max_idle_per_host(o.concurrency)
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let origin_unix_us = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| format!("the clock is before 1970: {e}"))?
        .as_micros();
    let origin = Instant::now();
    let start = origin;
    let measure_from = start + o.warmup;
    let end = measure_from + o.duration;
    let job = std::sync::Arc::new(Job {
        client,
        url: format!("{}/api/v1/catalogue/{}/cases", o.url, o.slug),
        token: o.token.clone(),
        form_version: o.form_version,
        measure_from,
        end,
        stop: std::sync::atomic::AtomicBool::new(false),
        record: o.samples.is_some(),
        origin,
        origin_unix_us: u64::try_from(origin_unix_us).unwrap_or(u64::MAX),
    });
    // The stop file: polled every 20 ms; the instant it was seen ends the measured time.
    let stopped_at = std::sync::Arc::new(std::sync::Mutex::new(None::<Instant>));
    let watcher = o.stop_file.clone().map(|path| {
        let (job, stopped_at) = (job.clone(), stopped_at.clone());
        tokio::spawn(async move {
            while Instant::now() < job.end {
                if std::path::Path::new(&path).exists() {
                    if let Ok(mut s) = stopped_at.lock() {
                        *s = Some(Instant::now());
                    }
                    job.stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    });
    let handles: Vec<_> = (0..o.concurrency).map(|id| tokio::spawn(client_loop(job.clone(), id))).collect();
    // Every request has a timeout and none starts after `end`: this is a safety net.
    let hard_stop = tokio::time::Instant::from_std(end + o.timeout + Duration::from_secs(5));
    let mut total = Stats::default();
    for h in handles {
        match tokio::time::timeout_at(hard_stop, h).await {
            Ok(Ok(s)) => total.merge(s),
            Ok(Err(e)) => return Err(format!("a client failed: {e}")),
            Err(_) => return Err("the clients did not stop in time".into()),
        }
    }
    if let Some(w) = watcher {
        w.abort();
    }
    let stopped = stopped_at.lock().ok().and_then(|s| *s).map_or(end, |at| at.min(end));
    let measured = if stopped >= end { o.duration } else { stopped.saturating_duration_since(measure_from) };
    Ok((total, measured))
}

fn summary(o: &Options, mut s: Stats, measured: Duration) -> Value {
    s.latencies_us.sort_unstable();
    let secs = measured.as_secs_f64().max(1e-3);
    let rate = s.successes as f64 / secs;
    let lat = &s.latencies_us;
    let mean = if lat.is_empty() { 0.0 } else { lat.iter().sum::<u64>() as f64 / lat.len() as f64 / 1000.0 };
    let p99 = percentile_ms(lat, 99.0);
    let error_count: u64 = s.errors.values().sum();
    let mut out = json!({
        "target": format!("{}/api/v1/catalogue/{}/cases", o.url, o.slug),
        "concurrency": o.concurrency,
        "duration_s": secs,
        "warmup_s": o.warmup.as_secs_f64(),
        "warmup_requests": s.warmup_requests,
        "requests": s.requests,
        "successes": s.successes,
        "error_count": error_count,
        "errors": s.errors,
        "error_samples": s.error_samples,
        "submissions_per_s": round(rate, 1),
        "latency_ms": {
            "of": "successful submissions (201)",
            "p50": round(percentile_ms(lat, 50.0), 2),
            "p90": round(percentile_ms(lat, 90.0), 2),
            "p99": round(p99, 2),
            "max": round(percentile_ms(lat, 100.0), 2),
            "mean": round(mean, 2),
        },
    });
    if let Some(ceiling) = o.ceiling_tps {
        let ratio = if ceiling > 0.0 { 100.0 * rate / ceiling } else { 0.0 };
        let ratio_met = ratio >= TARGET_RATIO_PCT;
        let p99_met = s.successes > 0 && p99 < TARGET_P99_MS;
        out["ceiling_tps"] = json!(round(ceiling, 1));
        out["ratio_pct"] = json!(round(ratio, 1));
        out["targets"] = json!({
            "ratio_min_pct": TARGET_RATIO_PCT,
            "p99_max_ms": TARGET_P99_MS,
            "ratio_met": ratio_met,
            "p99_met": p99_met,
            "met": ratio_met && p99_met,
        });
    }
    out["meta"] = o.meta.clone();
    out
}

fn met(v: &Value) -> &'static str {
    if v.as_bool() == Some(true) { "met" } else { "**not met**" }
}

fn markdown(o: &Options, v: &Value) -> String {
    let f = |k: &str| v[k].as_f64().unwrap_or(0.0);
    let lat = |k: &str| v["latency_ms"][k].as_f64().unwrap_or(0.0);
    let secs = f("duration_s");
    let mut t = String::from("| Measure | Value | Target |\n| --- | ---: | --- |\n");
    if v.get("ceiling_tps").is_some() {
        t += &format!(
            "| Ceiling: one durable single-row INSERT per transaction (pgbench) | {:.0} tps | |\n",
            f("ceiling_tps")
        );
    }
    t += &format!(
        "| Case submissions ({} clients, {secs:.0} s) | {:.0} /s | |\n",
        o.concurrency,
        f("submissions_per_s")
    );
    if v.get("ratio_pct").is_some() {
        t += &format!(
            "| Submissions / ceiling | {:.1} % | ≥ {TARGET_RATIO_PCT:.0} %: {} |\n",
            f("ratio_pct"),
            met(&v["targets"]["ratio_met"])
        );
    }
    t += &format!("| Latency p50 | {:.1} ms | |\n", lat("p50"));
    t += &format!("| Latency p90 | {:.1} ms | |\n", lat("p90"));
    let p99_target = match v.get("targets") {
        Some(tg) => format!("< {TARGET_P99_MS:.0} ms: {}", met(&tg["p99_met"])),
        None => String::new(),
    };
    t += &format!("| Latency p99 | {:.1} ms | {p99_target} |\n", lat("p99"));
    t += &format!("| Latency max | {:.1} ms | |\n", lat("max"));
    t += &format!(
        "| Errors | {} of {} requests | |\n",
        v["error_count"].as_u64().unwrap_or(0),
        v["requests"].as_u64().unwrap_or(0)
    );
    t
}

fn run(o: Options) -> Result<bool, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(o.threads)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let (mut stats, measured) = runtime.block_on(load(&o))?;
    drop(runtime);
    if let Some(path) = &o.samples {
        windows::write_samples(path, &mut stats.samples)?;
    }
    let successes = stats.successes;
    let v = summary(&o, stats, measured);
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())?;
    println!("{text}");
    if let Some(path) = &o.markdown {
        std::fs::write(path, markdown(&o, &v)).map_err(|e| format!("{path}: {e}"))?;
    }
    if successes == 0 {
        return Err("no submission succeeded".into());
    }
    Ok(v["targets"]["met"].as_bool() != Some(false))
}

fn print_json(v: &Value) -> ExitCode {
    match serde_json::to_string_pretty(v) {
        Ok(s) => {
            println!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn latency_main(args: &[String]) -> ExitCode {
    let (mut url, mut requests, mut warmup, mut json) = (None, 500usize, 50usize, None);
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let Some(v) = it.next() else {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        };
        let parsed = match name.as_str() {
            "--url" => check_loopback(v).map(|u| url = Some(u)),
            "--requests" => number(name, v).map(|n| requests = n),
            "--warmup" => number(name, v).map(|n| warmup = n),
            "--json" => {
                json = Some(v.clone());
                Ok(())
            }
            _ => Err(format!("unknown option {name}\n{USAGE}")),
        };
        if let Err(e) = parsed {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    }
    let (Some(url), Ok(token)) = (url, std::env::var("BENCH_TOKEN")) else {
        eprintln!("error: --url and BENCH_TOKEN are required");
        return ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(latency::run(&url, &token, json.as_deref(), requests.max(1), warmup)) {
        Ok(v) => print_json(&v),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn smtp_sink_main(args: &[String]) -> ExitCode {
    let mut port = 0u16;
    let mut count_file = None;
    let mut it = args.iter();
    while let Some(name) = it.next() {
        match (name.as_str(), it.next()) {
            ("--port", Some(v)) => match v.parse() {
                Ok(p) => port = p,
                Err(_) => {
                    eprintln!("error: --port: not a port: {v}");
                    return ExitCode::FAILURE;
                }
            },
            ("--count-file", Some(v)) => count_file = Some(v.clone()),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            }
        }
    }
    let Some(count_file) = count_file else {
        eprintln!("error: --count-file is required");
        return ExitCode::FAILURE;
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(smtp_sink::run(port, count_file)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("form") => print_json(&form_definition()),
        Some("smtp-sink") => smtp_sink_main(&args[1..]),
        Some("latency") => latency_main(&args[1..]),
        Some("windows") => match windows::main(&args[1..]) {
            Ok(v) => print_json(&v),
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                ExitCode::FAILURE
            }
        },
        Some("answers") => print_json(&answers(0, 0)),
        Some("run") => {
            let o = match Options::parse(&args[1..]) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let strict = o.strict;
            match run(o) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) if strict => ExitCode::from(2),
                Ok(false) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<u64> = (1..=100).map(|i| i * 1000).collect();
        assert!((percentile_ms(&v, 50.0) - 50.0).abs() < 1e-9);
        assert!((percentile_ms(&v, 99.0) - 99.0).abs() < 1e-9);
        assert!((percentile_ms(&v, 100.0) - 100.0).abs() < 1e-9);
        assert!(percentile_ms(&[], 99.0).abs() < 1e-9);
    }

    #[test]
    fn only_loopback_is_a_target() {
        assert!(check_loopback("http://127.0.0.1:8080/").is_ok());
        assert!(check_loopback("http://localhost:1").is_ok());
        assert!(check_loopback("http://[::1]:1").is_ok());
        assert!(check_loopback("http://[::1]").is_ok());
        assert!(check_loopback("http://user@10.0.0.1").is_err());
        assert!(check_loopback("http://10.0.0.1:8080").is_err());
        assert!(check_loopback("http://127.0.0.1.example.org:80").is_err());
        assert!(check_loopback("https://127.0.0.1:8080").is_err());
    }
}
