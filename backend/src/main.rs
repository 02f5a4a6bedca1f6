//! Command line: `backend [serve [--demo]] | create-admin … | export-openapi [PATH]`.

use std::io::BufRead;
use std::process::ExitCode;

use backend::config::Settings;
use backend::startup::Application;
use secrecy::SecretString;

const USAGE: &str = "usage:
  backend serve [--demo]        start the server (--demo: seed demo services and accounts, turn on the dev login)
  backend create-admin --username NAME --email ADDRESS [--display-name NAME]
                                create a platform admin; the password is read from APP_ADMIN_PASSWORD or stdin
  backend export-openapi [PATH] write the OpenAPI document (default: stdout)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => runtime.block_on(serve(args.iter().any(|a| a == "--demo"))),
        Some("create-admin") => runtime.block_on(create_admin(&args[1..])),
        Some("export-openapi") => export_openapi(args.get(1).map(String::as_str)),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command '{other}'\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(demo: bool) -> Result<(), String> {
    backend::telemetry::init();
    let mut settings = Settings::load().map_err(|e| e.to_string())?;
    if demo {
        settings.identity.dev_provider = true;
    }
    let host = settings.server.host.clone();
    let app = Application::build(settings).await.map_err(|e| e.to_string())?;
    if demo {
        let accounts = backend::demo::seed(&app.state().db).await.map_err(|e| e.to_string())?;
        for (user, password) in accounts {
            println!("Demo account created: user name '{user}', password '{password}' (shown once)");
        }
    }
    let shown_host = if host == "0.0.0.0" { "127.0.0.1" } else { host.as_str() };
    println!("Listening on http://{shown_host}:{}/", app.port());
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn create_admin(args: &[String]) -> Result<(), String> {
    backend::telemetry::init();
    let get = |name: &str| args.windows(2).find(|w| w[0] == name).map(|w| w[1].clone());
    let username = get("--username").ok_or("--username is required")?;
    let email = get("--email").ok_or("--email is required")?;
    let display_name = get("--display-name").unwrap_or_else(|| username.clone());
    let password = match std::env::var("APP_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password (at least 12 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    let settings = Settings::load().map_err(|e| e.to_string())?;
    let db = backend::db::connect(&settings.database).await.map_err(|e| e.to_string())?;
    let view = backend::accounts::create(
        &db,
        backend::accounts::NewAccount {
            username,
            display_name,
            email,
            password: SecretString::from(password),
            roles: vec![shared::api::StaffRole::PlatformAdmin],
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    println!("Platform admin '{}' created.", view.username);
    Ok(())
}

fn export_openapi(path: Option<&str>) -> Result<(), String> {
    let doc = backend::openapi_json().map_err(|e| e.to_string())?;
    match path {
        Some(p) => std::fs::write(p, doc).map_err(|e| format!("{p}: {e}")),
        None => {
            print!("{doc}");
            Ok(())
        }
    }
}
