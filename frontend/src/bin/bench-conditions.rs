//! Benchmark (not a test, not part of the app): how long the browser takes to
//! re-evaluate every condition and the page's validation after one keystroke
//! on a 100-field form — `shared::validate::visibility` plus
//! `shared::validate::validate_page`, exactly what the application runs on
//! each change. Built to wasm and run in headless Chromium by
//! `tests/e2e/bench/run.sh`; the result is a JSON object on `<body data-result>`.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use shared::FormDefinition;
use shared::validate::{Answers, validate, validate_page, visibility};

/// Pages × fields per page = 100 fields.
const PAGES: usize = 10;
const FIELDS: usize = 10;
/// Keystrokes timed together (the browser's clock is coarse), and how many such samples.
const BATCH: usize = 20;
const SAMPLES: usize = 150;

fn main() {
    let Ok(form) = serde_json::from_value::<FormDefinition>(form()) else {
        return report(json!({ "error": "the benchmark form does not parse" }));
    };
    if let Err(e) = form.check() {
        return report(json!({ "error": e.to_string() }));
    }
    let mut answers = answers();
    let typed_page = "sida_5";
    let typed_field = "f5_0";
    let Some(clock) = web_sys::window().and_then(|w| w.performance()) else {
        return report(json!({ "error": "no performance clock" }));
    };
    let visible = visibility(&form, &answers);
    let errors_before = validate_page(&form, typed_page, &answers).len();

    // One keystroke: the text field gets one character more (or one less), then the app
    // recomputes what is shown and what is wrong on the page.
    let keystroke = |n: usize, answers: &mut Answers| {
        let text = if n.is_multiple_of(2) { "Föreningen Testbollen!" } else { "Föreningen Testbollen" };
        answers.insert(typed_field.into(), Value::String(text.into()));
        let v = visibility(&form, answers);
        let e = validate_page(&form, typed_page, answers);
        v.fields.len() + e.len()
    };
    let mut sink = 0;
    for n in 0..200 {
        sink += keystroke(n, &mut answers);
    }
    let mut per_keystroke_ms = Vec::with_capacity(SAMPLES);
    for s in 0..SAMPLES {
        let start = clock.now();
        for n in 0..BATCH {
            sink += keystroke(s * BATCH + n, &mut answers);
        }
        per_keystroke_ms.push((clock.now() - start) / BATCH as f64);
    }
    // For comparison: the full check "Skicka in" runs once.
    let mut submit_ms = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let start = clock.now();
        for _ in 0..BATCH {
            sink += usize::from(validate(&form, &answers).is_ok());
        }
        submit_ms.push((clock.now() - start) / BATCH as f64);
    }
    let conditions = form.pages.iter().filter(|p| p.condition.is_some()).count()
        + form.fields().filter(|(_, f)| f.condition.is_some()).count();
    report(json!({
        "fields": form.fields().count(),
        "pages": form.pages.len(),
        "conditions": conditions,
        "visible_fields": visible.fields.len(),
        "errors_on_page": errors_before,
        "keystrokes_timed": SAMPLES * BATCH,
        "keystroke_ms": stats(&mut per_keystroke_ms),
        "full_validation_ms": stats(&mut submit_ms),
        "sink": sink % 7,
    }));
}

/// Median, 95th percentile and minimum, in milliseconds.
fn stats(samples: &mut [f64]) -> Value {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples.get(((samples.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(f64::NAN);
    json!({ "median": at(0.5), "p95": at(0.95), "min": at(0.0) })
}

fn report(result: Value) {
    let text = result.to_string();
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-result", &text);
        body.set_text_content(Some(&text));
    }
}

/// A 100-field form: ten pages of ten fields of every kind, with conditions on
/// fields (on the same page and on earlier pages, combined with all/any/not)
/// and on every page after the first — all true for the answers below, so
/// every field is shown and validated (the worst case).
fn form() -> Value {
    let mut pages = Vec::new();
    for p in 0..PAGES {
        let mut fields = Vec::new();
        for i in 0..FIELDS {
            let key = format!("f{p}_{i}");
            let kind = match i {
                0 => json!({"type": "short_text", "min_length": 2, "max_length": 120}),
                1 => json!({"type": "yes_no"}),
                2 => json!({"type": "number", "min": 0, "max": 100000, "integer": true}),
                3 => json!({"type": "single_choice", "options": [
                    {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}]}),
                4 => {
                    json!({"type": "short_text", "pattern": "[0-9]{6}-?[0-9]{4}", "pattern_description": "tio siffror"})
                }
                5 => json!({"type": "email"}),
                6 => json!({"type": "date", "min": "2020-01-01", "max": "2035-12-31"}),
                7 => json!({"type": "multiple_choice", "min_selected": 1, "options": [
                    {"value": "x", "label": "X"}, {"value": "y", "label": "Y"}, {"value": "z", "label": "Z"}]}),
                8 => json!({"type": "personnummer"}),
                _ => json!({"type": "long_text", "max_length": 2000}),
            };
            let condition = match i {
                2 => Some(json!({"op": "equals", "field": format!("f{p}_1"), "value": true})),
                4 => Some(json!({"op": "all", "conditions": [
                    {"op": "greater_than", "field": format!("f{p}_2"), "value": 10},
                    {"op": "not", "condition": {"op": "equals", "field": format!("f{p}_3"), "value": "c"}}]})),
                6 => Some(json!({"op": "any", "conditions": [
                    {"op": "one_of", "field": format!("f{p}_3"), "values": ["a", "b"]},
                    {"op": "is_answered", "field": format!("f{p}_5")}]})),
                8 => Some(json!({"op": "contains", "field": format!("f{p}_7"), "value": "y"})),
                9 if p > 0 => Some(json!({"op": "less_than", "field": format!("f{}_6", p - 1), "value": "2034-01-01"})),
                _ => None,
            };
            let mut field =
                json!({"key": key, "label": format!("Fråga {i} på sidan {p}"), "required": i != 9, "kind": kind});
            if let Some(c) = condition {
                field["condition"] = c;
            }
            fields.push(field);
        }
        let mut page = json!({"key": format!("sida_{p}"), "title": format!("Sida {p}"), "fields": fields});
        if p > 0 {
            page["condition"] = json!({"op": "is_answered", "field": format!("f{}_0", p - 1)});
        }
        pages.push(page);
    }
    json!({ "pages": pages })
}

/// Valid answers for every field (Skatteverket's test personnummer).
fn answers() -> Answers {
    let mut a = BTreeMap::new();
    for p in 0..PAGES {
        let k = |i: usize| format!("f{p}_{i}");
        a.insert(k(0), json!("Föreningen Testbollen"));
        a.insert(k(1), json!(true));
        a.insert(k(2), json!("1 200"));
        a.insert(k(3), json!("b"));
        a.insert(k(4), json!("802000-0001"));
        a.insert(k(5), json!("namn@example.org"));
        a.insert(k(6), json!("2027-06-01"));
        a.insert(k(7), json!(["x", "y"]));
        a.insert(k(8), json!("18900101-9802"));
        a.insert(k(9), json!("Lite mer text om ansökan."));
    }
    a
}
