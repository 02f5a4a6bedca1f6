//! `bench latency`: sequential GET requests (or POSTs of a JSON body) to one path with a bearer token,
//! after a warm-up, and the latency percentiles of the answers (all must be
//! 200). For read paths whose single-request latency is the figure, such as
//! the handler inbox over a large case table.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Runs `requests` GETs of `url` (POSTs of `json` when given) one after the other and summarises them.
pub async fn run(url: &str, token: &str, json: Option<&str>, requests: usize, warmup: usize) -> Result<Value, String> {
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let mut latencies_us = Vec::with_capacity(requests);
    let mut bytes = 0usize;
    for i in 0..warmup + requests {
        let started = Instant::now();
        let request = match json {
            Some(body) => client.post(url).header("Content-Type", "application/json").body(body.to_string()),
            None => client.get(url),
        };
        let r = request.bearer_auth(token).send().await.map_err(|e| format!("{url}: {e}"))?;
        let status = r.status();
        let body = r.bytes().await.map_err(|e| format!("GET {url}: {e}"))?;
        let elapsed = started.elapsed();
        if status != reqwest::StatusCode::OK {
            return Err(format!("GET {url} answered {status}: {}", String::from_utf8_lossy(&body)));
        }
        if i >= warmup {
            latencies_us.push(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX));
            bytes = body.len();
        }
    }
    latencies_us.sort_unstable();
    let p = |q: f64| super::round(super::percentile_ms(&latencies_us, q), 2);
    Ok(json!({
        "url": url,
        "requests": requests,
        "response_bytes": bytes,
        "latency_ms": {"p50": p(50.0), "p90": p(90.0), "p99": p(99.0), "max": p(100.0)},
    }))
}
