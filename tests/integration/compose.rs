//! docker-compose.yml cannot run here (no Docker engine); this checks that it
//! parses, names the services, and sets only variables the backend reads.

use std::collections::BTreeSet;

fn compose() -> serde_yaml::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docker-compose.yml");
    serde_yaml::from_str(&std::fs::read_to_string(path).expect("docker-compose.yml exists"))
        .expect("docker-compose.yml is YAML")
}

fn config_keys() -> BTreeSet<String> {
    // Every `APP_SECTION__KEY` the backend reads: the keys of config/base.toml plus the bootstrap section.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/base.toml");
    let text = std::fs::read_to_string(path).expect("config/base.toml");
    let mut section = String::new();
    let mut keys: BTreeSet<String> =
        ["BOOTSTRAP__ADMIN_USERNAME", "BOOTSTRAP__ADMIN_EMAIL", "BOOTSTRAP__ADMIN_PASSWORD", "AUTH__JWT_SECRET"]
            .into_iter()
            .map(|k| format!("APP_{k}"))
            .collect();
    for line in text.lines().map(str::trim) {
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.to_uppercase().replace('.', "__");
        } else if let Some((k, _)) = line.split_once('=').filter(|_| !line.starts_with('#')) {
            keys.insert(format!("APP_{section}__{}", k.trim().to_uppercase()));
        }
    }
    keys
}

#[test]
fn docker_compose_names_postgres_and_the_backend_with_variables_the_backend_reads() {
    let doc = compose();
    let services = doc["services"].as_mapping().expect("services");
    let db = &doc["services"]["db"];
    assert!(db["image"].as_str().is_some_and(|i| i.starts_with("postgres")), "db runs PostgreSQL");
    let backend = &doc["services"]["backend"];
    assert!(services.len() >= 2);
    let env = backend["environment"].as_mapping().expect("backend.environment is a mapping");
    let names: BTreeSet<String> = env.keys().filter_map(|k| k.as_str().map(String::from)).collect();
    let url = env.get("DATABASE_URL").and_then(|v| v.as_str()).expect("DATABASE_URL");
    assert!(url.starts_with("postgres://") && url.contains("@db:"), "{url}");
    for required in ["APP_AUTH__JWT_SECRET", "APP_SERVER__HOST", "APP_SERVER__PORT", "APP_FRONTEND__DIST_DIR"] {
        assert!(names.contains(required), "{required} is set");
    }
    let known = config_keys();
    for name in names.iter().filter(|n| n.starts_with("APP_")) {
        assert!(known.contains(name), "{name} is not a setting the backend reads; known: {known:?}");
    }
    let depends = format!("{:?}", backend["depends_on"]);
    assert!(depends.contains("db"), "backend depends on db");
}
